/**
 * Which files read an exported name as a selector (`.Name`; Go allows a line break after the
 * dot): where a field or a function of another package is used (analyze.ts). Built once, on
 * the first escape across packages; only `.Name` is indexed, which keeps it a fraction of a
 * tokenisation of every file. Sources held as bytes are read without decoding them.
 */

/** A source as the index reads it. */
export interface SelectorSource {
  get(): string | Uint8Array | undefined;
}

/** `.Name` with an exported name. */
const SELECTOR = /\.\s*([A-Z]\w*)/g;

/** Exported names → the sources (in source order) that read them as selectors. */
export function selectorIndex<S extends SelectorSource>(sources: S[]): Map<string, S[]> {
  const index = new Map<string, S[]>();
  for (const s of sources) {
    const raw = s.get();
    if (raw === undefined) continue;
    const seen = new Set<string>();
    const add = (w: string): void => {
      if (seen.has(w)) return;
      seen.add(w);
      const list = index.get(w);
      if (list) list.push(s);
      else index.set(w, [s]);
    };
    if (typeof raw !== 'string') selectorsOfBytes(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), add);
    else {
      SELECTOR.lastIndex = 0;
      for (let m = SELECTOR.exec(raw); m; m = SELECTOR.exec(raw)) add(m[1]);
    }
  }
  return index;
}

/**
 * SELECTOR's matches in UTF-8 bytes read as latin1 (what a regex over `toString('latin1')`
 * finds: `\s` is 9–13, 32 and 0xA0 there, `\w` ASCII), without making that string.
 */
function selectorsOfBytes(b: Buffer, add: (word: string) => void): void {
  const n = b.length;
  let i = b.indexOf(46 /* . */);
  while (i >= 0) {
    let j = i + 1;
    for (let c = b[j]; j < n && ((c >= 9 && c <= 13) || c === 32 || c === 0xa0); c = b[++j]);
    const first = b[j];
    if (j >= n || first < 65 || first > 90) {
      i = b.indexOf(46, j);
      continue;
    }
    let k = j + 1;
    for (let c = b[k]; k < n && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95); c = b[++k]);
    add(b.toString('latin1', j, k));
    i = b.indexOf(46, k);
  }
}
