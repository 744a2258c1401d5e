import { readdir } from 'node:fs/promises';
import { CliError, type Io } from './io';
import { listRuns } from '../runs/store';
import { runState } from '../runs/liveness';
import { storeFor } from './storeDir';
import { shellCommand } from './shellQuote';
import { escapeControls } from '../runs/text';

/** `envtrace runs [--json] [--dir DIR]`: lists the stored runs, newest first. */
export async function runsCommand(args: string[], io: Io): Promise<number> {
  let dir: string | undefined;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--dir') dir = args[++i];
    else if (a.startsWith('--dir=')) dir = a.slice(6);
    else throw new CliError(`unexpected argument ${a} (usage: envtrace runs [--json] [--dir DIR])`);
    if (a === '--dir' && dir === undefined) throw new CliError('--dir needs a directory');
  }
  const root = storeFor(dir, io);
  const runs = await listRuns(root);
  const rows = await Promise.all(
    runs.map(async (r) => ({ ...r.info, dir: r.dir, state: runState(r.info), processes: (await readdir(r.dir)).filter((n) => n.endsWith('.jsonl')).length })),
  );
  if (json) {
    io.out(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (!rows.length) {
    io.err(`envtrace: no runs stored in ${escapeControls(root)}\n`);
    return 0;
  }
  const table = [['ID', 'STARTED', 'EXIT', 'PROCS', 'LABEL', 'COMMAND']];
  for (const r of rows) {
    const row = [
      r.id,
      r.start.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
      r.exitCode !== null ? String(r.exitCode) : r.imported ? 'import' : r.mode === 'env' ? 'env' : r.state === 'interrupted' ? 'interrupted' : 'running',
      String(r.processes),
      r.label ?? '',
      shellCommand(r.command),
    ];
    table.push(row.map(escapeControls));
  }
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) io.out(row.map((cell, c) => (c === row.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd() + '\n');
  return 0;
}
