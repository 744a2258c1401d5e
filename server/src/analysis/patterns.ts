/** Key patterns of the scanner (`FEATURE_*`: `*` stands for any text) and the keys they match. */

const cache = new Map<string, RegExp>();

/** True when `key` fits `pattern` (case-insensitively for the keys of Windows processes). */
export function patternMatches(pattern: string, key: string, caseInsensitive = false): boolean {
  const id = (caseInsensitive ? 'i' : 's') + pattern;
  let re = cache.get(id);
  if (!re) {
    re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', caseInsensitive ? 'i' : '');
    cache.set(id, re);
  }
  return re.test(key);
}
