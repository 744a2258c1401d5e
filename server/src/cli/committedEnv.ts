/**
 * The .env files under a checked PATH that the repository commits (for `secret-hygiene`):
 * files git tracks whose name is `.env`, `.env.<anything>` or `<anything>.env`. Outside a
 * git work tree nothing is known to be committed, so only the templates meant to be committed
 * (`.env.example`, `.env.sample`, `.env.dist` at PATH) count.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECLARING_FILES, type DeclaringText } from '../check/declared';

const ENV_NAME = /(^|\/)(\.env(\.[^/]*)?|[^/]+\.env)$/;

/** Paths (relative to root, `/`) of the committed .env files, or null outside a git work tree. */
function trackedEnvFiles(root: string): string[] | null {
  // `-c core.fsmonitor=` keeps a repository's config from running a command here.
  const r = spawnSync('git', ['-c', 'core.fsmonitor=', 'ls-files', '-z', '--', '.'], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 || r.error) return null;
  return r.stdout.split('\0').filter((f) => f !== '' && ENV_NAME.test(f));
}

/** The committed .env files under root with their text (unreadable ones left out). */
export function committedEnvFiles(root: string): DeclaringText[] {
  const files = trackedEnvFiles(root) ?? DECLARING_FILES.filter((f) => existsSync(join(root, f)));
  const out: DeclaringText[] = [];
  for (const file of files) {
    try {
      out.push({ file, text: readFileSync(join(root, ...file.split('/')), 'utf8') });
    } catch {
      // deleted in the work tree but still tracked: nothing to read
    }
  }
  return out;
}
