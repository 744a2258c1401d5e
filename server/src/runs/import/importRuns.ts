/**
 * `envtrace import` and the editor's Import Run…: JSON reports, OTLP JSON files (the
 * Collector's file exporter) and run directories — many at once — become ONE stored run whose
 * processes keep where they ran (docs/FORMATS.md section 8).
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { openRegular, UnreadableFile } from '../../files/readRegular';
import { fileChunks } from '../lines';
import { readRun } from '../reader';
import { replayReport } from '../../analysis/reportReplay';
import { createRun, readRunInfo, workspaceKey, type StoredRun } from '../store';
import { FleetWriter } from './fleetWriter';
import { ForwardVisitor } from './forward';
import { ImportNotes } from './notes';
import { readKey } from '../key';
import { UnsafeWriteError } from '../../files/writeSafe';
import { importOtlpLine } from './otlp';

/** What an import made. */
export interface ImportResult {
  run: StoredRun;
  processes: number;
  /** Event lines written (an aggregated access is one). */
  events: number;
  /** Records, processes or reports left out because they were imported already. */
  duplicates: number;
  /** Values that arrived in clear but look secret, redacted on import. */
  redacted: number;
  /** What was skipped and why, one line per source and reason. */
  notes: string[];
}

/** A source that cannot be imported at all (missing, unreadable, not a known format): one line. */
export class ImportError extends Error {}

export type SourceKind = 'otlp' | 'report' | 'dir';

const PROCESS_FILE = /^\d+-\d+\.jsonl$/;

/** What a path holds: a run directory (process files, or run directories one level down), an OTLP JSON file, or a JSON report. */
export async function sourceKind(path: string): Promise<SourceKind> {
  const st = await stat(path).catch(() => null);
  if (!st) throw new ImportError(`${path} does not exist`);
  if (st.isDirectory()) return 'dir';
  let head: Buffer;
  try {
    const fh = await openRegular(path);
    try {
      const b = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(b, 0, b.length, 0);
      head = b.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new ImportError(e instanceof UnreadableFile ? e.message : `${path}: ${(e as Error).message}`);
  }
  if (head[0] === 0x1f && head[1] === 0x8b) throw new ImportError(`${path} is gzip-compressed: decompress it first (gunzip -k)`);
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) throw new ImportError(`${path} is zstd-compressed: decompress it first (zstd -d)`);
  const text = head.toString('utf8').replace(/^\uFEFF/, '');
  // A report starts with its version; an OTLP file's lines with resourceLogs (a bad first line aside).
  if (!/^\s*\{\s*"version"/.test(text) && /(^|\n)\s*\{\s*"resourceLogs"/.test(text)) return 'otlp';
  if (/^\s*\{/.test(text)) return 'report';
  throw new ImportError(`${path} is neither a JSON report, an OTLP JSON file nor a run directory`);
}

/** The run directories a directory stands for: itself when it holds process files, else its subdirectories that do. */
async function runDirs(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  if (names.some((n) => PROCESS_FILE.test(n))) return [dir];
  const out: string[] = [];
  for (const n of names.sort()) {
    const sub = join(dir, n);
    const st = await stat(sub).catch(() => null);
    if (st?.isDirectory() && (await readdir(sub).catch(() => [] as string[])).some((f) => PROCESS_FILE.test(f))) out.push(sub);
  }
  if (!out.length) throw new ImportError(`${dir} is not a run directory (no process files in it or in its subdirectories)`);
  return out;
}

/** Options of an import: a label, and the store (`.envtrace`) to import into. */
export interface ImportOptions {
  label?: string | null;
  store: string;
}

/** Imports `sources` into one new run of the store. Throws ImportError when a source cannot be read at all, before anything is stored. */
export async function importRuns(sources: readonly string[], o: ImportOptions): Promise<ImportResult> {
  if (!sources.length) throw new ImportError('nothing to import');
  const kinds = await Promise.all(sources.map(async (s) => ({ path: resolve(s), kind: await sourceKind(resolve(s)) })));
  const writer = new FleetWriter(await workspaceKey(o.store));
  const notes = new ImportNotes();
  const seen = new Set<string>();
  let cwd = '';
  for (const { path, kind } of kinds) {
    notes.source = basename(path);
    if (kind === 'otlp') await readOtlp(path, writer, seen, notes);
    else if (kind === 'report') {
      // Two copies of one report (same id) hold the same processes: the second is a duplicate.
      const id = await reportId(path);
      const forward = new ForwardVisitor(writer, notes, `report\0${id ?? path}`, id ?? '');
      const r = await replayReport(path, forward);
      if (r.head.version !== 1) throw new ImportError(`${path}: ${r.message ?? 'not an envtrace report'}`);
      if (r.message) notes.add(r.message);
      if (r.badLines) notes.add(`${r.badLines} unreadable event(s)`);
      cwd ||= r.head.cwd;
    } else {
      for (const dir of await runDirs(path)) {
        const info = await readRunInfo(dir).catch(() => null);
        notes.source = basename(path) === basename(dir) ? basename(dir) : `${basename(path)}/${basename(dir)}`;
        const forward = new ForwardVisitor(writer, notes, `dir\0${info?.id ?? dir}`, info?.id ?? basename(dir), await dirKey(dir, notes));
        const stats = await readRun(dir, forward, { cwds: info ? [info.cwd] : [], goroot: info?.goroot ?? undefined, gomodcache: info?.gomodcache ?? undefined });
        for (const n of stats.notes ?? []) notes.add(n);
        if (stats.badLines) notes.add(`${stats.badLines} unreadable line(s)`);
        cwd ||= info?.cwd ?? '';
      }
    }
  }
  if (writer.processes === 0) throw new ImportError(`no traced process found in ${sources.join(', ')}${notes.lines().length ? ` (${notes.lines().slice(0, 3).join('; ')})` : ''}`);
  const now = new Date().toISOString();
  const imported = { sources: kinds.map((k) => k.path), notes: notes.lines(), duplicates: notes.duplicates };
  const run = await createRun(o.store, {
    label: o.label ?? null, command: [], cwd: cwd || dirname(o.store), start: now, end: now, exitCode: null, goVersion: null,
    goos: null, goarch: null, gitCommit: null, mode: 'env', imported,
  });
  try {
    await writer.write(run.dir);
  } catch (e) {
    await rm(run.dir, { recursive: true, force: true });
    throw e;
  }
  return { run, processes: writer.processes, events: writer.events, duplicates: notes.duplicates, redacted: writer.redacted, notes: imported.notes };
}

/**
 * The key of a run directory that binaries of `envtrace build` recorded into without being
 * given one (`<dir>/key`, docs/FORMATS.md section 2): its processes' hashes are under it, so
 * values redacted on import use it too and compare with them. Trusted as the workspace key is
 * (key.ts `readKey`: a regular file of this user's, mode 600, a random key); one that is not is
 * left unused with a note, and the workspace key hashes instead.
 */
async function dirKey(dir: string, notes: ImportNotes): Promise<string | undefined> {
  try {
    return (await readKey(join(dir, 'key'))) ?? undefined;
  } catch (e) {
    if (!(e instanceof UnsafeWriteError)) throw e;
    notes.add(`its key file, not used (${e.message.replace(/: (remove it|run chmod).*$/, '')}): values redacted on import are hashed with the workspace key`);
    return undefined;
  }
}

/** The `id` near the start of a JSON report (where envtrace writes it), or null. */
async function reportId(path: string): Promise<string | null> {
  const fh = await openRegular(path);
  try {
    const b = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(b, 0, b.length, 0);
    return /^\s*\{\s*"version"\s*:\s*1\s*,\s*"id"\s*:\s*"([\w.-]{1,200})"/.exec(b.toString('utf8', 0, bytesRead))?.[1] ?? null;
  } finally {
    await fh.close();
  }
}

/** Reads an OTLP JSON file line by line (lines over 16 MB are skipped with a note). */
async function readOtlp(path: string, writer: FleetWriter, seen: Set<string>, notes: ImportNotes): Promise<void> {
  const skipped = (bytes: number) => notes.add(`a line of ${bytes} bytes (over 16 MB)`);
  try {
    for await (const chunk of fileChunks(path, dirname(path), skipped)) {
      let at = 0;
      while (at < chunk.length) {
        let nl = chunk.indexOf(10, at);
        if (nl < 0) nl = chunk.length;
        const line = chunk.toString('utf8', at, nl).trim();
        if (line) importOtlpLine(line, writer, seen, notes);
        at = nl + 1;
      }
    }
  } catch (e) {
    throw new ImportError(e instanceof UnreadableFile ? e.message : `${path}: ${(e as Error).message}`);
  }
}
