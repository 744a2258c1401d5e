/**
 * Maps the file names of `-trimpath` builds (`example.com/mod/pkg/file.go`, `os/env.go`,
 * `github.com/x/y@v1.2.0/z.go`) back to absolute files, through the go.mod files found
 * from the run's working directories.
 */
import { existsSync } from 'node:fs';
import { readRegularSync } from '../files/readRegular';
import { dirname, isAbsolute, join } from 'node:path';

/** A module of the workspace: its path (from go.mod) and its directory. */
export interface ModuleRoot {
  path: string;
  dir: string;
}

/** Where to look for files that are not in a workspace module. */
export interface PathContext {
  modules: ModuleRoot[];
  goroot?: string;
  gomodcache?: string;
}

/** The module path declared in a go.mod text, or null. */
export function parseModulePath(gomod: string): string | null {
  const m = /^\s*module\s+("([^"]+)"|(\S+))/m.exec(gomod);
  return m ? (m[2] ?? m[3]) : null;
}

/** The directories named by `use` in a go.work text. */
export function parseWorkUses(gowork: string): string[] {
  const uses: string[] = [];
  const text = gowork.replace(/\/\/.*$/gm, '');
  for (const m of text.matchAll(/^\s*use\s*\(([^)]*)\)/gm)) uses.push(...m[1].split(/\s+/).filter(Boolean));
  for (const m of text.matchAll(/^\s*use\s+([^\s(]+)/gm)) uses.push(m[1]);
  return uses.map((u) => u.replace(/^"|"$/g, ''));
}

/** go.mod and go.work are small; the directories come from run files, so a FIFO or device there is skipped. */
const MAX_MOD_FILE = 1 << 20;

function readText(file: string): string | null {
  try {
    return readRegularSync(file, { maxBytes: MAX_MOD_FILE }).toString('utf8');
  } catch {
    return null;
  }
}

/** Finds the modules that own `dirs`: the nearest go.mod above each, and a go.work's modules. */
export function findModules(dirs: readonly string[]): ModuleRoot[] {
  const found = new Map<string, ModuleRoot>();
  const add = (dir: string) => {
    if (found.has(dir)) return;
    const text = readText(join(dir, 'go.mod'));
    const path = text === null ? null : parseModulePath(text);
    if (path) found.set(dir, { path, dir });
  };
  for (const start of dirs) {
    if (!start || !isAbsolute(start)) continue;
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'go.mod'))) add(dir);
      const work = readText(join(dir, 'go.work'));
      if (work !== null) for (const use of parseWorkUses(work)) add(join(dir, use));
      if (dirname(dir) === dir) break;
    }
  }
  // Longest path first, so nested modules win over their parents.
  return [...found.values()].sort((a, b) => b.path.length - a.path.length);
}

/** The module cache's spelling of a path: upper-case letters become `!` + lower case. */
function escapeModulePath(p: string): string {
  return p.replace(/[A-Z]/g, (c) => '!' + c.toLowerCase());
}

/** Maps a frame's file to an absolute path when it is not one already. */
export function absoluteFile(file: string, ctx: PathContext): string {
  if (isAbsolute(file) || /^[A-Za-z]:[\\/]/.test(file) || file === '') return file;
  for (const m of ctx.modules) {
    if (file.startsWith(m.path + '/')) return join(m.dir, file.slice(m.path.length + 1));
  }
  const first = file.split('/')[0];
  if (file.includes('@') && ctx.gomodcache) return join(ctx.gomodcache, escapeModulePath(file));
  if (!first.includes('.') && ctx.goroot) return join(ctx.goroot, 'src', file);
  return file;
}
