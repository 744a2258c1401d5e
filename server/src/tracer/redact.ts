/**
 * The regular-expression subset that the recorder (server/go/syscall/env/e_redact.go)
 * understands for ENVTRACE_REDACT key patterns: literals, `\` escapes, `.`, classes
 * `[a-z]` `[^…]`, `\d \w \s`, the postfix operators `* + ?`, anchors `^ $`, and `|`
 * between top-level alternatives. Matching is case-insensitive and unanchored.
 */
export const REDACT_SUBSET = 'literals, \\ escapes, ., [classes], \\d \\w \\s, * + ?, ^ $, top-level |';

/** Returns why a --redact pattern cannot be used by the recorder, or null when it can. */
export function checkRedactPattern(p: string): string | null {
  if (p === '') return 'empty pattern';
  if (/[\n\r]/.test(p)) return 'a pattern is one line';
  try {
    new RegExp(p, 'i');
  } catch (e) {
    return `invalid regular expression: ${(e as Error).message}`;
  }
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return 'trailing backslash';
      if (/[0-9bBpPukcxS WD]/.test(n)) return `\\${n} is not supported (supported: ${REDACT_SUBSET})`;
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if ('(){}'.includes(c)) return `"${c}" is not supported (supported: ${REDACT_SUBSET})`;
    else if ('*+?'.includes(c) && i > 0 && '*+?'.includes(p[i - 1])) return `"${p[i - 1]}${c}" is not supported (supported: ${REDACT_SUBSET})`;
  }
  return null;
}
