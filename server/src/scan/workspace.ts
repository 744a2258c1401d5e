/**
 * The workspace index: every Go file's text, per-file facts from tree-sitter, and the sites
 * resolved across files (constants, helper functions). No IO.
 *
 * Work per refresh: files changed since the last refresh are pre-filtered by text and, when
 * they mention an env API or a helper, parsed (only their relevant top-level declarations).
 * Then helpers are found from the facts of all parsed files; when the set of helpers changed,
 * every file is re-filtered for calls of them. Constants that keys need and that no parsed
 * file declares are looked up by name in the files of their package, which are then parsed
 * for their const declarations only. Finally sites are rebuilt from facts (cheap).
 */
import type { Language, Parser } from 'web-tree-sitter';
import { basename, dirname, relative, sep } from 'node:path';
import { extractFacts, newStats, type ParseStats, type TreeHook } from './extract';
import { localFlowsHook, type LocalFlow } from '../uses/siteFlows';
import { constSignature, envOf, headOf, readHeader, sameSource, textOf, type Entry } from './entry';
import type { FileFacts } from './fileFacts';
import { ModuleMap, modulePath } from './modules';
import { beyondApiWords, helperPatterns, helperWordsIn } from './helperWords';
import { SKIPPED_DIRS } from './skipped';
import { escapeRe } from './syntax';
import { newGoParser } from './parser';
import { Resolver, type ResolvedFile } from './resolve';
import type { ScanNote, Site } from './types';

const MAX_ROUNDS = 5;

/** Whether a file's facts can yield sites (env calls, or config-library facts). */
function hasSiteFacts(f: FileFacts | null): boolean {
  return !!f && (f.calls.length > 0 || !!f.lib);
}
/** A skipped directory name as a whole segment of a path (either separator). */
const SKIPPED_SEGMENT = new RegExp(`[\\\\/](?:${[...SKIPPED_DIRS].map((d) => d.replace('.', '\\.')).join('|')})[\\\\/]`);


/** All env sites of a set of Go files, kept up to date one file at a time. */
export class WorkspaceIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly byDir = new Map<string, Set<Entry>>();
  private readonly modules = new ModuleMap();
  private readonly parser: Parser;
  private dirty = new Set<string>();
  private deleted: string[] = [];
  private helperSig = '';
  private recheckAll = false;
  private added = false;
  /** Counters for benchmarks: how much was parsed, and how much of it was skipped. */
  readonly stats: ParseStats = newStats();
  /**
   * Keep the uses analysis' local flows in the facts of every parsed file (set before the first
   * load when the uses report will be wanted: `localFlowAt`), computed on the scan's own trees.
   */
  keepLocalFlows = false;

  constructor(
    language: Language,
    /** Absolute root; `Site.file` is relative to it. */
    readonly root: string,
  ) {
    this.parser = newGoParser(language);
  }

  /**
   * Adds or replaces a file (`.go`, or `go.mod` for its module line); the work happens at the
   * next refresh. `text` may be UTF-8 bytes (decoded only if the file turns out to matter).
   */
  setFile(path: string, text: string | Uint8Array): void {
    if (basename(path) === 'go.mod') {
      const mod = typeof text === 'string' ? text : Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('utf8');
      if (this.modules.set(dirname(path), modulePath(mod))) this.recheckAll = true;
      return;
    }
    if (!path.endsWith('.go') || this.isSkipped(path)) return;
    const old = this.entries.get(path);
    if (old && sameSource(old.raw, text)) return;
    const dir = dirname(path);
    const entry: Entry = old ?? { path, dir, raw: text, version: 0, test: path.endsWith('_test.go'), pkgName: '', imports: [], env: false, words: '', constOnly: false, facts: null, sites: [], sitesJson: '[]' };
    entry.raw = text;
    entry.decoded = undefined;
    entry.version++;
    if (!old) {
      this.added = true;
      this.entries.set(path, entry);
      const set = this.byDir.get(dir) ?? new Set();
      set.add(entry);
      this.byDir.set(dir, set);
    }
    this.dirty.add(path);
  }

  /**
   * Adds a file that was read, pre-filtered and maybe parsed elsewhere (loadPool.ts): as
   * setFile, with the pre-filter's answer, the decoded text and the facts (no helper names)
   * kept for the next refresh.
   */
  setLoaded(path: string, bytes: Uint8Array, env: boolean, text: string | null, facts: FileFacts | null | undefined, header?: { pkgName: string; imports: string[] }): void {
    this.setFile(path, bytes);
    const e = this.entries.get(path);
    if (!e || e.raw !== bytes) return;
    if (header) e.header = { version: e.version, ...header };
    e.env = env;
    e.envVersion = e.version;
    if (text !== null) e.decoded = text;
    if (facts !== undefined) e.prefetched = { version: e.version, facts };
  }

  /** Whether a path lies in a directory the scanner skips (vendor/, testdata/, .git/, node_modules/) below the root. */
  isSkipped(path: string): boolean {
    // NOTE: a directory below the root is a directory of the absolute path too: most paths
    // name none of the skipped ones, and need no relative path.
    if (!SKIPPED_SEGMENT.test(path)) return false;
    return this.relativePath(path).split('/').slice(0, -1).some((d) => SKIPPED_DIRS.has(d));
  }

  /** Forgets a file (a `.go` file or a `go.mod`). */
  deleteFile(path: string): void {
    if (basename(path) === 'go.mod') {
      if (this.modules.set(dirname(path), null)) this.recheckAll = true;
      return;
    }
    const e = this.entries.get(path);
    if (!e) return;
    this.entries.delete(path);
    this.byDir.get(e.dir)?.delete(e);
    this.dirty.delete(path);
    if (e.sites.length) this.deleted.push(path);
    this.recheckAll ||= !!e.facts;
  }

  /** The Go files the index holds. */
  goFiles(): string[] {
    return [...this.entries.keys()];
  }

  /** A file's source as held (a string or UTF-8 bytes), for analyses that read it again (uses/). */
  sourceOf(path: string): string | Uint8Array | undefined {
    return this.entries.get(path)?.raw;
  }

  /** `path` relative to the root with `/` separators (the form of `Site.file`). */
  relativePath(path: string): string {
    return relative(this.root, path).split(sep).join('/');
  }

  /** The sites of one file (refreshing first if needed), in source order. */
  sitesOf(path: string): Site[] {
    this.refresh();
    return this.entries.get(path)?.sites ?? [];
  }

  /** Every site of the workspace, ordered by file then position. */
  allSites(): Site[] {
    this.refresh();
    const withSites = [...this.entries.values()].filter((e) => e.sites.length);
    withSites.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return withSites.flatMap((e) => e.sites);
  }

  /** What the scanner left out of which file (refreshing first if needed), ordered by file. */
  notes(): ScanNote[] {
    this.refresh();
    const out: ScanNote[] = [];
    for (const e of this.entries.values()) for (const message of e.facts?.notes ?? []) out.push({ file: this.relativePath(e.path), message });
    return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /** Parses the text of `path` on this thread (what a loading worker does), counting it in `stats`. */
  extract(text: string, path: string): FileFacts | null {
    return extractFacts(this.parser, text, [], false, this.stats, false, this.treeHook(path));
  }

  /** The local flow (siteFlows.ts) of the site at `line`:`column` of `path`, when its parse kept one. */
  localFlowAt(path: string, line: number, column: number): LocalFlow | undefined {
    return this.entries.get(path)?.facts?.flows?.[`${line}:${column}`];
  }

  private treeHook(path: string): TreeHook | undefined {
    return this.keepLocalFlows ? localFlowsHook(this.relativePath(path)) : undefined;
  }

  /** Brings every site up to date; returns the .go files whose sites changed since the last refresh. */
  refresh(): string[] {
    if (!this.dirty.size && !this.recheckAll && !this.deleted.length) return [];
    const dirty = [...this.dirty].map((p) => this.entries.get(p)).filter((e): e is Entry => !!e);
    this.dirty = new Set();
    // Sites of files other than the changed ones change only when constants, helpers or
    // modules change; otherwise only the changed files are resolved again (the edit path).
    // A new file may start a package whose constants keys elsewhere could not even look for.
    let full = this.recheckAll || this.added || this.deleted.length > 0 || this.helperDefs === '';
    this.added = false;
    const constsBefore = dirty.map((e) => constSignature(e.facts));
    // Library facts (struct types, envconfig/viper calls) make sites in other files: re-resolve all.
    const libBefore = dirty.map((e) => !!e.facts?.lib);
    for (const e of dirty) {
      ({ pkgName: e.pkgName, imports: e.imports } = e.header?.version === e.version ? e.header : readHeader(headOf(e)));
      e.header = undefined;
      if (e.envVersion !== e.version) e.env = envOf(e);
      e.envVersion = undefined;
      e.facts = null;
      e.words = '';
      e.constOnly = false;
    }
    let resolver = this.findHelpers(dirty);
    const targets = (): Entry[] => (full ? [...this.entries.values()] : dirty);
    full ||= dirty.some((e, i) => constSignature(e.facts) !== constsBefore[i] || this.mayDeclareMissing(e) || libBefore[i] || !!e.facts?.lib);
    const defs = JSON.stringify([...resolver.helpers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    full ||= defs !== this.helperDefs;
    this.helperDefs = defs;
    if (this.parseMissingConstants(resolver, targets(), full)) {
      resolver = this.resolver();
      resolver.findHelpers();
    }
    const changed = this.deleted;
    this.deleted = [];
    for (const e of targets()) {
      const sites = hasSiteFacts(e.facts) ? resolver.sitesOf(this.resolved(e), this.relativePath(e.path), e.test) : [];
      const json = sites.length ? JSON.stringify(sites) : '[]';
      if (json !== e.sitesJson) changed.push(e.path);
      e.sites = sites;
      e.sitesJson = json;
    }
    return changed;
  }

  /** Helper definitions as of the last refresh (JSON), to notice when other files need re-resolving. */
  private helperDefs = '';
  /** Helper names by package as of the last refresh. */
  private helperNames = new Map<string, Set<string>>();

  /** Parses what mentions env APIs or helpers until the set of helpers stops growing. */
  private findHelpers(dirty: Entry[]): Resolver {
    // Parse changed files once, with the helper names known so far (an edit rarely changes them).
    const known = helperPatterns(this.helperNames, (dir) => this.modules.importPathOf(dir));
    for (const e of dirty) {
      const words = helperWordsIn(e, known);
      if (e.env || words.size) this.parse(e, words);
    }
    let resolver = this.resolver();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      resolver.findHelpers();
      const names = resolver.helperNamesByPackage();
      this.helperNames = names;
      const sig = [...names].map(([k, v]) => `${k}:${[...v].sort().join(',')}`).sort().join(';');
      const candidates = sig !== this.helperSig || this.recheckAll ? [...this.entries.values()] : dirty;
      this.helperSig = sig;
      this.recheckAll = false;
      const byPkg = helperPatterns(names, (dir) => this.modules.importPathOf(dir));
      let parsed = false;
      for (const e of candidates) {
        const words = helperWordsIn(e, byPkg);
        const w = [...words].sort().join(',');
        if (e.env || words.size) {
          if (!e.facts || e.constOnly || e.words !== w) {
            this.parse(e, words);
            parsed = true;
          }
        } else if (e.facts && !e.constOnly) {
          e.facts = null;
          parsed = true;
        }
      }
      if (!parsed) break;
      resolver = this.resolver();
    }
    return resolver;
  }

  /** Parses files declaring constants that resolution found missing; true if any was parsed. */
  private parseMissingConstants(resolver: Resolver, targets: Entry[], full: boolean): boolean {
    let any = false;
    if (full) this.lastMissing.clear();
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const missing = new Map<string, Set<string>>();
      this.onMissing = (pkgKey, name) => {
        const set = missing.get(pkgKey) ?? new Set();
        set.add(name);
        missing.set(pkgKey, set);
      };
      for (const e of targets) if (hasSiteFacts(e.facts)) resolver.sitesOf(this.resolved(e), '', false);
      this.onMissing = undefined;
      for (const [k, names] of missing) this.lastMissing.set(k, new Set([...(this.lastMissing.get(k) ?? []), ...names]));
      let parsed = false;
      for (const [pkgKey, names] of missing) {
        const re = new RegExp(`\\b(?:${[...names].map(escapeRe).join('|')})\\b`);
        // A missing name may be a struct type a config library needs (issue 6).
        const structRe = new RegExp(`\\b(?:${[...names].map(escapeRe).join('|')})\\s+struct\\b`);
        for (const e of this.packageEntries(pkgKey)) {
          if (!re.test(textOf(e))) continue;
          if (!e.facts) this.parse(e, new Set(), true, structRe.test(textOf(e)));
          else if (!e.facts.lib && structRe.test(textOf(e))) this.parse(e, new Set(e.words ? e.words.split(',') : []), e.constOnly, true);
          else continue;
          parsed = true;
        }
      }
      if (!parsed) return any;
      any = true;
      resolver = this.resolver();
      resolver.findHelpers();
    }
    return any;
  }

  private onMissing: ((pkgKey: string, name: string) => void) | undefined;
  /** Constants keys needed but nobody declared, by package key (as of the last resolution). */
  private readonly lastMissing = new Map<string, Set<string>>();

  /** Whether an edited file may now declare a constant that keys elsewhere are missing. */
  private mayDeclareMissing(e: Entry): boolean {
    const names = this.lastMissing.get(`${e.dir}\0${e.pkgName}`);
    return !!names && [...names].some((n) => new RegExp(`\\b${escapeRe(n)}\\b`).test(textOf(e)));
  }

  private packageEntries(pkgKey: string): Entry[] {
    const i = pkgKey.indexOf('\0');
    const dir = pkgKey.slice(0, i);
    const pkg = pkgKey.slice(i + 1);
    return [...(this.byDir.get(dir) ?? [])].filter((e) => e.pkgName === pkg);
  }

  private resolved(e: Entry): ResolvedFile {
    return { path: e.path, dir: e.dir, pkgKey: `${e.dir}\0${e.pkgName}`, facts: e.facts! };
  }

  private resolver(): Resolver {
    const files = [...this.entries.values()].filter((e) => e.facts).map((e) => this.resolved(e));
    const nameOfDir = new Map<string, string | null>();
    const pkgOfDir = (dir: string): string | null => {
      if (!nameOfDir.has(dir)) {
        const names = [...(this.byDir.get(dir) ?? [])].map((e) => e.pkgName).filter((n) => n && !n.endsWith('_test'));
        nameOfDir.set(dir, names.sort()[0] ?? null);
      }
      return nameOfDir.get(dir)!;
    };
    // Resolution asks for the same few import paths over and over (once per call and import).
    const dirs = new Map<string, string | null>();
    const dirOf = (importPath: string): string | null => {
      let dir = dirs.get(importPath);
      if (dir === undefined) dirs.set(importPath, (dir = this.modules.dirOf(importPath)));
      return dir;
    };
    return new Resolver(files, {
      importedPackage: (importPath) => {
        const dir = dirOf(importPath);
        const name = dir ? pkgOfDir(dir) : null;
        return dir && name ? `${dir}\0${name}` : null;
      },
      packageNameOfImport: (importPath) => {
        const dir = dirOf(importPath);
        return dir ? pkgOfDir(dir) : null;
      },
      importPathOf: (pkgKey) => this.modules.importPathOf(pkgKey.slice(0, pkgKey.indexOf('\0'))),
      filesOf: (pkgKey) => this.packageEntries(pkgKey).filter((e) => e.facts).map((e) => this.resolved(e)),
      missing: (pkgKey, name) => this.onMissing?.(pkgKey, name),
    });
  }

  /** Parses the declarations of a file that matter and stores its facts; never throws. */
  private parse(e: Entry, words: Set<string>, constOnly = false, withTypes = false): void {
    const w = [...words].sort().join(',');
    // Helper names that are env API words themselves (a `cfg.Getenv` helper) find nothing
    // the API words did not: facts for the same other names are the same facts.
    const same = !!e.facts && !e.constOnly && !constOnly && !withTypes && beyondApiWords(e.words) === beyondApiWords(w);
    e.words = w;
    e.constOnly = constOnly;
    const pre = e.prefetched;
    e.prefetched = undefined;
    if (same) return;
    if (pre && pre.version === e.version && beyondApiWords(w) === '' && !constOnly && !withTypes) {
      e.facts = pre.facts;
      return;
    }
    e.facts = extractFacts(this.parser, textOf(e), words, constOnly, this.stats, withTypes, this.treeHook(e.path));
  }
}
