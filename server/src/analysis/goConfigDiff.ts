/**
 * The go command's configuration compared between two runs (`envtrace diff`): per go command
 * line (`go build ./...`, matched by command line, in order), each setting whose value or
 * source differs. CI vs local: "GOFLAGS=-mod=vendor (environment, set by make) → (default)".
 */
import type { GoCommandConfig, GoConfigEntry } from '../runs/goConfig';
import { escapeControls, showValue } from '../runs/text';

/** One go command of a run: its command line and resolved configuration. */
export interface GoCommandSide {
  argv: string[];
  config: GoCommandConfig;
}

/** One setting that differs (absent side: the go command did not consult it, or did not run). */
export interface GoConfigChange {
  /** `go build ./...` */
  command: string;
  key: string;
  a: Omit<GoConfigEntry, 'key'> | null;
  b: Omit<GoConfigEntry, 'key'> | null;
}

const commandLine = (argv: readonly string[]): string => ['go', ...argv.slice(1)].join(' ');

function shown(e: GoConfigEntry | undefined): Omit<GoConfigEntry, 'key'> | null {
  if (!e) return null;
  const { key: _key, ...rest } = e;
  return rest;
}

const strip = (s: string | undefined): string => (s ?? '').replace(/\(pid \d+\)/g, '(pid)');

function same(x: GoConfigEntry | undefined, y: GoConfigEntry | undefined): boolean {
  if (!x || !y) return !x && !y;
  return x.value === y.value && x.hash === y.hash && x.source === y.source && x.file === y.file && strip(x.setBy) === strip(y.setBy);
}

/** The settings that differ between the go commands of two runs (commands matched by command line, n-th with n-th). */
export function diffGoCommands(a: readonly GoCommandSide[], b: readonly GoCommandSide[]): GoConfigChange[] {
  const out: GoConfigChange[] = [];
  const used = new Set<number>();
  const pairs: [GoCommandSide | undefined, GoCommandSide | undefined][] = [];
  for (const x of a) {
    const j = b.findIndex((y, i) => !used.has(i) && commandLine(y.argv) === commandLine(x.argv));
    if (j >= 0) used.add(j);
    pairs.push([x, j >= 0 ? b[j] : undefined]);
  }
  b.forEach((y, i) => used.has(i) || pairs.push([undefined, y]));
  for (const [x, y] of pairs) {
    const command = commandLine((x ?? y)!.argv);
    const keys = new Set([...(x?.config.config ?? []), ...(y?.config.config ?? [])].map((c) => c.key));
    for (const key of [...keys].sort()) {
      const ex = x?.config.config.find((c) => c.key === key);
      const ey = y?.config.config.find((c) => c.key === key);
      if (x && y && same(ex, ey)) continue;
      if (!x || !y) {
        // A go command that ran in one run only: its non-default settings.
        if ((ex ?? ey)!.source === 'default') continue;
      }
      out.push({ command, key, a: shown(ex), b: shown(ey) });
    }
  }
  return out;
}

function side(e: Omit<GoConfigEntry, 'key'> | null): string {
  if (!e) return '(not run)';
  const v = e.redacted ? `••• (${e.length ?? 0} chars)` : showValue(e.value ?? '');
  const from = e.file ? `${e.source} ${e.file}` : e.setBy ? `${e.source}, set by ${e.setBy}` : e.source;
  return `${v} (${escapeControls(from)})`;
}

/** Text lines for `envtrace diff`, or none when nothing differs. */
export function goConfigDiffText(changes: readonly GoConfigChange[]): string[] {
  if (!changes.length) return [];
  const out = ['go command configuration:'];
  for (const c of changes) out.push(`~ ${escapeControls(c.command)}: ${c.key}  ${side(c.a)} → ${side(c.b)}`);
  return out;
}
