/**
 * Which values are secret, by the recorder's rules (server/go/syscall/env/e_redact.go), for
 * the TypeScript side: values shown from `.env` files are redacted like recorded values.
 * Keep the two in step: the same default substrings, the same URL/DSN rule.
 */

/** Key substrings (case-insensitive) that make a value secret, as the recorder's etDefaultSecret. */
export const DEFAULT_SECRET_SUBSTRINGS = ['PASSWORD', 'PASSWD', 'SECRET', 'TOKEN', 'API_KEY', 'APIKEY', 'API-KEY', 'PRIVATE_KEY', 'CREDENTIAL', 'AUTH', 'SESSION', 'COOKIE'];

/** True when a key looks secret: a default substring, or one of the extra patterns (ENVTRACE_REDACT's subset, case-insensitive). */
export function isSecretKey(key: string, patterns: readonly string[] = []): boolean {
  const upper = key.toUpperCase();
  if (DEFAULT_SECRET_SUBSTRINGS.some((s) => upper.includes(s))) return true;
  return patterns.some((p) => {
    try {
      return new RegExp(p, 'i').test(key);
    } catch {
      return false;
    }
  });
}

/** True when a value is a URL/DSN with a password (`scheme://user:pass@host`) or holds `password=` / `pwd=`. */
export function isSecretValue(v: string): boolean {
  const i = v.indexOf('://');
  if (i >= 0) {
    const rest = v.slice(i + 3);
    const end = rest.search(/[/?#]/);
    const authority = end < 0 ? rest : rest.slice(0, end);
    const at = authority.indexOf('@');
    if (at >= 0 && authority.slice(0, at).includes(':')) return true;
  }
  const upper = v.toUpperCase();
  return upper.includes('PASSWORD=') || upper.includes('PWD=');
}

/** The text to show for a value: itself, or `••• (N chars)` when its key or the value looks secret. */
export function shownValue(key: string, value: string, patterns: readonly string[] = []): string {
  return isSecretKey(key, patterns) || isSecretValue(value) ? `••• (${Buffer.byteLength(value)} chars)` : value;
}
