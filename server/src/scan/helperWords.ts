/**
 * Helper names in files' text (no parsing): which helper names a file mentions, counting only
 * helpers of its own package or of a package it imports, so that the index parses a file again
 * only when the helpers it may call changed.
 */
import { API_WORDS } from './apis';
import { textOf, type Entry } from './entry';
import { escapeRe } from './syntax';

const API_WORD = new RegExp(`^(?:${API_WORDS.source})$`);

/**
 * The helper names of a sorted, comma-joined list that are not env API words. Extraction
 * matches API words anyway, and a helper name equal to one finds the same positions, so only
 * these change what a parse yields.
 */
export function beyondApiWords(words: string): string {
  return words === '' ? '' : words.split(',').filter((w) => !API_WORD.test(w)).join(',');
}

/** Helper names of one package, and where they can be called from. */
export interface HelperPattern {
  pkgKey: string;
  importPath: string | null;
  names: string[];
  re: RegExp;
}

/** Whether the UTF-8 bytes contain any of `names`. */
function mentionsAny(raw: Uint8Array, names: string[]): boolean {
  const b = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  return names.some((n) => b.indexOf(n) >= 0);
}

/** Per helper package (`dir\0name` → names): its import path (to find importing files) and a regex of its helper names. */
export function helperPatterns(names: Map<string, Set<string>>, importPathOf: (dir: string) => string | null): HelperPattern[] {
  return [...names].map(([pkgKey, set]) => {
    const dir = pkgKey.slice(0, pkgKey.indexOf('\0'));
    return { pkgKey, importPath: importPathOf(dir), names: [...set], re: new RegExp(`\\b(?:${[...set].map(escapeRe).join('|')})\\b`, 'g') };
  });
}

/** The helper names a file's text mentions, counting only helpers of its own or an imported package. */
export function helperWordsIn(e: Entry, byPkg: HelperPattern[]): Set<string> {
  const words = new Set<string>();
  const own = `${e.dir}\0${e.pkgName}`;
  for (const p of byPkg) {
    if (p.pkgKey !== own && !(p.importPath && e.imports.includes(p.importPath))) continue;
    // Bytes not yet decoded: a name that is not among them is not in the text either.
    if (typeof e.raw !== 'string' && e.decoded === undefined && !mentionsAny(e.raw, p.names)) continue;
    p.re.lastIndex = 0;
    const text = textOf(e);
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) words.add(m[0]);
  }
  return words;
}
