/**
 * The text trace: one line per distinct (site, op, key, value) with a count, race
 * warnings, and the summary. Values are quoted and truncated; redacted ones show only
 * their length and hash prefix.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { RunAggregate, Totals, TraceLine } from './aggregate';
import type { RunState } from './liveness';
import type { ReadStats } from './reader';
import type { ReportRace } from './report';
import { lineText, validCount } from './frames';

const MAX_VALUE = 60;

/** A value as shown: JSON-quoted, truncated with an ellipsis. */
export function showValue(v: string): string {
  const cut = [...v].length > MAX_VALUE ? [...v].slice(0, MAX_VALUE).join('') + '…' : v;
  return JSON.stringify(cut);
}

// C0 and C1 controls, DEL, line/paragraph separators and bidirectional overrides: what a
// terminal or an editor would act on instead of showing.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from run data made safe for a terminal or a one-line label: control characters are
 * written as the JSON escapes the trace uses for values (`\n`, `\u001b`), the rest as is.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const json = JSON.stringify(c).slice(1, -1);
    return json.length > 1 ? json : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** A file relative to `cwd` when inside it, else as is. */
export function showFile(file: string, cwd: string): string {
  if (!cwd || !isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : file;
}

function tag(l: TraceLine): string {
  if (l.op === 'getenv') return l.api === 'os.LookupEnv' || l.api === 'syscall.Getenv' ? 'LOOKUP' : 'GETENV';
  return l.op.toUpperCase();
}

function outcome(l: TraceLine): string {
  if (l.otherValues) return 'other values';
  if (l.hash !== undefined) return `redacted (${validCount(l.length) ? `${l.length} bytes` : 'invalid length'}, hash ${escapeControls(l.hash)})`;
  switch (l.op) {
    case 'getenv':
      return l.found ? `value=${showValue(l.value ?? '')}` : 'unset';
    case 'setenv':
      // A write the OS refused (`ok:false`, e.g. a key with '=') changed nothing.
      return l.found ? `value=${showValue(l.value ?? '')}` : `failed (value=${showValue(l.value ?? '')})`;
    case 'spawn':
    case 'exec':
      return l.path !== undefined ? `program=${showValue(l.path)}` : l.found ? 'ok' : 'failed';
    default:
      return l.found ? 'ok' : 'failed';
  }
}

/** One line of the trace, e.g. `[GETENV] main.go:12 → os.Getenv("PORT") → value="8080" (×3)`. */
export function traceLineText(l: TraceLine, cwd: string): string {
  const where = l.file ? `${escapeControls(showFile(l.file, cwd))}:${lineText(l.line)}` : l.api === 'runtime' ? '(runtime)' : '(standard library)';
  const args = l.key !== null ? JSON.stringify(l.key) + (l.op === 'setenv' ? ', …' : '') : '';
  const api = escapeControls(l.api);
  const call = l.op === 'spawn' || l.op === 'exec' ? api : `${api}(${args})`;
  return `[${tag(l)}] ${where} → ${call} → ${outcome(l)} (×${l.count})`;
}

/** The warning line for a race on `key`. */
export function raceLineText(key: string, race: ReportRace, cwd: string): string {
  const at = (p: { file: string | null; line: number | null }) => (p.file ? ` at ${escapeControls(showFile(p.file, cwd))}:${lineText(p.line)}` : '');
  const w = race.writers[0];
  const r = race.readers[0];
  const verb = r && r.op === 'getenv' ? 'read' : 'written';
  const parts = [w ? `written by goroutine ${w.goroutine}${at(w)} (${escapeControls(w.api)})` : '', r ? `${verb} by goroutine ${r.goroutine}${at(r)} (${escapeControls(r.api)})` : ''];
  return `⚠ [RACE] ${race.level} race on ${escapeControls(key)}: ${parts.filter(Boolean).join(', ')}`;
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** The summary lines. */
export function summaryText(t: Totals, stats: ReadStats, where: { id: string; dir: string; state?: RunState; goCommands?: number }): string[] {
  const lines = [
    // The counts the editor's status bar shows (runs/keyCount.ts), then the event figures.
    `envtrace: ${plural(t.keysRead, 'key')} read · ${t.unsetKeys} unset · ${plural(t.races, 'race')} (${plural(t.reads, 'read')}, ${t.unsetReads} unset; ${plural(t.writes, 'write')}${t.clears ? `, ${plural(t.clears, 'clear')}` : ''}; ${plural(t.processes, 'process', 'processes')})${where.goCommands ? ` · ${plural(where.goCommands, 'go command')}` : ''}`,
  ];
  const problems: string[] = [];
  if (stats.badLines) problems.push(`${plural(stats.badLines, 'unreadable line')} skipped`);
  if (stats.lostEvents) problems.push(`${plural(stats.lostEvents, 'event')} lost (gaps in seq)`);
  if (stats.unreadableFiles) problems.push(`${plural(stats.unreadableFiles, 'process file')} not readable`);
  if (problems.length) lines.push(`envtrace: warning: ${problems.join(', ')}`);
  if (where.state === 'interrupted') lines.push('envtrace: warning: run interrupted (the envtrace recording it ended without finishing it): showing what it recorded');
  if (where.state === 'running') lines.push('envtrace: note: run still being recorded: showing what it recorded so far');
  for (const note of stats.notes ?? []) lines.push(`envtrace: skipped ${escapeControls(note)}`);
  if (!t.processes && !where.goCommands) {
    lines.push('envtrace: warning: no traced Go process ran (only programs built by the go command beneath envtrace are traced)');
  }
  lines.push(`envtrace: run ${escapeControls(where.id)} stored in ${escapeControls(where.dir)}`);
  return lines;
}

/**
 * The whole text output: trace lines and race warnings (unless quiet), then the summary.
 * `lines`: the trace lines to print when not the aggregate's own (deferred calls placed).
 */
export function renderText(agg: RunAggregate, stats: ReadStats, where: { id: string; dir: string; cwd: string; state?: RunState; goCommands?: number }, quiet = false, lines?: readonly TraceLine[]): string {
  const out: string[] = [];
  if (!quiet) {
    for (const l of lines ?? agg.traceLines()) out.push(traceLineText(l, where.cwd));
    for (const [key, race] of agg.races()) out.push(raceLineText(key, race, where.cwd));
  }
  out.push(...summaryText(agg.totals(), stats, where));
  return out.join('\n') + '\n';
}
