/**
 * The keys a process file may write, found by a byte scan before its events are read: race
 * analysis needs a write of a key in the same process, so the reads of every other key (nearly
 * all events of a run) can skip it. The scan looks for the bytes `setenv` (setenv, unsetenv)
 * and `\u` (a JSON escape could spell the op otherwise) and parses only the lines holding them,
 * with the reader's own line rules (a line ends at a newline or a zero byte), so the set holds
 * every key a write event of the file names, and perhaps a few more (a value that mentions
 * setenv): a superset, which keeps the analysis exact.
 */
import { parseLine } from './records';
import type { RunFs } from './lines';

const NEEDLES = [Buffer.from('setenv'), Buffer.from('\\u')];

/** The keys of the setenv/unsetenv events of `file` (a superset: see above). */
export async function writtenKeysOf(file: string, within: string, fs: RunFs): Promise<Set<string>> {
  const keys = new Set<string>();
  for await (const chunk of fs.chunks(file, within, () => undefined)) {
    for (const needle of NEEDLES) {
      let done = -1; // end of the last line parsed: later hits inside it are skipped
      for (let hit = chunk.indexOf(needle); hit >= 0; hit = chunk.indexOf(needle, hit + 1)) {
        if (hit < done) continue;
        const start = lineStart(chunk, hit);
        const end = lineEnd(chunk, hit);
        done = end;
        const rec = parseLine(chunk.toString('utf8', start, end));
        if (rec?.t === 'E' && (rec.op === 'setenv' || rec.op === 'unsetenv') && rec.k !== undefined) keys.add(rec.k);
      }
    }
  }
  return keys;
}

/** Just after the newline or zero byte before `at` (or the chunk's start). */
function lineStart(b: Buffer, at: number): number {
  let i = at;
  while (i > 0 && b[i - 1] !== 10 && b[i - 1] !== 0) i--;
  return i;
}

/** The newline or zero byte at or after `at` (or the chunk's end). */
function lineEnd(b: Buffer, at: number): number {
  let i = at;
  while (i < b.length && b[i] !== 10 && b[i] !== 0) i++;
  return i;
}
