/** Go modules of the workspace: go.mod `module` lines and import path → directory. */
import { join, sep } from 'node:path';

/** The module path declared by a go.mod text, or null. */
export function modulePath(goMod: string): string | null {
  const m = /^\s*module\s+(?:"([^"]+)"|`([^`]+)`|([^\s/]\S*?))\s*(?:\/\/.*)?$/m.exec(goMod);
  return m ? (m[1] ?? m[2] ?? m[3]) : null;
}

/** The name an import is known by without an alias, as far as its path tells (`x/v2` → `x`, `yaml.v3` → `yaml`). */
export function defaultImportName(path: string): string {
  const parts = path.split('/');
  let last = parts[parts.length - 1];
  if (/^v[0-9]+$/.test(last) && parts.length > 1) last = parts[parts.length - 2];
  return last.replace(/\.v[0-9]+$/, '');
}

/** Maps import paths to directories through the go.mod files the index knows. */
export class ModuleMap {
  private readonly mods = new Map<string, string>(); // module dir → module path

  /** Records (or with null, forgets) the module declared in directory `dir`. */
  set(dir: string, path: string | null): boolean {
    const before = this.mods.get(dir);
    if (path === null) this.mods.delete(dir);
    else this.mods.set(dir, path);
    return before !== (path ?? undefined);
  }

  /** The directory of an import path inside one of the modules, or null. */
  dirOf(importPath: string): string | null {
    let best: { dir: string; len: number } | null = null;
    for (const [dir, mod] of this.mods) {
      let rest: string | null = null;
      if (importPath === mod) rest = '';
      else if (importPath.startsWith(mod + '/')) rest = importPath.slice(mod.length + 1);
      // The standard library's own go.mod says `module std` and imports carry no prefix.
      else if (mod === 'std' && !importPath.split('/')[0].includes('.')) rest = importPath;
      if (rest !== null && (!best || mod.length > best.len)) best = { dir: rest ? join(dir, ...rest.split('/')) : dir, len: mod.length };
    }
    return best?.dir ?? null;
  }

  /** The import path of a directory inside one of the modules, or null. */
  importPathOf(dir: string): string | null {
    let best: string | null = null;
    let bestLen = -1;
    for (const [modDir, mod] of this.mods) {
      if (dir !== modDir && !dir.startsWith(modDir.endsWith(sep) ? modDir : modDir + sep)) continue;
      if (modDir.length <= bestLen) continue;
      const rest = dir.slice(modDir.length).split(/[\\/]/).filter(Boolean).join('/');
      best = mod === 'std' ? rest : rest ? `${mod}/${rest}` : mod;
      bestLen = modDir.length;
    }
    return best;
  }
}
