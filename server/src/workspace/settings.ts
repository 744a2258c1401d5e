/** Server settings: fetched from the client per resource, cached, and forgotten when they change. */
import { parseRunsShown, type RunsShown } from '../analysis/loadObservations';

/** The settings the server reads (section `envtrace`), with their defaults. Mirrors package.json. */
export interface ServerSettings {
  /** `envtrace.codeLens.enabled`: show code lenses on env sites. */
  codeLensEnable: boolean;
  /** `envtrace.inlayHints.enabled`: show observed values after reads. */
  inlayHintsEnabled: boolean;
  /** `envtrace.check.enabled`: run the `envtrace check` rules as diagnostics. */
  checkEnabled: boolean;
  /** `envtrace.runs.show`: which stored runs are shown (`latest` | `all` | N newest). */
  runsShow: RunsShown;
  /** `envtrace.runs.directory`: the run store (`.envtrace`) or its parent; '' means `.envtrace` under the folder. */
  runsDirectory: string;
}

/** Defaults, used when the client cannot answer `workspace/configuration`. */
export const defaultSettings: ServerSettings = { codeLensEnable: true, inlayHintsEnabled: true, checkEnabled: true, runsShow: 'latest', runsDirectory: '.envtrace' };

/** Reads the `envtrace` section the client returned, keeping defaults for anything missing or mistyped. */
export function parseSettings(raw: unknown): ServerSettings {
  const section = isObject(raw) ? raw : {};
  const codeLens = isObject(section.codeLens) ? section.codeLens : {};
  const inlay = isObject(section.inlayHints) ? section.inlayHints : {};
  const runs = isObject(section.runs) ? section.runs : {};
  const check = isObject(section.check) ? section.check : {};
  return {
    codeLensEnable: typeof codeLens.enabled === 'boolean' ? codeLens.enabled : defaultSettings.codeLensEnable,
    inlayHintsEnabled: typeof inlay.enabled === 'boolean' ? inlay.enabled : defaultSettings.inlayHintsEnabled,
    checkEnabled: typeof check.enabled === 'boolean' ? check.enabled : defaultSettings.checkEnabled,
    runsShow: runs.show === undefined ? defaultSettings.runsShow : parseRunsShown(runs.show),
    runsDirectory: typeof runs.directory === 'string' ? runs.directory.trim() : defaultSettings.runsDirectory,
  };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Asks the client for the `envtrace` section of one resource; rejects when the client cannot. */
export type FetchSettings = (resourceUri: string) => Promise<unknown>;

/** Per-resource settings cache; `clear()` on workspace/didChangeConfiguration. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ServerSettings>>();

  constructor(private readonly fetch: FetchSettings | undefined) {}

  /** The settings of `uri` (fetched once until the next `clear`). */
  get(uri: string): Promise<ServerSettings> {
    if (!this.fetch) return Promise.resolve(defaultSettings);
    let s = this.cache.get(uri);
    if (!s) {
      s = this.fetch(uri).then(parseSettings, () => defaultSettings);
      this.cache.set(uri, s);
    }
    return s;
  }

  /** Forgets a closed document's settings. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Forgets everything (settings changed). */
  clear(): void {
    this.cache.clear();
  }
}
