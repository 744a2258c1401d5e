/**
 * `getenv-outside-config` (off by default): non-test reads of the environment outside the
 * package directories `allow.envReads` lists, the "only the config package reads the
 * environment" policy teams enforce with forbidigo or istio's envvarlinter.
 */
import type { Site } from '../scan/types';
import type { RawFinding } from './finding';
import { allowed } from './staticRules';

/** Non-test reads (any key, pattern or none) in files outside the allowed package directories. */
export function readsOutsideConfig(sites: Site[], allow: string[]): RawFinding[] {
  return sites
    .filter((s) => (s.kind === 'read' || s.kind === 'environ') && !s.test && !allowed(s.file, allow))
    .map((s) => ({
      rule: 'getenv-outside-config',
      message: `${s.api}${s.key !== null ? `(${JSON.stringify(s.key)})` : ''} reads the environment outside the packages allow.envReads lists`,
      file: s.file,
      line: s.line,
      column: s.column,
      key: s.key,
    }));
}
