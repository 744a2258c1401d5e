/**
 * What the last traced go command resolved, as seen from a go.mod: per `module`, `go` and
 * `toolchain` line the settings that bear on it (value and source), and the findings worth a
 * diagnostic there — GO111MODULE=off for a module, a GOTOOLCHAIN that did not take effect.
 * Pure: the go.mod text and the loaded runs in, plain data out (features/goMod.ts renders it).
 */
import type { GoConfigEntry } from '../runs/goConfig';
import type { ObservedGoCommand, ObservedRun } from './observations';

/** A directive line of go.mod that the editor annotates. */
export interface GoModLine {
  kind: 'module' | 'go' | 'toolchain';
  /** 0-based line, and the directive's value range on it. */
  line: number;
  start: number;
  end: number;
  value: string;
}

/** One line with the settings of the go command that bear on it. */
export interface GoModLineView {
  line: GoModLine;
  /** The hover's settings: the line's main ones, and the others that are not defaults. */
  entries: GoConfigEntry[];
  /** The lens's: the same less the Go distribution's own settings (GOROOT/go.env: GOPROXY, GOSUMDB, GOTOOLCHAIN). */
  lensEntries: GoConfigEntry[];
  /** `go` and `toolchain` lines: the version of the go command that ran. */
  ran?: string;
}

/** A finding on a go.mod line. */
export interface GoModFinding {
  line: GoModLine;
  code: 'envtrace.go111moduleOff' | 'envtrace.toolchainNotTraced' | 'envtrace.toolchainNotUsed';
  message: string;
}

/** The go.mod as the last traced go command that worked on it saw it. */
export interface GoModView {
  command: ObservedGoCommand;
  /** `go build ./...` */
  commandLine: string;
  run: Pick<ObservedRun, 'id' | 'label' | 'command'>;
  lines: GoModLineView[];
  findings: GoModFinding[];
}

/** The settings each line shows; the first ones of a line are shown even at their default. */
const LINE_KEYS: Record<GoModLine['kind'], { always: string[]; more: string[] }> = {
  module: { always: ['GO111MODULE', 'GOFLAGS'], more: ['GOWORK', 'GOPROXY', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOSUMDB', 'GOINSECURE', 'GOVCS', 'GOMODCACHE'] },
  go: { always: ['GOTOOLCHAIN'], more: ['GOOS', 'GOARCH', 'CGO_ENABLED', 'GOEXPERIMENT', 'GOAMD64', 'GOARM', 'GOARM64', 'GO386', 'GOFIPS140'] },
  toolchain: { always: ['GOTOOLCHAIN'], more: [] },
};

/** The `module`, `go` and `toolchain` directives of a go.mod (comments and quotes allowed). */
export function goModLines(text: string): GoModLine[] {
  const out: GoModLine[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\s*)(module|go|toolchain)(\s+)("[^"]*"|`[^`]*`|[^\s/]+)/.exec(lines[i]);
    if (!m || out.some((l) => l.kind === m[2])) continue;
    const start = m[1].length + m[2].length + m[3].length;
    out.push({ kind: m[2] as GoModLine['kind'], line: i, start, end: start + m[4].length, value: m[4].replace(/^["`]|["`]$/g, '') });
  }
  return out;
}

/** `go1.21.13`, `1.21`, `go1.22rc1` → comparable parts; null when it is no version. */
function versionParts(v: string): number[] | null {
  const m = /^(?:go)?(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?$/.exec(v.trim());
  if (!m) return null;
  // A release candidate sorts before the release: 1.22rc1 < 1.22.0.
  const pre = m[4] ? (m[4] === 'beta' ? 0 : 1000) + Number(m[5]) : 1e6;
  return [Number(m[1]), Number(m[2]), m[3] !== undefined ? Number(m[3]) : m[4] ? -1 : 0, pre];
}

/** Compares two Go versions (<0, 0, >0); null when either is not a version. */
export function compareGoVersions(a: string, b: string): number | null {
  const x = versionParts(a);
  const y = versionParts(b);
  if (!x || !y) return null;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return 0;
}

/** The newest go command of the runs that worked on `goModPath`, with its run; null when none did. */
export function lastGoCommandFor(goModPath: string, runs: readonly ObservedRun[]): { command: ObservedGoCommand; run: ObservedRun } | null {
  let best: { command: ObservedGoCommand; run: ObservedRun } | null = null;
  for (const run of runs) {
    for (const command of run.goCommands ?? []) {
      if (!command.goMods.includes(goModPath)) continue;
      if (!best || command.start >= best.command.start) best = { command, run };
    }
  }
  return best;
}

/** The view of one go.mod, or null when no shown run has a go command that worked on it. */
export function goModView(goModPath: string, text: string, runs: readonly ObservedRun[]): GoModView | null {
  const last = lastGoCommandFor(goModPath, runs);
  if (!last) return null;
  const { command, run } = last;
  const cfg = command.config;
  const entry = (k: string) => cfg.config.find((c) => c.key === k);
  const lines = goModLines(text).map((line): GoModLineView => {
    const keys = LINE_KEYS[line.kind];
    const main = keys.always.map(entry).filter((c): c is GoConfigEntry => !!c);
    const more = keys.more.map(entry).filter((c): c is GoConfigEntry => !!c && c.source !== 'default');
    const view: GoModLineView = { line, entries: [...main, ...more], lensEntries: [...main, ...more.filter((c) => c.source !== 'GOROOT/go.env')] };
    return line.kind === 'module' ? view : { ...view, ran: cfg.goVersion };
  });
  return {
    command,
    commandLine: ['go', ...command.argv.slice(1)].join(' '),
    run: { id: run.id, label: run.label, command: run.command },
    lines,
    findings: findings(goModPath, lines, command),
  };
}

/** Where an entry came from, in words: `go env file /home/u/.config/go/env`, `environment, set by make (pid 9)`. */
export function sourceOf(c: GoConfigEntry): string {
  if (c.file) return `${c.source} ${c.file}`;
  if (c.setBy) return `${c.source}, set by ${c.setBy}`;
  return c.source;
}

function findings(goModPath: string, lines: GoModLineView[], command: ObservedGoCommand): GoModFinding[] {
  const out: GoModFinding[] = [];
  const cfg = command.config;
  const at = (kind: GoModLine['kind']) => lines.find((l) => l.line.kind === kind)?.line;
  const mod = cfg.config.find((c) => c.key === 'GO111MODULE');
  const moduleLine = at('module');
  if (mod?.value === 'off' && moduleLine) {
    out.push({ line: moduleLine, code: 'envtrace.go111moduleOff', message: `GO111MODULE=off (${sourceOf(mod)}): the last traced go command (go ${cfg.subcommand}${cfg.args.length ? ' ' + cfg.args.join(' ') : ''}) ignored this go.mod (${goModPath})` });
  }
  const versionLine = at('toolchain') ?? at('go');
  if (!versionLine) return out;
  const tc = cfg.config.find((c) => c.key === 'GOTOOLCHAIN');
  const tcText = tc?.value ? `GOTOOLCHAIN=${tc.value} (${sourceOf(tc)})` : 'GOTOOLCHAIN';
  for (const path of cfg.switchedTo ?? []) {
    out.push({ line: versionLine, code: 'envtrace.toolchainNotTraced', message: `${tcText}: the go command switched to ${path}, which envtrace did not trace (its settings and the programs it built are not in the run)` });
  }
  if (cfg.switchedTo?.length || !cfg.goVersion) return out;
  // A toolchain asked for (by GOTOOLCHAIN=goX, or by this go.mod under auto) that is not the one that ran.
  const pinned = tc?.value && /^go\d[^+]*$/.test(tc.value) ? tc.value : null;
  const wanted = [at('toolchain'), at('go')].filter((l): l is GoModLine => !!l).map((l) => (l.kind === 'go' ? `go${l.value}` : l.value));
  const newest = wanted.filter((w) => (compareGoVersions(w, cfg.goVersion!) ?? 0) > 0)[0];
  if (pinned && compareGoVersions(pinned, cfg.goVersion) !== 0 && compareGoVersions(pinned, cfg.goVersion) !== null) {
    out.push({ line: versionLine, code: 'envtrace.toolchainNotUsed', message: `${tcText} asks for ${pinned}, but the last traced go command ran ${cfg.goVersion}` });
  } else if (!pinned && newest) {
    out.push({ line: versionLine, code: 'envtrace.toolchainNotUsed', message: `this go.mod asks for ${newest}, but the last traced go command ran ${cfg.goVersion} (${tcText} did not switch)` });
  }
  return out;
}
