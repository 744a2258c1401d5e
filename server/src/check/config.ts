/**
 * `envtrace.json`, the check's configuration (docs/FORMATS.md, "envtrace.json"). Parsed
 * strictly: an unknown rule id, a wrong type or a bad level is bad input with a one-line
 * message naming where, never silently ignored (a typo would switch a gate off).
 */
import { LEVELS, type Level, ruleById } from './rules';
import type { SecretPolicy } from './secretPolicy';

/** A key documented in the config. */
export interface DeclaredKey {
  description?: string;
  required?: boolean;
  secret?: boolean;
  default?: string;
}

/** Race levels from the most to the least certain. */
export const RACE_LEVELS = ['definite', 'likely', 'possible'] as const;
export type RaceLevel = (typeof RACE_LEVELS)[number];

/** The parsed configuration; every field present (defaults filled in). */
export interface CheckConfig {
  rules: Record<string, Level>;
  declared: Record<string, DeclaredKey>;
  /** Package directories (relative, `/`) where writes, and reads, are allowed. */
  allow: { envWrites: string[]; envReads: string[] };
  raceLevel: RaceLevel;
  /** What a secret key's value must meet in runs (secret-hygiene). */
  secretPolicy: SecretPolicy;
  /** Keys (or `*` patterns) whose values runs must agree on (value-drift). */
  agree: string[];
}

/** Bad input to the check: a config or a path it cannot use. One line. */
export class CheckInputError extends Error {}

/** The configuration used when there is no file. */
export function defaultConfig(): CheckConfig {
  return { rules: {}, declared: {}, allow: { envWrites: [], envReads: [] }, raceLevel: 'likely', secretPolicy: { minLength: 16, minEntropyBits: 48 }, agree: [] };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function declaredKey(name: string, v: unknown, where: string): DeclaredKey {
  if (!isObject(v)) throw new CheckInputError(`${where}: declared.${name} must be an object`);
  const out: DeclaredKey = {};
  for (const [field, value] of Object.entries(v)) {
    if (field === 'description' || field === 'default') {
      if (typeof value !== 'string') throw new CheckInputError(`${where}: declared.${name}.${field} must be a string`);
      out[field] = value;
    } else if (field === 'required' || field === 'secret') {
      if (typeof value !== 'boolean') throw new CheckInputError(`${where}: declared.${name}.${field} must be true or false`);
      out[field] = value;
    } else throw new CheckInputError(`${where}: declared.${name}: unknown field "${field}"`);
  }
  return out;
}

/** Parses the text of a config file; `where` names it in messages. */
export function parseConfig(text: string, where: string): CheckConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new CheckInputError(`${where}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(raw)) throw new CheckInputError(`${where}: must hold a JSON object`);
  const cfg = defaultConfig();
  for (const [field, value] of Object.entries(raw)) {
    if (field === '$schema') continue;
    if (field === 'rules') {
      if (!isObject(value)) throw new CheckInputError(`${where}: "rules" must be an object of rule id to level`);
      for (const [id, level] of Object.entries(value)) {
        if (!ruleById(id)) throw new CheckInputError(`${where}: unknown rule "${id}"`);
        if (!LEVELS.includes(level as Level)) throw new CheckInputError(`${where}: rules.${id} must be one of ${LEVELS.join(', ')}`);
        cfg.rules[id] = level as Level;
      }
    } else if (field === 'declared') {
      if (!isObject(value)) throw new CheckInputError(`${where}: "declared" must be an object of key to description`);
      for (const [name, v] of Object.entries(value)) cfg.declared[name] = declaredKey(name, v, where);
    } else if (field === 'allow') {
      if (!isObject(value)) throw new CheckInputError(`${where}: "allow" must be an object`);
      for (const [k, v] of Object.entries(value)) {
        if (k !== 'envWrites' && k !== 'envReads') throw new CheckInputError(`${where}: allow: unknown field "${k}"`);
        if (!Array.isArray(v) || !v.every((p) => typeof p === 'string')) throw new CheckInputError(`${where}: allow.${k} must be an array of package paths`);
        cfg.allow[k] = v.map((p: string) => p.replace(/^\.\//, '').replace(/\/+$/, ''));
      }
    } else if (field === 'secretPolicy') {
      if (!isObject(value)) throw new CheckInputError(`${where}: "secretPolicy" must be an object`);
      for (const [k, v] of Object.entries(value)) {
        if (k !== 'minLength' && k !== 'minEntropyBits') throw new CheckInputError(`${where}: secretPolicy: unknown field "${k}"`);
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new CheckInputError(`${where}: secretPolicy.${k} must be a whole number, 0 or more`);
        cfg.secretPolicy[k] = v;
      }
    } else if (field === 'agree') {
      if (!Array.isArray(value) || !value.every((p) => typeof p === 'string' && p !== '')) throw new CheckInputError(`${where}: "agree" must be an array of keys or * patterns`);
      cfg.agree = value;
    } else if (field === 'raceLevel') {
      if (!RACE_LEVELS.includes(value as RaceLevel)) throw new CheckInputError(`${where}: raceLevel must be one of ${RACE_LEVELS.join(', ')}`);
      cfg.raceLevel = value as RaceLevel;
    } else throw new CheckInputError(`${where}: unknown field "${field}"`);
  }
  return cfg;
}
