/**
 * `envtrace check --format github`: workflow commands that GitHub Actions turns into
 * annotations, and a Markdown job summary. Escaping follows GitHub's workflow-command
 * rules: in the message `%`, CR and LF; in properties also `:` and `,`.
 */
import { escapeControls } from '../runs/text';
import type { CheckResult } from './check';
import type { Finding } from './finding';

/** Escapes a workflow command's message. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escapes a workflow command's property value. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

/** One `::error file=…,line=…,col=…,title=…::message` line; `path` maps a root-relative file to the workspace. */
export function annotation(f: Finding, path: (file: string) => string): string {
  const props: string[] = [];
  if (f.file !== null) {
    props.push(`file=${escapeProperty(path(f.file))}`);
    if (f.line !== null) props.push(`line=${f.line}`);
    if (f.column !== null) props.push(`col=${f.column}`);
  }
  props.push(`title=${escapeProperty(`envtrace ${f.rule}`)}`);
  return `::${COMMAND[f.level]} ${props.join(',')}::${escapeData(f.message)}`;
}

/** Markdown-safe table cell: control characters escaped, no pipes, HTML or emphasis. */
function cell(s: string): string {
  return escapeControls(s).replace(/[\\`*|<>[\]]/g, (c) => `\\${c}`);
}

/** The job summary: counts and a table of findings. */
export function summaryMarkdown(result: CheckResult, path: (file: string) => string): string {
  const { error, warning, note } = result.summary;
  const lines = ['## envtrace check', '', `${error} error(s), ${warning} warning(s), ${note} note(s)${result.runs.length ? ` — runs: ${result.runs.map(cell).join(', ')}` : ''}`, ''];
  if (result.findings.length) {
    lines.push('| level | rule | where | message |', '| --- | --- | --- | --- |');
    for (const f of result.findings) {
      const where = f.file === null ? '' : `${path(f.file)}${f.line !== null ? `:${f.line}` : ''}`;
      lines.push(`| ${f.level} | ${f.rule} | ${cell(where)} | ${cell(f.message)} |`);
    }
    lines.push('');
  }
  return lines.join('\n') + '\n';
}
