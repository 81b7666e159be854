/**
 * The browser's processes: Chromium is a child of this process and starts a zygote, renderers and
 * utility processes under it. Their proportional set sizes (PSS: shared pages divided among the
 * processes sharing them) add up to what the browser costs the machine. Linux only (/proc);
 * elsewhere memory is unknown and a hung browser is left to playwright-core's own close.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Pids of the Chromium processes started directly by this process (to tell which one a launch added). */
export function listBrowserProcesses(parentPid: number = process.pid): number[] {
  return (readProcessTable().get(parentPid) ?? []).filter((child) => /chrom/i.test(child.comm)).map((c) => c.pid);
}

/** Summed PSS in bytes of the process `rootPid` and everything under it; undefined without /proc. */
export function measureBrowserMemory(rootPid: number): number | undefined {
  const table = readProcessTable();
  if (table.size === 0) return undefined;
  return subtree(table, rootPid).reduce((total, pid) => total + readPssBytes(pid), 0);
}

/**
 * CPU time in milliseconds used so far by `rootPid` and everything under it, exited children included
 * (a process's cutime/cstime count the children it reaped: Chromium's zygote reaps its renderers);
 * undefined without /proc. Linux reports it in USER_HZ ticks, 100 per second.
 */
export function measureBrowserCpuMs(rootPid: number): number | undefined {
  const table = readProcessTable();
  if (table.size === 0) return undefined;
  return subtree(table, rootPid).reduce((total, pid) => total + readCpuTicks(pid) * 10, 0);
}

/** Kills `rootPid` and everything under it (SIGKILL): the last resort for a browser that does not close. */
export function killProcessTree(rootPid: number): void {
  for (const pid of subtree(readProcessTable(), rootPid).reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone with its parent.
    }
  }
}

/** True while the process exists. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: no such process.
    return false;
  }
}

// --- Internal helpers ---

type ProcessTable = Map<number, Array<{ pid: number; comm: string }>>;

/** Children by parent pid; empty without /proc. */
function readProcessTable(): ProcessTable {
  const children: ProcessTable = new Map();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children; // not Linux: no /proc
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcFile(`/proc/${name}/stat`);
    const match = stat && /^\d+ \((.*)\) \S+ (\d+)/s.exec(stat);
    if (!match) continue;
    const parent = Number(match[2]);
    const list = children.get(parent) ?? [];
    list.push({ pid: Number(name), comm: match[1] ?? '' });
    children.set(parent, list);
  }
  return children;
}

/** `rootPid` and its descendants, parents first. */
function subtree(table: ProcessTable, rootPid: number): number[] {
  const pids = [rootPid];
  for (let i = 0; i < pids.length; i += 1) pids.push(...(table.get(pids[i]!) ?? []).map((child) => child.pid));
  return pids;
}

/** utime + stime + cutime + cstime (fields 14–17 of /proc/<pid>/stat, counted after the command name). */
function readCpuTicks(pid: number): number {
  const stat = readProcFile(`/proc/${pid}/stat`);
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!fields) return 0;
  return [11, 12, 13, 14].reduce((total, index) => total + (Number(fields[index]) || 0), 0);
}

function readPssBytes(pid: number): number {
  const rollup = readProcFile(`/proc/${pid}/smaps_rollup`);
  const pss = rollup && /^Pss:\s+(\d+) kB/m.exec(rollup);
  if (pss) return Number(pss[1]) * 1024;
  const status = readProcFile(`/proc/${pid}/status`);
  const rss = status && /^VmRSS:\s+(\d+) kB/m.exec(status);
  return rss ? Number(rss[1]) * 1024 : 0;
}

function readProcFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    // The process exited between listing and reading: it no longer costs anything.
    return undefined;
  }
}
