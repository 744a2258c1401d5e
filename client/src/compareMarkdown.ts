/** The Compare Runs document: both runs (older first, exit status) and the diff lines with file links. No `vscode` import. */
import { escapeMarkdown, linkifyLine } from './markdown';
import type { RunInfo } from './runStore';

function exitText(code: number | undefined): string {
  if (code === undefined) return 'unknown';
  return code === 0 ? '0 (passed)' : `**${code} (failed)**`;
}

function runRow(side: string, r: RunInfo): string {
  const when = r.start ? new Date(r.start).toLocaleString() : 'unknown';
  const cells = [side, escapeMarkdown(r.label || r.id), escapeMarkdown(r.command.join(' ') || '—'), escapeMarkdown(when), exitText(r.exitCode), escapeMarkdown(r.id)];
  return `| ${cells.join(' | ')} |`;
}

/**
 * Markdown for `older` → `newer` from the text diff (`envtrace diff --format text`): its own
 * `A:`/`B:` lines become the runs table, every other line a bullet with `file.go:N` links.
 */
export function compareMarkdown(older: RunInfo, newer: RunInfo, diffText: string): string {
  const lines = diffText.split('\n').filter((l) => l.trim() && !/^[AB]: /.test(l));
  const out = [
    `# envtrace: compare ${escapeMarkdown(older.label || older.id)} → ${escapeMarkdown(newer.label || newer.id)}`,
    '',
    '| | run | command | started | exit status | id |',
    '|---|---|---|---|---|---|',
    runRow('A (older)', older),
    runRow('B (newer)', newer),
    '',
  ];
  if (older.exitCode !== newer.exitCode) {
    out.push(`**Exit status changed: ${older.exitCode ?? 'unknown'} → ${newer.exitCode ?? 'unknown'}.**`, '');
  }
  const summary = lines.length && /^(no differences|\d+ keys? differ)/.test(lines[lines.length - 1]) ? lines.pop() : undefined;
  if (summary) out.push(escapeMarkdown(summary[0].toUpperCase() + summary.slice(1)) + '.', '');
  for (const l of lines) out.push(`- ${linkifyLine(l.trim(), older.folder)}`);
  out.push('');
  return out.join('\n');
}
