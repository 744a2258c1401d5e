/**
 * `envtrace check --baseline FILE|GIT-REF`: the sites of the baseline inventory. FILE is the
 * output of `envtrace scan --json` for the baseline tree (paths relative to the same PATH);
 * any other word is a git revision of the repository holding PATH, whose tree is exported with
 * `git archive` into a temporary directory and scanned there — the user's checkout, index and
 * refs are never touched. A revision that looks like an option or holds characters outside
 * git's revision syntax is refused before git sees it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Site } from '../scan/types';
import { createScanner } from '../scan/index';
import { defaultWorkers, loadTree } from '../scan/walk';
import { CliError } from './io';

const REV = /^[A-Za-z0-9_][A-Za-z0-9._/~^@{}+-]*$/;

function git(root: string, args: string[]): string {
  const r = spawnSync('git', ['-c', 'core.fsmonitor=', ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new CliError(`check: --baseline: cannot run git: ${r.error.message}`);
  if (r.status !== 0) throw new CliError(`check: --baseline: git ${args[0]} failed: ${(r.stderr || '').trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

/** The sites of a `scan --json` file. */
function sitesOfFile(file: string): Site[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`check: --baseline ${file}: not an \`envtrace scan --json\` file (${e instanceof Error ? e.message : String(e)})`);
  }
  const sites = (raw as { sites?: unknown })?.sites;
  const ok = (s: unknown) => typeof s === 'object' && s !== null && typeof (s as Site).file === 'string' && typeof (s as Site).kind === 'string' && typeof (s as Site).test === 'boolean';
  if (!Array.isArray(sites) || !sites.every(ok)) throw new CliError(`check: --baseline ${file}: not an \`envtrace scan --json\` file (no "sites" list)`);
  return sites as Site[];
}

/** The sites of PATH's tree at git revision `rev`. */
async function sitesAtRevision(root: string, rev: string): Promise<Site[]> {
  if (!REV.test(rev) || rev.includes('..') || rev.includes('@{-')) throw new CliError(`check: --baseline: "${rev.replace(/[^\x20-\x7e]/g, '?')}" is neither a file nor a git revision envtrace accepts`);
  const top = git(root, ['rev-parse', '--show-toplevel']).trim();
  const prefix = git(root, ['rev-parse', '--show-prefix']).trim().replace(/\/$/, '');
  const found = spawnSync('git', ['-c', 'core.fsmonitor=', 'rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd: root, encoding: 'utf8' });
  if (found.status !== 0) throw new CliError(`check: --baseline: no file and no commit "${rev}" in the repository of ${root}`);
  const commit = found.stdout.trim();
  const tmp = mkdtempSync(join(tmpdir(), 'envtrace-baseline-'));
  try {
    const archive = spawnSync('git', ['-c', 'core.fsmonitor=', 'archive', '--format=tar', commit, ...(prefix ? ['--', prefix] : [])], { cwd: top, maxBuffer: 1 << 30 });
    if (archive.status !== 0) throw new CliError(`check: --baseline ${rev}: git archive failed: ${archive.stderr.toString().trim().split('\n')[0] ?? ''}`);
    const tree = join(tmp, 'tree');
    mkdirSync(tree);
    const untar = spawnSync('tar', ['-x', '-f', '-', '-C', tree], { input: archive.stdout, maxBuffer: 1 << 20 });
    if (untar.status !== 0) throw new CliError(`check: --baseline ${rev}: cannot unpack the tree: ${untar.stderr.toString().trim().split('\n')[0] ?? ''}`);
    const dir = prefix ? join(tree, ...prefix.split('/')) : tree;
    if (!existsSync(dir)) return []; // PATH did not exist at that revision: everything is new
    const scanner = await createScanner();
    const index = scanner.createIndex(dir);
    await loadTree(index, { from: dir, workers: defaultWorkers(), onSkip: () => undefined });
    return index.allSites();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The baseline's sites: from `spec` as a file when one exists there (relative to cwd), else as a git revision. */
export async function baselineSites(spec: string, cwd: string, root: string): Promise<Site[]> {
  const file = resolve(cwd, spec);
  if (!spec.startsWith('-') && existsSync(file) && statSync(file).isFile()) return sitesOfFile(file);
  return sitesAtRevision(root, spec);
}
