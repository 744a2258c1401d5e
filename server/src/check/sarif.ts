/**
 * SARIF 2.1.0 for `envtrace check --format sarif` (what GitHub code scanning uploads):
 * the rules as `tool.driver.rules`, findings as results located relative to the `ROOT`
 * base, which `originalUriBaseIds` maps to the checked directory.
 */
import { pathToFileURL } from 'node:url';
import type { CheckResult } from './check';
import { RULES } from './rules';

/** A relative `/` path as a URI reference (each segment percent-encoded). */
function uriOf(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * The SARIF log of a check result. Findings with no place under the root are left out
 * (GitHub rejects the whole file for one result without a location) and counted in the
 * run's `properties.unlocatedFindings`; the other formats show them.
 */
export function toSarif(result: CheckResult, version: string): object {
  const index = new Map(RULES.map((r, i) => [r.id, i]));
  const located = result.findings.filter((f) => f.file !== null);
  const base = pathToFileURL(result.root).href.replace(/\/?$/, '/');
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'envtrace',
            version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
              shortDescription: { text: r.rationale },
              help: { text: r.help },
              defaultConfiguration: { level: r.level === 'off' ? 'none' : r.level, enabled: r.level !== 'off' },
            })),
          },
        },
        originalUriBaseIds: { ROOT: { uri: base } },
        properties: { unlocatedFindings: result.findings.length - located.length },
        results: located.map((f) => ({
          ruleId: f.rule,
          ruleIndex: index.get(f.rule),
          level: f.level,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: uriOf(f.file ?? ''), uriBaseId: 'ROOT' },
                ...(f.line !== null ? { region: { startLine: f.line, ...(f.column !== null ? { startColumn: f.column } : {}) } } : {}),
              },
            },
          ],
        })),
      },
    ],
  };
}
