/**
 * `new-key` (with `--baseline`): what the code does with the environment now that the
 * baseline inventory (the sites of `envtrace scan --json` for the older tree) did not — a key
 * read for the first time, a key (or Clearenv) written for the first time, a secret key read
 * in a function that did not read it — so review sees it. Test code is left out. No IO.
 */
import type { Site } from '../scan/types';
import type { Declaration } from './declared';
import type { RawFinding } from './finding';
import { secretKey } from './secretHygiene';

const WRITES = new Set(['write', 'unset', 'clear']);
const at = (s: Site) => ({ file: s.file, line: s.line, column: s.column });
const writeId = (s: Site) => `${s.kind}\0${s.key ?? s.pattern ?? ''}`;
const readerId = (s: Site) => `${s.key}\0${s.file}\0${s.function ?? ''}`;

/** Findings for the non-test sites of `now` that `baseline` has no counterpart for; one per key or write. */
export function newSinceBaseline(now: Site[], baseline: Site[], declared: Map<string, Declaration>): RawFinding[] {
  const old = baseline.filter((s) => !s.test);
  const keys = new Set(old.filter((s) => s.kind === 'read' && s.key !== null).map((s) => s.key));
  const writes = new Set(old.filter((s) => WRITES.has(s.kind)).map(writeId));
  const readers = new Set(old.filter((s) => s.kind === 'read' && s.key !== null).map(readerId));
  const out: RawFinding[] = [];
  const seen = new Set<string>();
  const once = (id: string, f: RawFinding) => {
    if (seen.has(id)) return;
    seen.add(id);
    out.push(f);
  };
  for (const s of now) {
    if (s.test) continue;
    if (s.kind === 'read' && s.key !== null) {
      const secret = secretKey(s.key, declared) ? 'secret ' : '';
      if (!keys.has(s.key)) once(`k\0${s.key}`, { rule: 'new-key', message: `new ${secret}key ${s.key}: read here (${s.api}), read nowhere in the baseline`, ...at(s), key: s.key });
      else if (secret && !readers.has(readerId(s))) once(`r\0${readerId(s)}`, { rule: 'new-key', message: `secret ${s.key} is now read in ${s.function ?? s.file} (${s.api}), which did not read it in the baseline`, ...at(s), key: s.key });
    } else if (WRITES.has(s.kind) && !writes.has(writeId(s))) {
      const what = s.key ?? s.pattern;
      once(`w\0${writeId(s)}`, { rule: 'new-key', message: `new environment write: ${s.api}${what !== null ? `(${JSON.stringify(what)})` : ''}, not in the baseline`, ...at(s), key: s.key });
    }
  }
  return out;
}
