/** `envtrace check`'s text output: one line per finding, then the counts. Control characters escaped. */
import { escapeControls } from '../runs/text';
import type { CheckResult } from './check';

/** The text report. */
export function checkText(result: CheckResult): string {
  const lines = result.findings.map((f) => {
    const where = f.file === null ? '-' : `${f.file}${f.line !== null ? `:${f.line}` : ''}${f.column !== null ? `:${f.column}` : ''}`;
    return escapeControls(`${where}  ${f.level}  ${f.rule}  ${f.message}`);
  });
  const { error, warning, note } = result.summary;
  lines.push(`${error} error(s), ${warning} warning(s), ${note} note(s)`);
  return lines.join('\n') + '\n';
}
