// The VSIX as a user makes it: `npm run package` (the README's command, with no argument and
// no environment variable to set) in a temp copy of the repository, so that the tests' own
// build in dist/ is left alone. Also reads a VSIX (a zip) without unpacking it.
// Used by test/unit/packaging.test.ts and the VSIX end-to-end run (test/e2e/run.mjs --vsix).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { root } from './codeServer.mjs';

/** Top-level entries of the checkout that are not sources: built, installed or local state. */
const notSources = new Set(['.git', 'node_modules', 'dist', 'out', '.tools', '.envtrace', '.vscode-test', 'test', 'examples']);

/**
 * Copies the repository's sources to a temp folder (node_modules linked), runs `npm run package`
 * there with a clean environment and returns { vsix, dir, output, cleanup() }. Throws with the
 * command's output when it fails.
 */
export function packageInCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'envtrace-package-'));
  cpSync(root, dir, {
    recursive: true,
    filter: (src) => {
      const rel = relative(root, src);
      return !notSources.has(rel.split(sep)[0]) && !rel.endsWith('.vsix');
    },
  });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  // As typed in a shell: none of an outer npm's npm_* variables.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const r = spawnSync('npm', ['run', 'package'], { cwd: dir, env, encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  const cleanup = () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  if (r.status !== 0) {
    cleanup();
    throw new Error(`npm run package failed (${r.status ?? r.signal}):\n${output}`);
  }
  const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { vsix: join(dir, `${name}-${version}.vsix`), dir, output, cleanup };
}

/**
 * The entries of a zip file: Map of name → { read() → Buffer }. Reads the central directory
 * (stored and deflated entries; a VSIX uses no zip64 or encryption).
 */
export function zipEntries(file) {
  const zip = readFileSync(file);
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (eocd < 0) throw new Error(`${file}: not a zip file`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${i}`);
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.set(name, {
      read() {
        const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
        const data = zip.subarray(start, start + size);
        return method === 0 ? Buffer.from(data) : inflateRawSync(data);
      },
    });
    at += 46 + skip;
  }
  return entries;
}
