/**
 * `envtrace docs [PATH] [--out FILE] [--env-example] [--config FILE]`: the Markdown inventory
 * of PATH's environment (the same document as the editor's Export… → Markdown inventory) on
 * stdout or in FILE; with `--env-example`, regenerates `.env.example` at PATH (or FILE).
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { defaultConfig, CheckInputError, parseConfig } from '../check/config';
import { envExample } from '../docs/envExample';
import { inventoryMarkdown } from '../docs/inventoryMarkdown';
import { createScanner } from '../scan/index';
import type { ScanResult } from '../scan/types';
import { defaultWorkers, loadTree } from '../scan/walk';
import { escapeControls } from '../runs/text';
import { CliError, type Io } from './io';

const usage = 'usage: envtrace docs [PATH] [--out FILE] [--env-example] [--config FILE]';

interface DocsArgs {
  path: string;
  out: string | undefined;
  envExample: boolean;
  config: string | undefined;
}

function parseArgs(args: string[]): DocsArgs | null {
  const out: DocsArgs = { path: '.', out: undefined, envExample: false, config: undefined };
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = () => {
      if (i + 1 >= args.length) throw new CliError(`docs: ${a} needs a value\n${usage}`);
      return args[++i];
    };
    if (a === '-h' || a === '--help') return null;
    if (a === '--out') out.out = value();
    else if (a === '--config') out.config = value();
    else if (a === '--env-example') out.envExample = true;
    else if (a.startsWith('-')) throw new CliError(`docs: unknown flag ${a}\n${usage}`);
    else paths.push(a);
  }
  if (paths.length > 1) throw new CliError(`docs: one PATH at most\n${usage}`);
  if (paths.length) out.path = paths[0];
  return out;
}

function readOr(file: string, what: string): string | null {
  if (!existsSync(file)) return null;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`docs: cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

/** `envtrace docs`. */
export async function docsCommand(args: string[], io: Io): Promise<number> {
  const opts = parseArgs(args);
  if (!opts) {
    io.out(usage + '\n');
    return 0;
  }
  const root = resolve(io.cwd, opts.path);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw new CliError(`docs: not a directory: ${root}`);
  const configFile = opts.config !== undefined ? resolve(io.cwd, opts.config) : join(root, 'envtrace.json');
  const configText = readOr(configFile, 'config');
  if (opts.config !== undefined && configText === null) throw new CliError(`docs: cannot read config ${configFile}: ENOENT`);
  let declared;
  try {
    declared = configText !== null ? parseConfig(configText, basename(configFile)).declared : defaultConfig().declared;
  } catch (e) {
    if (e instanceof CheckInputError) throw new CliError(`docs: ${e.message}`);
    throw e;
  }

  const scanner = await createScanner();
  const index = scanner.createIndex(root);
  const files = await loadTree(index, { from: root, workers: defaultWorkers(), onSkip: (p, why) => io.err(`envtrace: skipped ${escapeControls(p)}: ${escapeControls(why)}\n`) });
  const scan: ScanResult = { root, files, sites: index.allSites() };

  const target = opts.out !== undefined ? resolve(io.cwd, opts.out) : opts.envExample ? join(root, '.env.example') : undefined;
  const text = opts.envExample
    ? envExample(scan.sites, declared, readOr(join(root, '.env.example'), 'template'))
    : inventoryMarkdown(scan, undefined, basename(root), target ? dirname(target) : root);
  if (target === undefined) {
    io.out(text);
    return 0;
  }
  try {
    writeFileSync(target, text);
  } catch (e) {
    throw new CliError(`docs: cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  io.err(`envtrace: wrote ${target}\n`);
  return 0;
}
