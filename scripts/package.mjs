// `npm run package`: a production build, then the VSIX with @vscode/vsce (3.9, which runs on
// Node 20). The allowlist is .vscodeignore; the bundles hold every runtime dependency, hence
// --no-dependencies. Extra arguments go to vsce (e.g. `npm run package -- --out x.vsix`).
// vsce rewrites the README's relative links and images against package.json's `repository`
// (`<repository>/blob/HEAD/…`, `<repository>/raw/HEAD/…`): VS Code's extension page and the
// marketplace show only https images, never a path inside the VSIX. Hence the check below.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const extra = process.argv.slice(2);

const repository = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
if (!/^https:\/\/\S+$/.test(repository ?? '')) {
  console.error("package: package.json needs a `repository` with an https url: the README's images and links are rewritten against it.");
  process.exit(1);
}

function run(args) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(['scripts/build.mjs', '--production']);
const out = extra.includes('--out') || extra.includes('-o') ? undefined : join(root, `${pkg.name}-${pkg.version}.vsix`);
run([join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', ...(out ? ['--out', out] : []), ...extra]);
if (out) console.log(`${out}: ${(statSync(out).size / 1024 / 1024).toFixed(2)} MB`);
