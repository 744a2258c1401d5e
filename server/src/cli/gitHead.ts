/**
 * The commit checked out in a directory, read from the repository's files instead of starting
 * `git rev-parse HEAD` (a process per traced run, most of a few milliseconds of start-up; issue
 * 17): `.git` (a directory, or a file naming the git directory of a worktree), `HEAD`, the
 * loose ref or `packed-refs`. Anything else (another ref storage, a symbolic ref chain, an
 * unreadable file) answers undefined and the caller asks git. Only small regular files are
 * read, never through a symlink: the repository may be a hostile clone. No `.git` at all
 * answers null: git would find no repository either.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readRegularSync } from '../files/readRegular';

const MAX = 64 << 10;
const HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

function text(path: string, maxBytes = MAX): string | undefined {
  try {
    return readRegularSync(path, { maxBytes }).toString('utf8');
  } catch {
    return undefined;
  }
}

/** The git directory of the repository holding `cwd`; null when there is no `.git`, undefined when it cannot be read. */
function gitDir(cwd: string): string | null | undefined {
  for (let d = resolve(cwd); ; d = dirname(d)) {
    const dot = join(d, '.git');
    let st;
    try {
      st = statSync(dot);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) return dot;
    if (st?.isFile()) {
      const m = /^gitdir: (.+)$/m.exec(text(dot, 4096) ?? '');
      return m ? resolve(d, m[1].trim()) : undefined;
    }
    if (st) return undefined;
    if (dirname(d) === d) return null;
  }
}

/**
 * The commit hash HEAD names in the repository holding `cwd`; null when no directory above `cwd`
 * has a `.git`; undefined when the files do not say it plainly.
 */
export function readGitHead(cwd: string): string | null | undefined {
  const dir = gitDir(cwd);
  if (dir === null) return null;
  if (!dir) return undefined;
  const head = text(join(dir, 'HEAD'), 4096)?.trim();
  if (!head) return undefined;
  if (HASH.test(head)) return head;
  const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
  if (!ref || ref.split('/').includes('..')) return undefined;
  // A worktree keeps HEAD in its own directory and the refs in the main one (`commondir`).
  const common = text(join(dir, 'commondir'), 4096)?.trim();
  const refsDir = common ? (isAbsolute(common) ? common : resolve(dir, common)) : dir;
  const loose = text(join(refsDir, ...ref.split('/')), 4096)?.trim();
  if (loose !== undefined) return HASH.test(loose) ? loose : undefined;
  for (const line of (text(join(refsDir, 'packed-refs'), 16 << 20) ?? '').split('\n')) {
    const [hash, name] = line.split(' ');
    if (name === ref && HASH.test(hash)) return hash;
  }
  return undefined;
}
