/**
 * The `envtrace check` findings as diagnostics (issue 14, "In the editor"): one per finding
 * that has a place, at the finding's line and level, `code` = the rule id, so what fails CI
 * shows before commit. A config the engine rejects becomes one error on the config file.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver-protocol';
import type { CheckResult } from '../check/check';
import type { Finding } from '../check/finding';
import { escapeControls } from '../runs/text';

/** `Diagnostic.source` of every check diagnostic. */
export const CHECK_SOURCE = 'envtrace check';

/** `Diagnostic.code` of a config the engine rejected. */
export const CONFIG_CODE = 'config';

/** Where the rules are described. */
const RULES_HREF = 'https://github.com/envtrace/envtrace#envtrace-check';

/** What a check diagnostic carries for its quick fixes. */
export interface CheckDiagnosticData {
  rule: string;
  key: string | null;
}

const SEVERITY: Record<Finding['level'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  note: DiagnosticSeverity.Information,
};

/** The range of a finding in its line: from its column (else the first non-blank) to the end of the key when it follows, else of the line. */
function rangeOf(f: Finding, lines: readonly string[] | null): Range {
  const line = (f.line ?? 1) - 1;
  const text = lines?.[line] ?? '';
  const start = f.column !== null ? f.column - 1 : Math.max(0, text.search(/\S/));
  let end = text.trimEnd().length;
  if (f.key !== null) {
    const at = text.indexOf(f.key, start);
    // Through the closing quote and parenthesis of `os.Getenv("KEY")`.
    if (at >= 0) end = at + f.key.length + (/^"?\)?/.exec(text.slice(at + f.key.length))?.[0].length ?? 0);
  }
  return { start: { line, character: start }, end: { line, character: Math.max(start, end) } };
}

/** The diagnostics of a result by file (relative to the root); findings without a file or line are left out. */
export function checkDiagnostics(result: CheckResult, linesOf: (file: string) => readonly string[] | null): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const f of result.findings) {
    if (f.file === null || f.line === null) continue;
    const data: CheckDiagnosticData = { rule: f.rule, key: f.key };
    const d: Diagnostic = {
      range: rangeOf(f, linesOf(f.file)),
      severity: SEVERITY[f.level],
      code: f.rule,
      codeDescription: { href: RULES_HREF },
      source: CHECK_SOURCE,
      message: escapeControls(f.message),
      data,
    };
    out.set(f.file, [...(out.get(f.file) ?? []), d]);
  }
  return out;
}

/** The one diagnostic of a config the check cannot use (`message` is the engine's one line). */
export function configDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
    severity: DiagnosticSeverity.Error,
    code: CONFIG_CODE,
    source: CHECK_SOURCE,
    message: `envtrace check is not run: ${escapeControls(message)}`,
  };
}
