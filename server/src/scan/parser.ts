/**
 * Loads web-tree-sitter and the Go grammar. The wasm files are looked up beside the running
 * bundle first (dist/web-tree-sitter.wasm, dist/tree-sitter-go.wasm, copied there by the build),
 * then in node_modules (compiled tests run from out/ and have no wasm beside them).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/** Where to find the two wasm files; both are optional and found automatically when absent. */
export interface WasmPaths {
  runtime?: string;
  grammar?: string;
}

function firstExisting(candidates: (() => string | undefined)[]): string | undefined {
  for (const c of candidates) {
    try {
      const p = c();
      if (p && existsSync(p)) return p;
    } catch {
      // not resolvable from here; try the next place
    }
  }
  return undefined;
}

/** Finds web-tree-sitter.wasm and tree-sitter-go.wasm beside the bundle or in node_modules. */
export function locateWasm(paths: WasmPaths = {}): { runtime: string; grammar: string } {
  const runtime = firstExisting([
    () => paths.runtime,
    () => join(__dirname, 'web-tree-sitter.wasm'),
    () => require.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  ]);
  const grammar = firstExisting([
    () => paths.grammar,
    () => join(__dirname, 'tree-sitter-go.wasm'),
    () => join(dirname(require.resolve('tree-sitter-go/package.json')), 'tree-sitter-go.wasm'),
  ]);
  if (!runtime || !grammar) {
    throw new Error('cannot find web-tree-sitter.wasm / tree-sitter-go.wasm (run `npm run build` or `npm ci`)');
  }
  return { runtime, grammar };
}

let loaded: Promise<Language> | undefined;

/** Initialises the tree-sitter runtime once per process and returns the Go language. */
export function loadGoLanguage(paths: WasmPaths = {}): Promise<Language> {
  if (!loaded) {
    const { runtime, grammar } = locateWasm(paths);
    loaded = Parser.init({ locateFile: () => runtime }).then(() => Language.load(grammar));
    loaded.catch(() => (loaded = undefined));
  }
  return loaded;
}

/** A fresh parser for Go (parsers are cheap; the language is shared). */
export function newGoParser(language: Language): Parser {
  const p = new Parser();
  p.setLanguage(language);
  return p;
}
