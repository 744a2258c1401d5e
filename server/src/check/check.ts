/**
 * `envtrace check`'s engine: runs every enabled rule over the loaded inputs and applies the
 * configured levels. The caller (CLI, later the language server) loads the inputs.
 */
import type { Language } from 'web-tree-sitter';
import type { Site } from '../scan/types';
import type { StoredRun } from '../runs/store';
import { type CheckConfig, defaultConfig, parseConfig } from './config';
import { collectDeclared, type DeclaringText } from './declared';
import { anchorFinding } from './anchor';
import { compareFindings, type Finding, type RawFinding } from './finding';
import { isTestSetenv, parallelSetenvFindings } from './parallelSetenv';
import { RULES, type Level } from './rules';
import { newSinceBaseline } from './newKeys';
import { readsOutsideConfig } from './readsOutside';
import { cachedCheckRun } from './runCache';
import { noDefaultReads } from './runRules';
import { committedProdStages, secretDefaults, secretLiteralWrites } from './secretHygiene';
import { withoutSuppressed } from './suppress';
import { agreeMatcher, DriftObserver, driftFindings } from './valueDrift';
import { declaredUnused, envWritesOutsideTests, undeclaredKeys } from './staticRules';
import { usesFindings } from './usesRules';

/** Everything a check reads. */
export interface CheckInputs {
  /** Absolute root; every `file` below is relative to it with `/`. */
  root: string;
  sites: Site[];
  /** Text of a file by relative path, or null (test Setenv files for `parallel-setenv`; findings' files for suppression comments). */
  readSource(file: string): string | null;
  language: Language;
  dotenvs: DeclaringText[];
  /** The config file (relative name and text), or null for the defaults. */
  config: DeclaringText | null;
  runs: StoredRun[];
  /** .env files committed to the repository (paths relative to root), for secret-hygiene; absent = none known. */
  committedEnvFiles?: DeclaringText[];
  /** The baseline inventory's sites (`--baseline`), for new-key; absent = no baseline. */
  baseline?: Site[];
  /** Every Go file under root (relative), for the uses rules; default: the files with sites. */
  goFiles?: string[];
}

/** What `envtrace check --format json` prints. */
export interface CheckResult {
  version: 1;
  root: string;
  /** Every rule with the level in force (`off` included). */
  rules: { id: string; level: Level }[];
  /** Declaring sources read, relative to root. */
  declaredFrom: string[];
  runs: string[];
  findings: Finding[];
  summary: { error: number; warning: number; note: number };
}

function parallelSetenv(inputs: CheckInputs): RawFinding[] {
  const byFile = new Map<string, Site[]>();
  for (const s of inputs.sites) if (isTestSetenv(s)) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  const out: RawFinding[] = [];
  for (const [file, sites] of byFile) {
    const text = inputs.readSource(file);
    if (text !== null) out.push(...parallelSetenvFindings(inputs.language, text, sites));
  }
  return out;
}

/** Runs the check. Throws CheckInputError on a bad config. */
export async function runCheck(inputs: CheckInputs): Promise<CheckResult> {
  const cfg: CheckConfig = inputs.config ? parseConfig(inputs.config.text, inputs.config.file) : defaultConfig();
  const levels = new Map(RULES.map((r) => [r.id, cfg.rules[r.id] ?? r.level]));
  const on = (id: string) => levels.get(id) !== 'off';
  const declared = collectDeclared(inputs.dotenvs, inputs.config ? { ...inputs.config, declared: cfg.declared } : null);
  const required = new Set(Object.entries(cfg.declared).filter(([, d]) => d.required).map(([k]) => k));

  const raw: RawFinding[] = [];
  const readInRuns = new Set<string>();
  const noDefault = noDefaultReads(inputs.sites);
  const agreed = agreeMatcher(cfg.agree);
  const drift: DriftObserver[] = [];
  for (const run of inputs.runs) {
    const r = await cachedCheckRun(run, { root: inputs.root, required, raceLevel: cfg.raceLevel, noDefault, declared, secretPolicy: cfg.secretPolicy, agreed, agree: cfg.agree });
    drift.push(r.drift);
    raw.push(...[...r.check.findings, ...r.policy.findings()].map((f) => anchorFinding(f, inputs.sites, declared)));
    for (const k of r.check.readKeys) readInRuns.add(k);
  }
  raw.push(...driftFindings(drift).map((f) => anchorFinding(f, inputs.sites, declared)));
  raw.push(...undeclaredKeys(inputs.sites, declared));
  raw.push(...declaredUnused(inputs.sites, declared, readInRuns));
  raw.push(...envWritesOutsideTests(inputs.sites, cfg.allow.envWrites));
  if (on('parallel-setenv')) raw.push(...parallelSetenv(inputs));
  raw.push(...readsOutsideConfig(inputs.sites, cfg.allow.envReads));
  if (on('secret-hygiene')) {
    raw.push(...secretDefaults(inputs.sites, declared), ...secretLiteralWrites(inputs.language, inputs.sites, declared, inputs.readSource));
    raw.push(...committedProdStages(inputs.committedEnvFiles ?? []));
  }
  if (inputs.baseline) raw.push(...newSinceBaseline(inputs.sites, inputs.baseline, declared));
  if (on('secret-to-output') || on('unchecked-parse')) raw.push(...usesFindings(inputs.language, inputs.sites, inputs.goFiles ?? [...new Set(inputs.sites.map((s) => s.file))], inputs.readSource));

  const findings: Finding[] = [];
  for (const f of withoutSuppressed(raw, inputs.readSource)) {
    const level = levels.get(f.rule) ?? 'off';
    if (level !== 'off') findings.push({ ...f, level });
  }
  findings.sort(compareFindings);
  const summary = { error: 0, warning: 0, note: 0 };
  for (const f of findings) summary[f.level]++;
  return {
    version: 1,
    root: inputs.root,
    rules: RULES.map((r) => ({ id: r.id, level: levels.get(r.id) ?? r.level })),
    declaredFrom: [...new Set([...inputs.dotenvs.map((d) => d.file), ...(inputs.config && Object.keys(cfg.declared).length ? [inputs.config.file] : [])])],
    runs: inputs.runs.map((r) => r.info.id),
    findings,
    summary,
  };
}
