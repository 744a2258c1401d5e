/**
 * The .env files under a checked PATH that the repository commits (for `secret-hygiene`):
 * files git tracks whose name is `.env`, `.env.<anything>` or `<anything>.env`. Outside a
 * git work tree nothing is known to be committed, so only the templates meant to be committed
 * (`.env.example`, `.env.sample`, `.env.dist` at PATH) count.
 */
import { spawnSync } from 'node:child_process';
import type { DeclaringText } from '../check/declared';
import { readEnvFiles, templateEnvFiles } from '../check/envFiles';

const ENV_NAME = /(^|\/)(\.env(\.[^/]*)?|[^/]+\.env)$/;

/** Paths (relative to root, `/`) of the committed .env files, or null outside a git work tree. */
function trackedEnvFiles(root: string): string[] | null {
  // `-c core.fsmonitor=` keeps a repository's config from running a command here.
  const r = spawnSync('git', ['-c', 'core.fsmonitor=', 'ls-files', '-z', '--', '.'], { cwd: root, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.status !== 0 || r.error) return null;
  return r.stdout.split('\0').filter((f) => f !== '' && ENV_NAME.test(f));
}

/** The committed .env files under root with their text. */
export function committedEnvFiles(root: string): DeclaringText[] {
  return readEnvFiles(root, trackedEnvFiles(root) ?? templateEnvFiles(root));
}
