/**
 * A key's role and risk, from its sites and their uses only (issue 15). The rules, in order
 * (docs/FORMATS.md lists them with an example each):
 *
 *   R1 secret-to-output (critical): the key looks secret (tracer/secrets.ts) or its role is
 *      credential, and its value reaches an output sink (log, fmt.Print*, slog, zap, logrus,
 *      ResponseWriter.Write).
 *   R2 unchecked-credential (high): the value is a credential (DSN password, auth header,
 *      signing key, key pair) or a secret-looking key reaching a database sink, and no site
 *      checks it (`== ""`, `len`, `!ok`, a `required`/`notEmpty` option) or gives a default.
 *   R3 unchecked-parse (medium): strconv.Atoi/ParseInt/ParseBool/time.ParseDuration… whose
 *      error is dropped or never read.
 *   R4 required-unchecked (medium): the value is what a connection cannot do without — a
 *      whole DSN, a DSN user, an outbound URL or address — with no default and no check.
 *      (A DSN host is not: drivers fall back to localhost.)
 *   R5 low: the key has uses and none of the above fires (reason says if it has a default
 *      and a check).
 *
 * A key with no use stays unknown: nothing is guessed from its name alone.
 */
import { isSecretKey } from '../tracer/secrets';
import type { Site } from '../scan/types';
import type { KeyRisk, RiskLevel, Role, SiteFlow, Use } from './types';

const ORDER: RiskLevel[] = ['unknown', 'low', 'medium', 'high', 'critical'];

/** The higher of two risk levels. */
export function maxRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return ORDER.indexOf(b) > ORDER.indexOf(a) ? b : a;
}

function where(u: Use): string {
  return `${u.api} (${u.file}:${u.line})`;
}

/** What a key is for, from its uses: the most telling use wins. */
export function roleOf(key: string, uses: Use[]): Role {
  const has = (f: (u: Use) => boolean) => uses.some(f);
  if (has((u) => u.kind === 'credential' || (u.kind === 'database' && u.part === 'password'))) return 'credential';
  if (isSecretKey(key) && has((u) => u.kind === 'database' || u.kind === 'outbound')) return 'credential';
  if (has((u) => u.kind === 'database' && u.part === 'dsn')) return 'dsn';
  if (has((u) => u.kind === 'database')) return 'database';
  if (has((u) => u.kind === 'listen')) return 'listen';
  if (has((u) => u.kind === 'outbound')) return 'url';
  if (has((u) => u.kind === 'file')) return 'path';
  if (has((u) => u.kind === 'mode')) return 'mode';
  if (has((u) => u.kind === 'flag')) return 'flag';
  if (has((u) => u.kind === 'parse' && u.part === 'duration')) return 'duration';
  if (has((u) => u.kind === 'parse')) return 'number';
  if (has((u) => u.kind === 'output')) return 'logged';
  return 'unknown';
}

/** Role, risk and reasons of one key from all its read sites and their flows. */
export function keyRisk(key: string, sites: { site: Site; flow: SiteFlow }[]): KeyRisk {
  const uses = sites.flatMap((s) => s.flow.uses);
  const role = roleOf(key, uses);
  if (!uses.length) return { role, risk: 'unknown', reasons: [] };
  const checked = sites.some((s) => s.flow.checked || s.site.options?.some((o) => o === 'required' || o === 'notEmpty'));
  const defaulted = sites.some((s) => s.site.default !== null);
  const reasons: string[] = [];
  let risk: RiskLevel = 'low';
  const raise = (level: RiskLevel, reason: string) => {
    reasons.push(reason);
    risk = maxRisk(risk, level);
  };
  const secret = isSecretKey(key) || role === 'credential';
  for (const u of uses.filter((x) => x.kind === 'output')) {
    if (secret) raise('critical', `R1 secret-to-output: ${key} reaches ${where(u)}`);
  }
  const credential = uses.find((u) => u.kind === 'credential' || (u.kind === 'database' && (u.part === 'password' || isSecretKey(key))));
  if (credential && !checked && !defaulted) raise('high', `R2 unchecked-credential: ${key} is used as ${describeUse(credential)} with no empty or length check`);
  for (const p of uses.filter((x) => (x.kind === 'parse' || x.kind === 'flag') && x.errorChecked === false)) {
    raise('medium', `R3 unchecked-parse: the error of ${where(p)} is not checked`);
  }
  const needed = uses.find((x) => (x.kind === 'database' && (x.part === 'dsn' || x.part === 'user')) || x.kind === 'outbound');
  if (needed && !credential && !checked && !defaulted) raise('medium', `R4 required-unchecked: ${key} is used as ${describeUse(needed)} with no default and no check`);
  if (!reasons.length) reasons.push(defaulted && checked ? `R5 low: ${key} has a default and a check` : `R5 low: used as ${describeUse(uses[0])}; no risk rule applies`);
  return { role, risk, reasons };
}

/** "MySQL DSN password → sqlx.Connect (db.go:18)" style text of one use. */
export function describeUse(use: Use): string {
  return `${use.part ? `${use.part} → ` : ''}${where(use)}`;
}
