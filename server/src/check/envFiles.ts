/**
 * Reads the .env files `secret-hygiene` looks at for committed prod stages. Which files are
 * committed is the CLI's question (it asks git: cli/committedEnv.ts); the language server runs
 * no program, so it passes the templates meant to be committed (`.env.example`, `.env.sample`,
 * `.env.dist` at the root).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readRegularSync } from '../files/readRegular';
import { DECLARING_FILES, type DeclaringText } from './declared';

/** A .env file is small; anything larger is not one. */
const MAX_ENV_FILE = 1 << 20;

/** The templates at root that exist (relative names). */
export function templateEnvFiles(root: string): string[] {
  return DECLARING_FILES.filter((f) => existsSync(join(root, f)));
}

/** The files (relative to root, `/`) with their text; unreadable ones, FIFOs, devices and links out of root left out. */
export function readEnvFiles(root: string, files: readonly string[]): DeclaringText[] {
  const out: DeclaringText[] = [];
  for (const file of files) {
    try {
      out.push({ file, text: readRegularSync(join(root, ...file.split('/')), { within: root, maxBytes: MAX_ENV_FILE }).toString('utf8') });
    } catch {
      // deleted in the work tree but still tracked, or not a regular file: nothing to read
    }
  }
  return out;
}
