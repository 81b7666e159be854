/** The program's name and version, used in the default User-Agent and feed generator fields. */
import { readFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** feedwright's version from package.json. */
export const VERSION: string = manifest.version;

/** Where users learn what feedwright is; named in the User-Agent so site operators can find us. */
export const HOMEPAGE = 'https://github.com/feedwright/feedwright';

/** The default User-Agent: names the program, its version and where to learn more. */
export const DEFAULT_USER_AGENT = `feedwright/${VERSION} (+${HOMEPAGE})`;
