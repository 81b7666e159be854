// Preloaded into a CLI child by the crash-safety test (NODE_OPTIONS=--import=…): the process kills
// itself with SIGKILL at its N-th file rename (FEEDWRIGHT_TEST_KILL_AT_RENAME=N), just before the
// rename, i.e. in the middle of publishing feed files. Output files are written as temp file +
// rename, so this lands a kill exactly between "the store has the run" and "the files show it",
// a window too narrow for kills at random times to hit reliably. Both renames count: fs.renameSync
// (the output writer's) and fs/promises' rename. Test-only: no product code knows of it.
import { createRequire, syncBuiltinESMExports } from 'node:module';

const killAt = Number(process.env.FEEDWRIGHT_TEST_KILL_AT_RENAME);
if (Number.isInteger(killAt) && killAt > 0) {
  const load = createRequire(import.meta.url);
  const fs = load('node:fs');
  const fsPromises = load('node:fs/promises');
  let renames = 0;
  const countRename = () => {
    renames += 1;
    if (renames === killAt) process.kill(process.pid, 'SIGKILL');
  };
  const renameSync = fs.renameSync;
  fs.renameSync = (...args) => {
    countRename();
    return renameSync(...args);
  };
  const rename = fsPromises.rename;
  fsPromises.rename = async (...args) => {
    countRename();
    return rename(...args);
  };
  syncBuiltinESMExports();
}
