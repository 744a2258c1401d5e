/**
 * Which keys and values are secret. The recorder (server/go/syscall/env/e_rules.go) applies
 * the same rules inside the traced program; this is the TypeScript side, for the command
 * line stored in run.json and for values shown from `.env` files. The lists below are the
 * one source: test/unit/secretRules.test.ts checks that the Go file holds the same lists, and
 * runs one table of names and values against both sides. docs/FORMATS.md ("Secrets") says
 * where each rule comes from.
 */

/**
 * A key is secret when it contains one of these (case-insensitive, `-` and `_` alike).
 * Sources: Sentry's default scrubbed fields (password, secret, passwd, api_key, apikey, auth,
 * credentials, mysql_pwd, privatekey, private_key, token, bearer), gitleaks' generic-api-key
 * keywords (secret, token, passwd, password, auth) and the key patterns of the OpenTelemetry
 * redaction processor's example (token, api_key); plus the words envtrace had (session, cookie)
 * and connection strings (dsn, webhook).
 */
export const SECRET_KEY_WORDS = [
  'PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'API_KEY', 'APIKEY', 'PRIVATE_KEY', 'PRIVATEKEY',
  'CREDENTIAL', 'AUTH', 'SESSION', 'COOKIE', 'BEARER', 'MYSQL_PWD', 'WEBHOOK', 'DSN',
];

/** A key is secret when it ends with one of these (PGPASS, DB_PASS, ENCRYPTION_KEY, MYSQL_PWD, DB_PW; not PWD, OLDPWD). */
export const SECRET_KEY_SUFFIXES = ['PASS', '_PWD', '_PW', 'KEY'];

/**
 * Token prefixes (gitleaks rule ids in brackets) that make a value secret when they start a
 * word and at least 16 token characters (`A-Z a-z 0-9 _ -`) follow: GitHub [github-pat,
 * github-oauth, github-app-token, github-refresh-token, github-fine-grained-pat], GitLab
 * [gitlab-pat], Slack [slack-bot-token, slack-user-token, slack-app-token…], Stripe
 * [stripe-access-token], AWS [aws-access-token], Google [gcp-api-key], Sentry [sentry-org-token,
 * sentry-user-token], npm [npm-access-token], OpenAI [openai-api-key], Anthropic
 * [anthropic-api-key], DigitalOcean [digitalocean-pat], Hugging Face [huggingface-access-token].
 */
export const SECRET_VALUE_PREFIXES = [
  'ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_', 'github_pat_', 'glpat-', 'xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xapp-',
  'sk_live_', 'rk_live_', 'AKIA', 'ASIA', 'AIza', 'sntrys_', 'sntryu_', 'npm_', 'sk-proj-', 'sk-ant-', 'dop_v1_', 'hf_',
];

/** `<word>=` inside a value (a key/value DSN, a query string) makes it secret. */
export const SECRET_VALUE_ASSIGNMENTS = ['PASSWORD=', 'PASSWD=', 'PWD=', 'SECRET=', 'TOKEN=', 'APIKEY=', 'API_KEY='];

/** Values shorter than this are never treated as copies of a secret ("1", "true", "prod"). */
export const MIN_SECRET_COPY = 6;

const fold = (s: string) => s.toUpperCase().replace(/-/g, '_');

/** True when a key looks secret: a default word or suffix, or one of the extra patterns (ENVTRACE_REDACT's subset, case-insensitive). */
export function isSecretKey(key: string, patterns: readonly string[] = []): boolean {
  const k = fold(key);
  if (SECRET_KEY_WORDS.some((w) => k.includes(w)) || SECRET_KEY_SUFFIXES.some((s) => k.endsWith(s))) return true;
  return patterns.some((p) => {
    try {
      return new RegExp(p, 'i').test(key);
    } catch {
      return false;
    }
  });
}

const TOKEN_CHAR = /[A-Za-z0-9_-]/;
const ALNUM = /[A-Za-z0-9]/;

/** `scheme://userinfo@host`: a password (`user:pass`), a token-like user (16+), or a Sentry host. */
function secretUrl(v: string): boolean {
  const i = v.indexOf('://');
  if (i < 0) return false;
  const scheme = v.slice(0, i).toLowerCase();
  const rest = v.slice(i + 3);
  const end = rest.search(/[/?#]/);
  const authority = end < 0 ? rest : rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  if (at < 0) return false;
  const user = authority.slice(0, at);
  if (user.includes(':')) return true;
  if (scheme.includes('ssh')) return false; // ssh://git@host: the user is no credential
  return user.length >= 16 || authority.slice(at + 1).toLowerCase().includes('sentry');
}

/** A DSN without a scheme whose user part has a password: `user:pw@tcp(db:3306)/app`, `u:p@host/db`. */
function secretBareDsn(v: string): boolean {
  if (v.includes('://')) return false;
  const at = v.indexOf('@');
  if (at < 0) return false;
  const user = v.slice(0, at);
  const colon = user.indexOf(':');
  return colon > 0 && colon < user.length - 1 && !/[ \t\n\r\f\v/]/.test(user) && at < v.length - 1;
}

/** A token prefix at the start of a word, followed by 16+ token characters. */
function secretPrefix(v: string): boolean {
  for (const p of SECRET_VALUE_PREFIXES) {
    for (let i = v.indexOf(p); i >= 0; i = v.indexOf(p, i + 1)) {
      if (i > 0 && ALNUM.test(v[i - 1])) continue;
      let n = 0;
      for (let j = i + p.length; j < v.length && TOKEN_CHAR.test(v[j]); j++) n++;
      if (n >= 16) return true;
    }
  }
  return false;
}

/**
 * True when a value looks secret by itself: a URL/DSN with credentials, `password=`-style
 * assignments, `Bearer <token>`, a JWT, a PEM private key, a Slack webhook, or a known token prefix.
 */
export function isSecretValue(v: string): boolean {
  if (secretUrl(v) || secretBareDsn(v)) return true;
  const upper = v.toUpperCase();
  if (SECRET_VALUE_ASSIGNMENTS.some((a) => upper.includes(a))) return true;
  if (/bearer [^ \t\n\r\f\v]{8}/i.test(v)) return true;
  if (/eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/.test(v)) return true;
  if (upper.includes('PRIVATE KEY-----') || v.includes('hooks.slack.com/')) return true;
  return secretPrefix(v);
}

/**
 * The text to show for a value: itself, or `••• (N chars)` when its key or the value looks
 * secret, or when it is one of `known` (values of secret keys elsewhere: a copy is a secret too).
 */
export function shownValue(key: string, value: string, patterns: readonly string[] = [], known: ReadonlySet<string> = new Set()): string {
  const secret = isSecretKey(key, patterns) || isSecretValue(value) || (value.length >= MIN_SECRET_COPY && known.has(value));
  return secret ? `••• (${Buffer.byteLength(value)} chars)` : value;
}
