/**
 * `envtrace check [PATH] [--run RUN…] [--baseline FILE|GIT-REF] [--format text|json|sarif|github] [--config FILE] [--dir DIR]`:
 * the environment policy gate (issue 14). Loads the inputs (scan of PATH, declaring dotenv
 * files at PATH, envtrace.json, runs) and hands them to the engine in check/.
 * Exit 0 clean, 1 when an error-level rule fired, 2 on bad input.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { readRegularSync, UnreadableFile } from '../files/readRegular';
import { MAX_GO_FILE } from '../scan/readGo';
import { join, relative, resolve, sep } from 'node:path';
import { createScanner, loadGoLanguage } from '../scan/index';
import { defaultWorkers, loadTree } from '../scan/walk';
import { resolveRun, RunStoreError, type StoredRun } from '../runs/store';
import { escapeControls } from '../runs/text';
import { runCheck } from '../check/check';
import { CheckInputError } from '../check/config';
import { DECLARING_FILES, type DeclaringText } from '../check/declared';
import { annotation, summaryMarkdown } from '../check/github';
import { toSarif } from '../check/sarif';
import { checkText } from '../check/text';
import { baselineSites } from './baseline';
import { committedEnvFiles } from './committedEnv';
import { CliError, type Io } from './io';
import { storeFor } from './storeDir';
import { VERSION } from './version';

const usage = 'usage: envtrace check [PATH] [--run RUN...] [--baseline FILE|GIT-REF] [--format text|json|sarif|github] [--config FILE] [--dir DIR]';
const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

interface CheckArgs {
  path: string;
  runs: string[];
  /** Runs taken from the words after a `--run RUN` (so an error can say PATH goes first). */
  extraRuns: Set<string>;
  format: Format;
  config: string | undefined;
  dir: string | undefined;
  baseline: string | undefined;
}

function parseArgs(args: string[]): CheckArgs | null {
  const out: CheckArgs = { path: '.', runs: [], extraRuns: new Set(), format: 'text', config: undefined, dir: undefined, baseline: undefined };
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [name, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= args.length) throw new CliError(`check: ${name} needs a value\n${usage}`);
      return args[++i];
    };
    if (name === '-h' || name === '--help') return null;
    if (name === '--run') {
      // `--run A B` takes the following non-flag words as runs too, as the usage line says.
      out.runs.push(value());
      while (inline === undefined && i + 1 < args.length && !args[i + 1].startsWith('-')) {
        out.runs.push(args[++i]);
        out.extraRuns.add(args[i]);
      }
    } else if (name === '--format') {
      const f = value();
      if (!FORMATS.includes(f as Format)) throw new CliError(`check: --format is one of ${FORMATS.join(', ')}, not "${f}"`);
      out.format = f as Format;
    } else if (name === '--config') out.config = value();
    else if (name === '--dir') out.dir = value();
    else if (name === '--baseline') out.baseline = value();
    else if (name.startsWith('-')) throw new CliError(`check: unknown flag ${name}\n${usage}`);
    else paths.push(a);
  }
  if (paths.length > 1) throw new CliError(`check: one PATH at most\n${usage}`);
  if (paths.length) out.path = paths[0];
  return out;
}

/** A config or declaring file: a regular file only (a FIFO in a clone must not hang CI), capped. */
function readText(file: string, what: string): string {
  try {
    return readRegularSync(file, { maxBytes: MAX_GO_FILE }).toString('utf8');
  } catch (e) {
    const why = e instanceof UnreadableFile ? e.reason : ((e as NodeJS.ErrnoException).code ?? String(e));
    throw new CliError(`check: cannot read ${what} ${file}: ${why}`);
  }
}

/** The config file: --config FILE (must exist), else envtrace.json at the root when present. */
function loadConfig(root: string, flag: string | undefined, io: Io): DeclaringText | null {
  const file = flag !== undefined ? resolve(io.cwd, flag) : join(root, 'envtrace.json');
  if (flag === undefined && !existsSync(file)) return null;
  const rel = relative(root, file);
  const name = rel && !rel.startsWith('..') ? rel.split(sep).join('/') : file;
  return { file: name, text: readText(file, 'config') };
}

/** `envtrace check`. */
export async function checkCommand(args: string[], io: Io): Promise<number> {
  const opts = parseArgs(args);
  if (!opts) {
    io.out(usage + '\n');
    return 0;
  }
  const target = resolve(io.cwd, opts.path);
  if (!existsSync(target) || !statSync(target).isDirectory()) throw new CliError(`check: not a directory: ${target}`);
  const root = target;
  const config = loadConfig(root, opts.config, io);
  const dotenvs = DECLARING_FILES.filter((f) => existsSync(join(root, f))).map((f) => ({ file: f, text: readText(join(root, f), 'declarations') }));

  const runs: StoredRun[] = [];
  try {
    // `latest` is the newest stored run, as `envtrace report` without RUN picks it.
    for (const spec of opts.runs) {
      try {
        runs.push(await resolveRun(storeFor(opts.dir, io), spec === 'latest' ? undefined : spec, io.cwd));
      } catch (e) {
        if (e instanceof RunStoreError && opts.extraRuns.has(spec)) throw new RunStoreError(`${e.message} (--run takes every word after it: put PATH first)`);
        throw e;
      }
    }
  } catch (e) {
    if (e instanceof RunStoreError) throw new CliError(`check: ${e.message}`);
    throw e;
  }

  const baseline = opts.baseline !== undefined ? await baselineSites(opts.baseline, io.cwd, root) : undefined;
  const scanner = await createScanner();
  const index = scanner.createIndex(root);
  await loadTree(index, { from: root, workers: defaultWorkers(), onSkip: (p, why) => io.err(`envtrace: skipped ${escapeControls(p)}: ${escapeControls(why)}\n`) });
  let result;
  try {
    result = await runCheck({
      root,
      sites: index.allSites(),
      readSource: (file) => {
        try {
          return readRegularSync(join(root, ...file.split('/')), { within: root, maxBytes: MAX_GO_FILE }).toString('utf8');
        } catch {
          return null;
        }
      },
      language: await loadGoLanguage(),
      goFiles: index.goFiles().map((p) => index.relativePath(p)),
      dotenvs,
      config,
      runs,
      committedEnvFiles: committedEnvFiles(root),
      baseline,
    });
  } catch (e) {
    if (e instanceof CheckInputError) throw new CliError(`check: ${e.message}`);
    throw e;
  }

  // Annotations and the summary name files relative to where the job runs (the checkout).
  const fromCwd = (file: string) => {
    const rel = relative(io.cwd, join(root, ...file.split('/')));
    return rel.split(sep).join('/');
  };
  if (opts.format === 'json') io.out(JSON.stringify(result, null, 2) + '\n');
  else if (opts.format === 'sarif') io.out(JSON.stringify(toSarif(result, VERSION), null, 2) + '\n');
  else if (opts.format === 'text') io.out(checkText(result));
  else {
    for (const f of result.findings) io.out(annotation(f, fromCwd) + '\n');
    const summaryFile = io.env.GITHUB_STEP_SUMMARY;
    if (summaryFile) {
      try {
        appendFileSync(summaryFile, summaryMarkdown(result, fromCwd));
      } catch (e) {
        throw new CliError(`check: cannot write GITHUB_STEP_SUMMARY ${summaryFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
    }
  }
  return result.summary.error > 0 ? 1 : 0;
}
