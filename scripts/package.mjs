// `npm run package`: a production build, then the VSIX with @vscode/vsce (3.9, which runs on
// Node 20). The allowlist is .vscodeignore; the bundles hold every runtime dependency, hence
// --no-dependencies. Extra arguments go to vsce (e.g. `npm run package -- --out x.vsix`).
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const extra = process.argv.slice(2);

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(['scripts/build.mjs', '--production']);
const out = extra.includes('--out') || extra.includes('-o') ? undefined : join(root, `${pkg.name}-${pkg.version}.vsix`);
run([join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', ...vsceFlags(), ...(out ? ['--out', out] : []), ...extra]);
if (out) console.log(`${out}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB`);

/**
 * No npm dependency walk; no repository (envtrace has no public one yet). vsce would rewrite the
 * README's relative links and images against the repository and refuses them without one. By
 * default they stay relative: the images and linked docs are packed (.vscodeignore), and VS Code
 * shows an installed VSIX's README from the package. For a marketplace listing, which needs
 * absolute URLs, set ENVTRACE_BASE_URL to the repository's web address.
 */
function vsceFlags() {
  const base = process.env.ENVTRACE_BASE_URL;
  const links = base ? ['--baseContentUrl', `${base}/blob/HEAD`, '--baseImagesUrl', `${base}/raw/HEAD`] : ['--no-rewrite-relative-links'];
  return ['--no-dependencies', '--allow-missing-repository', ...links];
}
