/**
 * `envtrace scan [--json] [PATH...]`: lists the env sites of Go source.
 *
 * With one PATH (default: the current directory) the root is that directory (or, for a
 * file, its directory) and files are printed relative to it. With several PATHs each is
 * scanned on its own and the root is their deepest common directory, so every printed file
 * is relative to one root and the JSON stays one object with one `root`.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { createScanner } from '../scan/index';
import type { ScanResult, Site } from '../scan/types';
import { defaultWorkers, loadTree } from '../scan/walk';
import { CliError, type Io } from './io';
import { escapeControls } from '../runs/text';
import { scanWithUses } from './scanUses';

const usage = 'usage: envtrace scan [--json] [PATH...]';

function commonDir(dirs: string[]): string {
  let common = dirs[0].split(sep);
  for (const d of dirs.slice(1)) {
    const parts = d.split(sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(sep) || sep;
}

/** The text line of one site: `file:line:col  kind  KEY  api`. */
export function formatSite(s: Site): string {
  // File names and keys come from the clone: no control character reaches the terminal raw.
  return escapeControls(`${s.file}:${s.line}:${s.column}  ${s.kind}  ${s.key ?? s.pattern ?? '<dynamic>'}  ${s.api}`);
}

/** `envtrace scan`: prints every env site under the given paths. */
export async function scanCommand(args: string[], io: Io): Promise<number> {
  let json = false;
  const paths: string[] = [];
  let rest = false;
  for (const a of args) {
    if (!rest && a === '--json') json = true;
    else if (!rest && (a === '-h' || a === '--help')) {
      io.out(usage + '\n');
      return 0;
    } else if (!rest && a === '--') rest = true;
    else if (!rest && a.startsWith('-')) throw new CliError(`scan: unknown flag ${a}\n${usage}`);
    else paths.push(a);
  }
  const targets = (paths.length ? paths : ['.']).map((p) => resolve(io.cwd, p));
  for (const t of targets) if (!existsSync(t)) throw new CliError(`scan: no such file or directory: ${t}`);
  const dirs = targets.map((t) => (statSync(t).isDirectory() ? t : dirname(t)));
  const root = targets.length === 1 ? dirs[0] : commonDir(dirs);

  const scanner = await createScanner();
  const index = scanner.createIndex(root);
  // The uses analysis starts from the trees the scan parses anyway (no second parse of those files).
  index.keepLocalFlows = json;
  let files = 0;
  const onSkip = (path: string, reason: string) => io.err(`envtrace: skipped ${escapeControls(path)}: ${escapeControls(reason)}\n`);
  for (const t of new Set(targets)) {
    // A named path that is neither a directory nor a .go file would be scanned as nothing, in silence.
    if (!statSync(t).isDirectory() && !t.endsWith('.go')) onSkip(t, 'not a Go file or a directory');
    else files += await loadTree(index, { from: t, workers: defaultWorkers(), onSkip });
  }
  const result: ScanResult = { root, files, sites: index.allSites() };
  const notes = index.notes();
  if (notes.length) result.notes = notes;
  // A file name may hold control characters: shown escaped, never raw, on the terminal.
  const shown = (s: string) => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  for (const n of notes) io.err(`envtrace: ${shown(n.file)}: ${n.message}\n`);
  if (json) io.out(JSON.stringify(await scanWithUses(index, result), null, 2) + '\n');
  else for (const s of result.sites) io.out(formatSite(s) + '\n');
  return 0;
}
