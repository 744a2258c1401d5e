/**
 * go.mod: a lens and a hover on the `module`, `go` and `toolchain` lines with what the last
 * traced go command resolved (value and source), and diagnostics for GO111MODULE=off and a
 * GOTOOLCHAIN that did not take effect. Pure functions of analysis/goModConfig.ts's view.
 */
import { DiagnosticSeverity, type CodeLens, type Diagnostic, type Hover, type Position } from 'vscode-languageserver-protocol';
import type { GoModLineView, GoModView } from '../analysis/goModConfig';
import { sourceOf } from '../analysis/goModConfig';
import type { GoConfigEntry } from '../runs/goConfig';
import { escapeControls, showValue } from '../runs/text';
import { escapeMarkdown } from './markdown';

/** True for a URI or path naming a go.mod file. */
export function isGoMod(uri: string): boolean {
  return /(^|[\\/])go\.mod$/.test(uri);
}

function valueText(c: GoConfigEntry): string {
  if (c.redacted) return `••• (${c.length ?? '?'} chars)`;
  return showValue(c.value ?? '');
}

/** `GO111MODULE="off" (go env file)`: the lens names the source, the hover also its file. */
function short(c: GoConfigEntry): string {
  return `${c.key}=${valueText(c)} (${c.source}${c.setBy ? `, set by ${c.setBy}` : ''})`;
}

const range = (v: GoModLineView, whole = false) => ({ start: { line: v.line.line, character: whole ? 0 : v.line.start }, end: { line: v.line.line, character: v.line.end } });

/** One lens per annotated line: `go build ./... · GO111MODULE="off" (go env file) · GOFLAGS="" (default)`. */
export function goModLenses(view: GoModView | null): CodeLens[] {
  if (!view) return [];
  return view.lines.map((v) => {
    const ran = v.ran ? [`ran ${v.ran}`] : [];
    const title = escapeControls([`last go command: ${view.commandLine}`, ...ran, ...v.lensEntries.map(short)].join(' · '));
    return { range: { start: { line: v.line.line, character: 0 }, end: { line: v.line.line, character: 0 } }, command: { title, command: '' } };
  });
}

/** The hover on an annotated line: the go command, a table of its settings with their sources, the warnings. */
export function goModHover(view: GoModView | null, pos: Position): Hover | null {
  const v = view?.lines.find((l) => l.line.line === pos.line);
  if (!view || !v) return null;
  const run = view.run.label ?? view.run.id;
  const sections = [`**Last traced go command**: ${escapeMarkdown(view.commandLine)} (pid ${view.command.pid}, run ${escapeMarkdown(run)})`];
  if (v.ran) sections.push(`Ran ${escapeMarkdown(v.ran)}`);
  if (v.entries.length) {
    const rows = v.entries.map((c) => `| ${escapeMarkdown(c.key)} | ${escapeMarkdown(valueText(c))} | ${escapeMarkdown(sourceOf(c))} |`);
    sections.push(['| setting | value | from |', '| --- | --- | --- |', ...rows].join('\n'));
  }
  const warnings = [...view.findings.filter((f) => f.line.line === v.line.line).map((f) => f.message), ...view.command.config.warnings.filter((w) => relevant(v, w))];
  const unique = [...new Set(warnings)];
  if (unique.length) sections.push(unique.map((w) => `⚠ ${escapeMarkdown(w)}`).join('  \n'));
  return { contents: { kind: 'markdown', value: sections.join('\n\n') }, range: range(v, true) };
}

/** The go command's own warnings that speak of a line's settings. */
function relevant(v: GoModLineView, warning: string): boolean {
  return v.entries.some((c) => warning.startsWith(c.key) || warning.includes(` ${c.key}`)) || (v.line.kind !== 'module' && /^(switched toolchain|cross build)/.test(warning));
}

/** The diagnostics of a go.mod (Warning, source envtrace, code per finding). */
export function goModDiagnostics(view: GoModView | null): Diagnostic[] {
  if (!view) return [];
  return view.findings.map((f) => ({
    range: { start: { line: f.line.line, character: f.line.start }, end: { line: f.line.line, character: f.line.end } },
    severity: DiagnosticSeverity.Warning,
    code: f.code,
    source: 'envtrace',
    message: escapeControls(f.message),
  }));
}
