/**
 * How the observed stacks look from one workspace root: which frames are workspace code
 * (mapped to root-relative files: directly, through `-trimpath` module paths, through the
 * function's package, or — for runs recorded elsewhere, e.g. CI — by the longest path
 * suffix naming a workspace file), which are libraries, which the standard library; and an
 * index of workspace frames by file for range lookups.
 */
import { basename, isAbsolute, join, relative } from 'node:path';
import { findModules, type ModuleRoot } from '../runs/modules';
import { type Frame, isStdFrame, packagePath } from '../runs/frames';
import type { Entry, Observations } from './observations';

/** A workspace frame of a stack. */
export interface FrameRef {
  stack: number;
  line: number;
  /** 0 for the innermost workspace frame of the stack, 1 for its caller, … */
  depth: number;
}

/** One stack seen from the workspace. */
export interface StackView {
  /** Per frame (innermost first): root-relative file for workspace frames, else null. */
  rel: (string | null)[];
  kinds: ('workspace' | 'library' | 'std')[];
  /** A library frame lies below the innermost workspace frame (e.g. env.Parse reading a key). */
  library: boolean;
  /** Path elements of the packages of those library frames (lower case, no domains or /vN). */
  libraryNames: Set<string>;
}

/** Options of a merge context. */
export interface ContextOptions {
  /** Root-relative files of the workspace (at least those with sites), for suffix matching. */
  files?: Iterable<string>;
  /** Workspace modules; default: the go.mod files owning the root and the given files. */
  modules?: ModuleRoot[];
}

/** Observations seen from one workspace root; built once per (observations, root). */
export class MergeContext {
  readonly root: string;
  readonly modules: ModuleRoot[];
  readonly views: StackView[] = [];
  readonly byFile = new Map<string, FrameRef[]>();
  /** Entries of library stacks by upper-cased key. */
  readonly libraryByKey = new Map<string, Entry[]>();
  /** `os.Environ` calls made inside a library (caarlos0/env reads the environment this way). */
  readonly libraryEnviron: Entry[] = [];
  /** `<process>|<KEY>` of keys a process wrote (its starting value no longer tells). */
  readonly written = new Set<string>();
  /** Reads derived from a library's Environ call, per call entry and key (see merge.ts). */
  readonly derived = new Map<Entry, Map<string, Entry[]>>();
  private readonly files = new Set<string>();
  private readonly modulePaths: string[];
  private readonly unmapped: { stack: number; frame: number }[] = [];

  constructor(
    readonly obs: Observations,
    root: string,
    opts: ContextOptions = {},
  ) {
    this.root = slash(root).replace(/\/+$/, '');
    for (const f of opts.files ?? []) this.files.add(f);
    const dirs = [root, ...[...this.files].map((f) => `${this.root}/${f}`.replace(/\/[^/]*$/, ''))];
    // Modules inside the root and the one that owns it (a folder opened below its go.mod).
    this.modules = opts.modules ?? findModules([...new Set(dirs)]);
    this.modulePaths = this.modules.map((m) => m.path);
    obs.stacks.forEach((frames, i) => this.view(i, frames));
    for (const [stack, entries] of obs.byStack) {
      if (!this.views[stack]?.library) continue;
      for (const e of entries) {
        if (e.op === 'environ') this.libraryEnviron.push(e);
        if (e.key === null) continue;
        const k = e.key.toUpperCase();
        const list = this.libraryByKey.get(k);
        if (list) list.push(e);
        else this.libraryByKey.set(k, [e]);
      }
    }
  }

  /** Whether process `proc` wrote `key` (upper-cased) during the run. */
  wrote(proc: number, key: string): boolean {
    if (!this.writtenReady) {
      for (const e of this.obs.entries) {
        if ((e.op === 'setenv' || e.op === 'unsetenv') && e.key !== null) for (const p of e.processes) this.written.add(`${p}|${e.key.toUpperCase()}`);
        if (e.op === 'clearenv') for (const p of e.processes) this.written.add(`${p}|*`);
      }
      this.writtenReady = true;
    }
    return this.written.has(`${proc}|${key}`) || this.written.has(`${proc}|*`);
  }

  private writtenReady = false;

  /** Makes more workspace files known (for suffix matching of foreign paths). */
  addFiles(files: Iterable<string>): void {
    let added = false;
    for (const f of files) {
      if (!this.files.has(f)) {
        this.files.add(f);
        added = true;
      }
    }
    if (!added) return;
    for (let i = 0; i < this.unmapped.length; i++) {
      const u = this.unmapped[i];
      const frame = this.obs.stacks[u.stack][u.frame];
      const rel = this.bySuffix(slash(frame.file));
      if (rel === null) continue;
      this.views[u.stack].rel[u.frame] = rel;
      this.unmapped.splice(i--, 1);
      this.reindex(u.stack);
    }
  }

  /** The root-relative file of a path (a race party's place, say), or null outside the workspace. */
  relFile(file: string, fn = ''): string | null {
    const f = slash(file);
    return this.under(f) ?? this.byModule(f, fn) ?? this.bySuffix(f);
  }

  /** The local absolute path of a root-relative file. */
  absolute(rel: string): string {
    return `${this.root}/${rel}`;
  }

  private view(stack: number, frames: Frame[]): StackView {
    const rel: (string | null)[] = [];
    const kinds: StackView['kinds'] = [];
    const libraryNames = new Set<string>();
    let library = false;
    let seenWorkspace = false;
    frames.forEach((f, i) => {
      const kind = this.kindOf(f);
      kinds.push(kind);
      if (kind === 'workspace') {
        const r = this.relFile(f.file, f.function);
        rel.push(r);
        if (r === null) this.unmapped.push({ stack, frame: i });
        seenWorkspace = true;
      } else {
        rel.push(null);
        if (kind === 'library' && !seenWorkspace) {
          library = true;
          for (const part of packagePath(f.function).split('/')) {
            if (!part.includes('.') && !/^v\d+$/.test(part)) libraryNames.add(part.toLowerCase());
          }
        }
      }
    });
    const v: StackView = { rel, kinds, library, libraryNames };
    this.views[stack] = v;
    this.indexStack(stack);
    return v;
  }

  /** Lists the workspace frames of a stack again (after more of its frames were mapped). */
  private reindex(stack: number): void {
    for (const refs of this.byFile.values()) {
      for (let i = refs.length - 1; i >= 0; i--) if (refs[i].stack === stack) refs.splice(i, 1);
    }
    this.indexStack(stack);
  }

  /** Lists the workspace frames of a stack in `byFile`. */
  private indexStack(stack: number): void {
    const v = this.views[stack];
    let depth = 0;
    v.kinds.forEach((k, i) => {
      if (k !== 'workspace') return;
      const r = v.rel[i];
      if (r !== null) {
        const list = this.byFile.get(r);
        const ref = { stack, line: this.obs.stacks[stack][i].line, depth };
        if (list) list.push(ref);
        else this.byFile.set(r, [ref]);
      }
      depth++;
    });
  }

  private kindOf(f: Frame): 'workspace' | 'library' | 'std' {
    if (f.function && isStdFrame(f, this.modulePaths)) return 'std';
    const file = slash(f.file);
    if (file.includes('/pkg/mod/') && this.under(file) === null) return 'library';
    const pkg = packagePath(f.function).replace(/_test$/, '');
    if (pkg === 'main' || this.modulePaths.some((m) => pkg === m || pkg.startsWith(m + '/'))) return 'workspace';
    const rel = this.under(file);
    if (rel !== null && !/(^|\/)vendor\//.test(rel)) return 'workspace';
    if (!f.function && this.bySuffix(file) !== null) return 'workspace';
    return 'library';
  }

  private under(file: string): string | null {
    return file.startsWith(this.root + '/') ? file.slice(this.root.length + 1) : null;
  }

  /** `-trimpath` files (`mod/path/pkg/file.go`) and functions of a workspace package. */
  private byModule(file: string, fn: string): string | null {
    for (const m of this.modules) {
      if (!isAbsolute(file) && file.startsWith(m.path + '/')) return this.relDir(m.dir, file.slice(m.path.length + 1));
    }
    if (!fn) return null;
    const pkg = packagePath(fn).replace(/_test$/, '');
    for (const m of this.modules) {
      if (pkg === m.path || pkg.startsWith(m.path + '/')) {
        const sub = pkg.slice(m.path.length + 1);
        return this.relDir(m.dir, (sub ? sub + '/' : '') + basename(file));
      }
    }
    return null;
  }

  private relDir(dir: string, rest: string): string | null {
    const r = slash(relative(this.root, join(dir, rest)));
    return r.startsWith('../') || r === '..' || isAbsolute(r) ? null : r;
  }

  /** The longest suffix of a foreign path that names a known workspace file. */
  private bySuffix(file: string): string | null {
    if (!this.files.size) return null;
    const parts = file.split('/');
    for (let k = 0; k < parts.length; k++) {
      const cand = parts.slice(k).join('/');
      if (this.files.has(cand)) return cand;
    }
    return null;
  }
}

/** Forward slashes (Windows runs). */
export function slash(p: string): string {
  return p.replace(/\\/g, '/');
}
