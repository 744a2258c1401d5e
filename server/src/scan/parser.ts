/**
 * Loads web-tree-sitter and the Go grammar. The wasm files are looked up beside the running
 * bundle first (dist/web-tree-sitter.wasm, dist/tree-sitter-go.wasm, copied there by the build),
 * then in node_modules (compiled tests run from out/ and have no wasm beside them).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
// NOTE: `import = require` makes esbuild pick the package's CommonJS build; the ESM build
// relies on import.meta.url, which is empty inside our CommonJS bundles.
import TreeSitter = require('web-tree-sitter');
type Language = TreeSitter.Language;
type Parser = TreeSitter.Parser;
const { Language, Parser } = TreeSitter;

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
  // NOTE: a created require keeps esbuild from trying to bundle the wasm paths.
  const req = createRequire(__filename);
  const runtime = firstExisting([
    () => paths.runtime,
    () => join(__dirname, 'web-tree-sitter.wasm'),
    () => req.resolve('web-tree-sitter/web-tree-sitter.wasm'),
  ]);
  const grammar = firstExisting([
    () => paths.grammar,
    () => join(__dirname, 'tree-sitter-go.wasm'),
    () => join(dirname(req.resolve('tree-sitter-go/package.json')), 'tree-sitter-go.wasm'),
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
