/**
 * The uses of a folder kept between edits (the language server's): each read site's flow is
 * kept with what it read (analyze.ts's FlowDeps) until a file it depends on changes — its own
 * file, a file of a package it searched by name, or a file whose text had or has a name it
 * looked up across packages. The next report follows again only the flows that were dropped
 * (and new sites); roles and risks are recomputed from all flows (cheap). The result is what
 * a fresh `usesOf` gives (a test compares them after edits).
 */
import type { Parser } from 'web-tree-sitter';
import type { Site } from '../scan/types';
import { UsesAnalysis, type FlowDeps, type KnownFlows, type UsesSource } from './analyze';
import { assembleReport, type UsesReport } from './report';
import type { SiteFlow } from './types';

/** A changed file: folder-relative path, its source before and after (undefined: absent). */
export interface ChangedSource {
  rel: string;
  before: string | Uint8Array | undefined;
  after: string | Uint8Array | undefined;
}

interface Kept {
  /** Where the site is (its flow was computed there). */
  file: string;
  flow: SiteFlow | null;
  deps: FlowDeps | null;
}

const WORD = /[A-Za-z_]\w*/g;

function siteId(s: Site): string {
  return `${s.file}:${s.line}:${s.column}:${s.kind}`;
}

function dirOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function wordsOf(raw: string | Uint8Array | undefined, into: Set<string>): void {
  if (raw === undefined) return;
  const text = typeof raw === 'string' ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  WORD.lastIndex = 0;
  for (let m = WORD.exec(text); m; m = WORD.exec(text)) into.add(m[0]);
}

/** Flows kept between reports; `changed` drops those a change may alter. */
export class IncrementalUses {
  private readonly kept = new Map<string, Kept>();
  /** Flows followed again by the last report (bench and tests). */
  lastComputed = 0;

  /** The report of `sites` over `sources`, following only the flows not kept (`known`: as for usesOf). */
  report(parser: Parser, sources: UsesSource[], sites: Site[], known?: KnownFlows): UsesReport {
    const t0 = performance.now();
    const missing = sites.filter((s) => !this.kept.has(siteId(s)));
    let analysis: UsesAnalysis | null = null;
    try {
      if (missing.length) {
        analysis = new UsesAnalysis(parser, sources, known);
        for (const s of missing) {
          const got = analysis.flowAndDeps(s);
          this.kept.set(siteId(s), { file: s.file, flow: got?.flow ?? null, deps: got?.deps ?? null });
        }
      }
      // Sites that are gone take their flows with them.
      const live = new Set(sites.map(siteId));
      for (const id of this.kept.keys()) if (!live.has(id)) this.kept.delete(id);
      this.lastComputed = missing.length;
      const stats = analysis?.stats ?? { parsedFiles: 0, failures: 0 };
      return assembleReport(sites, sites.map((s) => this.kept.get(siteId(s))!.flow), { ...stats, ms: performance.now() - t0 });
    } finally {
      analysis?.delete();
    }
  }

  /** Drops the flows that `changes` may alter. */
  changed(changes: readonly ChangedSource[]): void {
    if (!changes.length) return;
    const files = new Set(changes.map((c) => c.rel));
    const dirs = new Set(changes.map((c) => dirOf(c.rel)));
    let words: Set<string> | null = null;
    for (const [id, k] of this.kept) {
      const d = k.deps;
      let drop = files.has(k.file) || (!!d && [...d.dirs].some((x) => dirs.has(x)));
      if (!drop && d?.words.size) {
        if (!words) {
          words = new Set<string>();
          for (const c of changes) {
            wordsOf(c.before, words);
            wordsOf(c.after, words);
          }
        }
        drop = [...d.words].some((w) => words!.has(w));
      }
      if (drop) this.kept.delete(id);
    }
  }

  /** Forgets every flow (a new scan). */
  clear(): void {
    this.kept.clear();
  }
}
