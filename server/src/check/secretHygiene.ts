/**
 * `secret-hygiene`, the static half: a secret key (declared `"secret": true`, or secret-looking
 * by the recorder's rules, tracer/secrets.ts) with a default in code or written by
 * `os.Setenv` from a literal in non-test code; and a `*_ENV`/`*_STAGE` key that says `prod`
 * in a committed .env file. The run half (a value failing the policy) is in secretPolicy.ts.
 */
import type { Language, Node } from 'web-tree-sitter';
import { newGoParser } from '../scan/index';
import { parseDotenv } from '../scan/dotenv';
import type { Site } from '../scan/types';
import { isSecretKey } from '../tracer/secrets';
import type { DeclaringText, Declaration } from './declared';
import type { RawFinding } from './finding';

const RULE = 'secret-hygiene';
const at = (s: Site) => ({ file: s.file, line: s.line, column: s.column });

/** Whether `key` holds a secret: declared so, or secret-looking by name. */
export function secretKey(key: string, declared: Map<string, Declaration>): boolean {
  return declared.get(key)?.info.secret === true || isSecretKey(key);
}

/** Non-test reads of secret keys that fall back to a default written in the code. */
export function secretDefaults(sites: Site[], declared: Map<string, Declaration>): RawFinding[] {
  return sites
    .filter((s) => s.kind === 'read' && !s.test && s.key !== null && s.default !== null && secretKey(s.key, declared))
    .map((s) => ({ rule: RULE, message: `secret ${s.key} falls back to a default written in the code: a missing secret goes unnoticed and the default is in the repository`, ...at(s), key: s.key }));
}

const LITERALS = new Set(['interpreted_string_literal', 'raw_string_literal']);

/** Whether the call at (row, byte column) passes a string literal as its second argument. */
function literalValue(root: Node, row: number, column: number): boolean {
  let call: Node | null = root.descendantForPosition({ row, column });
  while (call && call.type !== 'call_expression') call = call.parent;
  const args = call?.childForFieldName('arguments')?.namedChildren ?? [];
  return args.length === 2 && args[1] !== null && LITERALS.has(args[1].type);
}

/** Non-test writes of secret keys whose value is a string literal (the secret is in the code). */
export function secretLiteralWrites(language: Language, sites: Site[], declared: Map<string, Declaration>, readSource: (file: string) => string | null): RawFinding[] {
  const byFile = new Map<string, Site[]>();
  for (const s of sites) {
    if (s.kind === 'write' && !s.test && s.key !== null && secretKey(s.key, declared)) byFile.set(s.file, [...(byFile.get(s.file) ?? []), s]);
  }
  const out: RawFinding[] = [];
  for (const [file, list] of byFile) {
    const text = readSource(file);
    if (text === null) continue;
    const parser = newGoParser(language);
    const tree = parser.parse(text);
    try {
      if (!tree) continue;
      const lines = text.split('\n');
      for (const s of list) {
        // Site columns count UTF-16 units; tree-sitter's count bytes.
        const column = Buffer.byteLength((lines[s.line - 1] ?? '').slice(0, s.column - 1));
        if (literalValue(tree.rootNode, s.line - 1, column)) out.push({ rule: RULE, message: `secret ${s.key} is set from a string literal (${s.api}): the secret is in the code`, ...at(s), key: s.key });
      }
    } finally {
      tree?.delete();
      parser.delete();
    }
  }
  return out;
}

const STAGE_KEY = /_(ENV|STAGE)$/i;

/** `*_ENV`/`*_STAGE` keys whose value says prod in committed .env files (paths relative to the root). */
export function committedProdStages(files: DeclaringText[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const f of files) {
    for (const e of parseDotenv(f.text).entries) {
      if (!STAGE_KEY.test(e.key) || !/prod/i.test(e.value)) continue;
      out.push({ rule: RULE, message: `${e.key} says production in ${f.file}, a file committed to the repository: a copy of it runs against production`, file: f.file, line: e.keyRange.line + 1, column: e.keyRange.start + 1, key: e.key });
    }
  }
  return out;
}
