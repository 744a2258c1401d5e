/** The run store a CLI command uses: `--dir DIR` (which must exist) or the working directory. */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { storeRoot } from '../runs/store';
import { CliError, type Io } from './io';

/** The `.envtrace` directory for `--dir` (or the cwd); a --dir that is not a directory is an input error. */
export function storeFor(dir: string | undefined, io: Io): string {
  if (dir === undefined) return storeRoot(io.cwd);
  const abs = resolve(io.cwd, dir);
  let ok = false;
  try {
    ok = statSync(abs).isDirectory();
  } catch {
    ok = false;
  }
  // `--dir path/.envtrace` may name a store that is about to be created.
  if (!ok && !(abs.endsWith('.envtrace') && isDir(resolve(abs, '..')))) throw new CliError(`--dir ${dir}: no such directory`);
  return storeRoot(abs);
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
