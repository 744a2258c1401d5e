/**
 * Which part of a connection string a value fills, from the literal text around it:
 * `user:PASS@tcp(host)/db`, `postgres://USER:pass@HOST:5432/NAME`, `host=H password=P`.
 * The text around is what a Sprintf format or a `+` chain writes on each side of the value.
 */

const VERB = /%(?:%|[-+# 0]*(?:\[\d+\])?(?:\d+|\*)?(?:\.(?:\d+|\*))?[a-zA-Z])/g;

/** Text before and after argument `k` (0-based, after the format) of a Sprintf format; other verbs become \0. */
export function aroundVerb(format: string, k: number): { before: string; after: string } | null {
  let i = 0;
  let out: { before: string; after: string } | null = null;
  let before = '';
  let last = 0;
  VERB.lastIndex = 0;
  for (let m = VERB.exec(format); m; m = VERB.exec(format)) {
    if (m[0] === '%%') continue;
    before += format.slice(last, m.index);
    last = m.index + m[0].length;
    if (i === k) {
      out = { before, after: format.slice(last).replace(VERB, (v) => (v === '%%' ? '%' : '\u0000')) };
      break;
    }
    before += '\u0000';
    i++;
  }
  return out;
}

const KV: [RegExp, string][] = [
  [/(?:^|[\s;&?])(?:password|passwd|pwd|pass)=$/i, 'password'],
  [/(?:^|[\s;&?])(?:user|username|user id|uid)=$/i, 'user'],
  [/(?:^|[\s;&?])(?:host|server|addr|address)=$/i, 'host'],
  [/(?:^|[\s;&?])port=$/i, 'port'],
  [/(?:^|[\s;&?])(?:dbname|database|db)=$/i, 'name'],
  [/(?:^|[\s;&?])sslmode=$/i, 'sslmode'],
];

/** The DSN part a value fills given the text on each side, or null when the text says nothing. */
export function dsnPart(before: string, after: string): string | null {
  for (const [re, part] of KV) if (re.test(before)) return part;
  // URL and mysql forms: [scheme://]user:password@host[:port]/name
  const tail = before.slice(before.lastIndexOf('//') + 1);
  const userinfo = !tail.includes('@');
  if (userinfo && /:$/.test(before) && /^@/.test(after)) return 'password';
  if (userinfo && (before === '' || /\/\/$/.test(before)) && /^:[^/]*@/.test(after)) return 'user';
  if (userinfo && (before === '' || /\/\/$/.test(before)) && /^@/.test(after)) return 'user';
  if (/@(?:tcp\(|unix\()?$/.test(before)) return 'host';
  if (/@[^/]*:$/.test(before) || /\)?:$/.test(before) && before.includes('@')) return 'port';
  if (/@[^/]*\/$/.test(before) || /\)\/$/.test(before)) return 'name';
  return null;
}
