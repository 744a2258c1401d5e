/**
 * The scan the text trace needs to place deferred env calls (analysis/deferredTrace.ts): only
 * the Go files of the run's modules that the trace names and whose text defers a call of an
 * env function. Most runs name no such file, and then the scanner is not even loaded (loading
 * it costs ~80 ms, the text pre-filter ~1 ms; docs/FORMATS.md).
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { TraceLine } from '../runs/aggregate';
import { findModules } from '../runs/modules';
import type { Site } from '../scan/index';
import { readGoFile } from '../scan/readGo';

// `defer os.Unsetenv(`, `defer o.Setenv(` (an alias), `defer Unsetenv(` (a dot import): the
// direct calls whose frame a trace records at the function's exit. A deferred helper or
// closure records the line inside it, where the env call is.
const DEFERRED_ENV_CALL = /\bdefer\s+(?:[A-Za-z_]\w*\s*\.\s*)?(?:Getenv|LookupEnv|Setenv|Unsetenv|Clearenv|Environ|ExpandEnv)\s*\(/;

const inside = (file: string, dir: string) => {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..' + sep) && !isAbsolute(rel);
};

/** The sites of each in-module file of `lines` that holds a `defer` (modules found from `cwds`); undefined for other files. */
export async function deferSites(lines: readonly TraceLine[], cwds: readonly string[]): Promise<(file: string) => readonly Site[] | undefined> {
  const modules = findModules(cwds);
  const byModule = new Map<string, Map<string, Buffer>>();
  const seen = new Set<string>();
  for (const l of lines) {
    if (l.file === null || seen.has(l.file) || !l.file.endsWith('.go')) continue;
    seen.add(l.file);
    const mod = modules.find((m) => inside(l.file!, m.dir));
    if (!mod) continue;
    // A file that cannot be read (gone, a FIFO, a symlink out of its module) keeps its trace lines as recorded.
    const bytes = readGoFile(l.file, mod.dir);
    if (typeof bytes === 'string' || !bytes.includes('defer') || !DEFERRED_ENV_CALL.test(bytes.toString('utf8'))) continue;
    const files = byModule.get(mod.dir) ?? new Map<string, Buffer>();
    files.set(l.file, bytes);
    byModule.set(mod.dir, files);
  }
  if (!byModule.size) return () => undefined;
  // Loaded here, not at the top: a bundle would otherwise evaluate the scanner at start-up.
  const { createScanner } = await import('../scan/index.js');
  const scanner = await createScanner();
  const sites = new Map<string, Site[]>();
  for (const [dir, files] of byModule) {
    const index = scanner.createIndex(dir);
    for (const [file, bytes] of files) index.setFile(file, bytes);
    for (const file of files.keys()) sites.set(file, index.sitesOf(file));
  }
  return (file) => sites.get(file);
}
