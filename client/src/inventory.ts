/** The workspace's keys and their static sites: from the server's `envtrace/inventory`, else from `envtrace scan --json`. */
import * as path from 'node:path';
import type { ScanResult, Site } from '../../server/src/scan/types';

/** A site with an absolute file path. */
export interface KeySite extends Site {
  absFile: string;
}

/** A key's role and risk with the rules that gave them (issue 15). */
export interface KeyRisk {
  role: string;
  risk: string;
  reasons: string[];
}

/** Every key (or pattern) with its sites, sorted by key, and its role and risk when known. */
export type Inventory = { key: string; sites: KeySite[]; risk?: KeyRisk }[];

/** Normalises an inventory from the server (keys with sites) or a scan result into one shape. */
export function toInventory(data: unknown, root: string): Inventory {
  const byKey = new Map<string, KeySite[]>();
  const risks = new Map<string, KeyRisk>();
  const add = (key: string, s: Partial<Site> & { uri?: string; range?: { start: { line: number; character: number } } }) => {
    const file = typeof s.file === 'string' ? s.file : typeof s.uri === 'string' ? fileFromUri(s.uri) : '';
    // Server answers carry 0-based LSP ranges; scan JSON carries 1-based line and column.
    const line = typeof s.line === 'number' ? s.line : s.range ? s.range.start.line + 1 : undefined;
    const column = typeof s.column === 'number' ? s.column : s.range ? s.range.start.character + 1 : 1;
    if (!file || line === undefined) return;
    const site = { ...s, line, column, absFile: path.isAbsolute(file) ? file : path.join(root, file) } as KeySite;
    const list = byKey.get(key) ?? [];
    list.push(site);
    byKey.set(key, list);
  };
  const d = data as { sites?: Site[]; keys?: unknown } | unknown[] | null;
  if (d && !Array.isArray(d) && Array.isArray(d.sites)) {
    for (const s of d.sites) add(s.key ?? s.pattern ?? '(dynamic)', s);
    // `scan --json` has `keys` as an object: KEY → { role, risk, reasons }.
    const keyed = d.keys && typeof d.keys === 'object' && !Array.isArray(d.keys) ? (d.keys as Record<string, KeyRisk>) : {};
    for (const [key, r] of Object.entries(keyed)) if (r && typeof r.risk === 'string') risks.set(key, r);
  } else {
    const keys = Array.isArray(d) ? d : Array.isArray((d as { keys?: unknown })?.keys) ? ((d as { keys: unknown[] }).keys) : [];
    for (const k of keys as { key?: string; name?: string; pattern?: string; sites?: unknown[]; risk?: KeyRisk }[]) {
      const key = k.name ?? k.key ?? k.pattern;
      if (typeof key !== 'string') continue;
      if (k.risk && typeof k.risk.risk === 'string') risks.set(key, k.risk);
      for (const s of k.sites ?? []) add(key, s as Site);
    }
    const other = (d as { other?: unknown })?.other;
    if (Array.isArray(other)) for (const s of other) add('(dynamic)', s as Site);
  }
  return [...byKey].map(([key, sites]) => ({ key, sites, ...(risks.has(key) ? { risk: risks.get(key) } : {}) })).sort((a, b) => a.key.localeCompare(b.key));
}

function fileFromUri(uri: string): string {
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return '';
  }
}

/** Parses `envtrace scan --json` output. */
export function parseScan(stdout: string): ScanResult {
  return JSON.parse(stdout) as ScanResult;
}
