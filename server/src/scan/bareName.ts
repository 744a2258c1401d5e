/** Whether a name is used bare in source text (not as `name.` or `.name`): a text search, no tree. */
import { escapeRe } from './syntax';

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SPACE = /\s/;

/** Whether the code point `cp` is a letter, digit or underscore (\p{L}, \p{N}, _). */
function wordChar(cp: number): boolean {
  if (cp < 128) return (cp >= 97 && cp <= 122) || (cp >= 65 && cp <= 90) || (cp >= 48 && cp <= 57) || cp === 95;
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/**
 * Whether `name` occurs in `text` other than as a selector operand `name.` or a selected
 * field `.name`: the regex /(?<![\p{L}\p{N}_.])name(?![\p{L}\p{N}_])(?!\s*\.)/u,
 * searched with indexOf (that regex cost ~10% of the scanner's main thread).
 */
export function usedBare(text: string, name: string): boolean {
  if (!name) return new RegExp(`(?<![\\p{L}\\p{N}_.])${escapeRe(name)}(?![\\p{L}\\p{N}_])(?!\\s*\\.)`, 'u').test(text);
  for (let i = text.indexOf(name); i >= 0; i = text.indexOf(name, i + 1)) {
    if (i > 0) {
      let before = text.charCodeAt(i - 1);
      if (before >= 0xdc00 && before <= 0xdfff && i > 1) {
        const high = text.charCodeAt(i - 2);
        if (high >= 0xd800 && high <= 0xdbff) before = text.codePointAt(i - 2)!;
      }
      if (before === 46 /* . */ || wordChar(before)) continue;
    }
    let j = i + name.length;
    if (j < text.length && wordChar(text.codePointAt(j)!)) continue;
    while (j < text.length) {
      const c = text.charCodeAt(j);
      if (c === 32 || c === 9 || c === 10 || c === 13 || (c > 127 || c === 11 || c === 12 ? SPACE.test(text[j]) : false)) j++;
      else break;
    }
    if (text.charCodeAt(j) === 46) continue;
    return true;
  }
  return false;
}
