/**
 * Cross-file resolution: helper functions (found to a fixed point), constants of the same and
 * of imported packages, and the final Site objects built from per-file facts.
 */
import type { CallFact, Callee, FileFacts } from './fileFacts';
import { evaluateDefault, evaluateKey, expandRefs, type ConstLookup, type Expr } from './expr';
import { defaultImportName } from './modules';
import { LibrarySites } from './librarySites';
import { placeDeferred, type DeferFact } from './deferred';
import type { Site, SiteKind } from './types';

/** A file as the resolver sees it. */
export interface ResolvedFile {
  path: string;
  /** Directory + package name: identifies the package. */
  pkgKey: string;
  dir: string;
  facts: FileFacts;
}

/** What the resolver needs from the index. */
export interface ResolveHost {
  /** Package key of the (non-test) package in the directory of an import path, or null. */
  importedPackage(importPath: string): string | null;
  /** Package name declared by the files of a package key's directory (for default import names). */
  packageNameOfImport(importPath: string): string | null;
  /** The import path of a package key's directory, when it lies in a known module. */
  importPathOf(pkgKey: string): string | null;
  /** Files of a package that have facts. */
  filesOf(pkgKey: string): ResolvedFile[];
  /** Records a constant that could not be found (so the index can parse more files). */
  missing(pkgKey: string, name: string): void;
}

/** A function whose parameter becomes the key of an env access: its calls are sites. */
export interface Helper {
  pkgKey: string;
  recv: string | null;
  name: string;
  api: string;
  kind: SiteKind;
  keyParam: number;
  defaultParam: number | null;
}

/** Identity of a helper inside the workspace. */
export function helperId(pkgKey: string, recv: string | null, name: string): string {
  return `${pkgKey}\0${recv ?? ''}\0${name}`;
}

/** Resolves calls, constants and helpers for every file with facts. */
export class Resolver {
  readonly helpers = new Map<string, Helper>();
  private readonly methodsByName = new Map<string, Helper[]>();
  private readonly library: LibrarySites;

  constructor(
    private readonly files: ResolvedFile[],
    private readonly host: ResolveHost,
  ) {
    this.library = new LibrarySites({
      files,
      qualPackage: (file, qual) => this.qualPackage(file, qual),
      lookupFor: (file) => this.lookupFor(file),
      filesOf: (pkgKey) => host.filesOf(pkgKey),
      missing: (pkgKey, name) => host.missing(pkgKey, name),
    });
  }

  /** The package key an import name refers to in a file, or null (unknown or outside the workspace). */
  private qualPackage(file: ResolvedFile, qual: string): string | null {
    const imp = this.importNamed(file, qual);
    return imp ? this.host.importedPackage(imp) : null;
  }

  /** The import path a file imports under the name `qual`, if any (inside the workspace or not). */
  private importNamed(file: ResolvedFile, qual: string): string | null {
    for (const imp of file.facts.imports) {
      if (imp.name === '.' || imp.name === '_') continue;
      const local = imp.name ?? this.host.packageNameOfImport(imp.path) ?? defaultImportName(imp.path);
      if (local === qual) return imp.path;
    }
    return null;
  }

  /** The constant lookup of one file: same package first, then imported packages. */
  lookupFor(file: ResolvedFile): ConstLookup {
    const lookup: ConstLookup = (name, qual) => {
      const pkgKey = qual === undefined ? file.pkgKey : this.qualPackage(file, qual);
      if (!pkgKey) return undefined;
      for (const f of this.host.filesOf(pkgKey)) {
        const e = f.facts.consts.get(name);
        if (e) return { e, lookup: f === file ? lookup : this.lookupFor(f) };
      }
      this.host.missing(pkgKey, name);
      return undefined;
    };
    return lookup;
  }

  /** Finds every helper: functions passing a parameter as the key of an env call or of another helper. */
  findHelpers(maxRounds = 4): void {
    for (let round = 0; round < maxRounds; round++) {
      let added = false;
      for (const file of this.files) {
        if (this.isEnvPackage(file)) continue;
        for (const a of file.facts.aliases ?? []) {
          if (this.helpers.has(helperId(file.pkgKey, null, a.name))) continue;
          this.add({ pkgKey: file.pkgKey, recv: null, name: a.name, api: `${file.facts.pkg}.${a.name}`, kind: a.kind, keyParam: 0, defaultParam: null });
          added = true;
        }
        for (const call of file.facts.calls) {
          if (call.func < 0) continue;
          const fn = file.facts.funcs[call.func];
          let keyExpr: Expr | undefined;
          let kind: SiteKind;
          let defaultParam: number | null = null;
          if (call.api) {
            if (call.kind === 'expand' || call.kind === undefined || !call.key) continue;
            keyExpr = call.key;
            kind = call.kind;
          } else {
            const h = this.calleeHelper(file, call.callee!);
            if (!h) continue;
            keyExpr = call.args?.[h.keyParam];
            kind = h.kind;
            const d = h.defaultParam !== null ? call.args?.[h.defaultParam] : undefined;
            if (d?.t === 'param') defaultParam = d.index;
          }
          if (keyExpr?.t !== 'param') continue;
          const id = helperId(file.pkgKey, fn.recv, fn.name);
          if (this.helpers.has(id)) continue;
          if (defaultParam === null) {
            const others = fn.returnedParams.filter((p) => p !== (keyExpr as { index: number }).index);
            if (others.length === 1) defaultParam = others[0];
          }
          const pkg = file.facts.pkg;
          this.add({ pkgKey: file.pkgKey, recv: fn.recv, name: fn.name, api: `${pkg}.${fn.qualified}`, kind, keyParam: keyExpr.index, defaultParam });
          added = true;
        }
      }
      if (!added) return;
    }
  }

  // The standard library's own env packages wrap each other (os.Getenv calls syscall.Getenv);
  // their functions are the APIs themselves, not helpers.
  private isEnvPackage(file: ResolvedFile): boolean {
    const pkg = file.facts.pkg;
    if (pkg !== 'os' && pkg !== 'syscall' && pkg !== 'testing') return false;
    const path = this.host.importPathOf(file.pkgKey);
    return path === null || path === pkg;
  }

  private add(h: Helper): void {
    this.helpers.set(helperId(h.pkgKey, h.recv, h.name), h);
    if (h.recv !== null) {
      const list = this.methodsByName.get(h.name) ?? [];
      list.push(h);
      this.methodsByName.set(h.name, list);
    }
  }

  /** The helper a call's callee resolves to, if any. */
  calleeHelper(file: ResolvedFile, callee: Callee): Helper | undefined {
    switch (callee.t) {
      case 'ident':
        return this.helpers.get(helperId(file.pkgKey, null, callee.name));
      case 'qual': {
        const pkgKey = this.qualPackage(file, callee.qual);
        if (pkgKey) return this.helpers.get(helperId(pkgKey, null, callee.name));
        // Not an import at all: a package-level variable, whose method may be a helper.
        if (this.importNamed(file, callee.qual) !== null) return undefined;
        return this.calleeHelper(file, { t: 'method', name: callee.name, recvType: null });
      }
      case 'method': {
        if (callee.recvType) {
          const pkgKey = callee.recvType.qual ? this.qualPackage(file, callee.recvType.qual) : file.pkgKey;
          return pkgKey ? this.helpers.get(helperId(pkgKey, callee.recvType.name, callee.name)) : undefined;
        }
        // Receiver of unknown type: only a method helper of this package that is the only one so named.
        const same = (this.methodsByName.get(callee.name) ?? []).filter((h) => h.pkgKey === file.pkgKey);
        return same.length === 1 ? same[0] : undefined;
      }
    }
  }

  /** The names of every helper, grouped by package key. */
  helperNamesByPackage(): Map<string, Set<string>> {
    const out = new Map<string, Set<string>>();
    for (const h of this.helpers.values()) {
      const set = out.get(h.pkgKey) ?? new Set<string>();
      set.add(h.name);
      out.set(h.pkgKey, set);
    }
    return out;
  }

  /** The sites of one file, in source order. `rel` is its path relative to the root. */
  sitesOf(file: ResolvedFile, rel: string, test: boolean): Site[] {
    const lookup = this.lookupFor(file);
    const sites: Site[] = [];
    const { facts } = file;
    const deferred: { site: Site; fact: DeferFact }[] = [];
    for (const call of facts.calls) {
      const func = call.func >= 0 ? `${facts.pkg}.${facts.funcs[call.func].qualified}` : `${facts.pkg}.init`;
      const base = { file: rel, function: func, test };
      const from = sites.length;
      if (call.api) this.apiSites(call, lookup, base, sites);
      else {
        const h = this.calleeHelper(file, call.callee!);
        if (!h) continue;
        const keyExpr = call.args?.[h.keyParam];
        const { key, pattern } = keyExpr ? evaluateKey(keyExpr, lookup) : { key: null, pattern: null };
        const def = h.defaultParam !== null ? evaluateDefault(call.args?.[h.defaultParam], lookup) : null;
        sites.push({ ...site(base, call.span, h.kind, key, pattern, h.api), default: def });
      }
      if (call.defer) for (let i = from; i < sites.length; i++) deferred.push({ site: sites[i], fact: call.defer });
    }
    if (deferred.length) placeDeferred(deferred, sites);
    if (facts.lib) sites.push(...this.library.sitesOf(file, rel, test));
    sites.sort((a, b) => a.line - b.line || a.column - b.column);
    return sites;
  }

  private apiSites(call: CallFact, lookup: ConstLookup, base: { file: string; function: string; test: boolean }, out: Site[]): void {
    const api = call.api!;
    if (call.kind === 'expand') {
      if (call.vars) {
        for (const v of call.vars) out.push(site(base, v.span, 'read', v.name, null, api));
        return;
      }
      const { key: text } = call.key ? evaluateKey(call.key, lookup) : { key: null };
      if (text !== null) {
        for (const r of expandRefs(text)) out.push(site(base, call.span, 'read', r.name, null, api));
      } else out.push(site(base, call.span, 'read', null, null, api));
      return;
    }
    const { key, pattern } = call.key ? evaluateKey(call.key, lookup) : { key: null, pattern: null };
    out.push({ ...site(base, call.span, call.kind as SiteKind, key, pattern, api), default: evaluateDefault(call.fallback, lookup) });
  }
}

function site(
  base: { file: string; function: string; test: boolean },
  span: { line: number; column: number; endLine: number; endColumn: number },
  kind: SiteKind,
  key: string | null,
  pattern: string | null,
  api: string,
): Site {
  return { file: base.file, ...span, kind, key, pattern, api, default: null, function: base.function, test: base.test };
}
