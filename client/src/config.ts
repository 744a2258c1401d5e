/**
 * The extension's settings as one typed object with defaults. package.json declares the
 * same keys and defaults; test/unit/clientConfig.test.ts asserts that the two agree.
 * This file does not import `vscode` at run time, so the unit test can load it.
 */

/** Which runs the lenses, hovers and views show. */
export type RunsShow = 'latest' | 'all' | number;

/** Every `envtrace.*` setting, by its key below the `envtrace.` section. */
export interface EnvtraceConfig {
  goPath: string;
  'runs.directory': string;
  'runs.keep': number;
  'runs.show': RunsShow;
  'redact.patterns': string[];
  'runs.fullEnvironment': boolean;
  'runs.traceGoCommand': boolean;
  prebuild: boolean;
  'codeLens.enabled': boolean;
  'inlayHints.enabled': boolean;
  'check.enabled': boolean;
  stackDepth: number;
  'test.flags': string[];
  'trace.server': 'off' | 'messages' | 'verbose';
}

/** The default of each setting, as package.json declares it. */
export const configDefaults: Readonly<EnvtraceConfig> = Object.freeze({
  goPath: '',
  'runs.directory': '.envtrace',
  'runs.keep': 20,
  'runs.show': 'latest',
  'redact.patterns': [],
  'runs.fullEnvironment': false,
  'runs.traceGoCommand': true,
  prebuild: true,
  'codeLens.enabled': true,
  'inlayHints.enabled': true,
  'check.enabled': true,
  stackDepth: 16,
  'test.flags': [],
  'trace.server': 'off',
});

/** The part of vscode.WorkspaceConfiguration that reading settings needs. */
export interface SettingsSource {
  get<T>(key: string): T | undefined;
}

/** Reads every setting from `source` (the `envtrace` section), falling back to the defaults on missing or ill-typed values. */
export function readConfig(source: SettingsSource): EnvtraceConfig {
  const out = { ...configDefaults } as Record<string, unknown>;
  for (const [key, def] of Object.entries(configDefaults)) {
    const value = source.get<unknown>(key);
    if (value !== undefined && sameShape(value, def, key)) out[key] = value;
  }
  return out as unknown as EnvtraceConfig;
}

function sameShape(value: unknown, def: unknown, key: string): boolean {
  if (key === 'runs.show') return value === 'latest' || value === 'all' || (typeof value === 'number' && value >= 1);
  if (Array.isArray(def)) return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (typeof def === 'number') return typeof value === 'number' && Number.isFinite(value) && value >= 0;
  return typeof value === typeof def;
}
