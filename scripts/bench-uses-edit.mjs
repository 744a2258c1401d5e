// bench:uses's edit row (issue 15, item 4): the language server keeps the uses report of a
// folder until a file changes; this measures the report's cost after an edit of one file,
// through the server's own FolderScan (workspace/folderScan.ts), against the first report of
// the whole folder. Generates a service-like workspace (packages of config loaders whose
// values go through DSNs, structs and helpers to sinks) unless a tree is given.
// Usage: npm run bench:uses [-- TREE] [--edits N]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PKGS = 10;
const FILES = 10;

/** A module of PKGS packages × FILES files, each file with loaders of five keys and their uses. */
function generate(dir) {
  writeFileSync(join(dir, 'go.mod'), 'module example.com/edits\n\ngo 1.22\n');
  const main = ['package main', '', 'import (', '\t"log"', '\t"net/http"', ''];
  for (let p = 0; p < PKGS; p++) main.push(`\t"example.com/edits/pkg${p}"`);
  main.push(')', '', 'func main() {');
  for (let p = 0; p < PKGS; p++) {
    const pkg = `pkg${p}`;
    mkdirSync(join(dir, pkg), { recursive: true });
    for (let f = 0; f < FILES; f++) {
      const n = p * FILES + f;
      writeFileSync(
        join(dir, pkg, `conf${f}.go`),
        `package ${pkg}

import (
	"database/sql"
	"fmt"
	"log"
	"os"
	"strconv"
	"time"
)

// Conf${f} is the settings of component ${n}.
type Conf${f} struct {
	Addr${f}    string
	Timeout${f} time.Duration
}

// Load${f} reads component ${n}'s settings.
func Load${f}() (Conf${f}, *sql.DB, error) {
	user := os.Getenv("C${n}_DB_USER")
	pass := os.Getenv("C${n}_DB_PASSWORD")
	db, err := sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(db)/c${n}", user, pass))
	if err != nil {
		return Conf${f}{}, nil, err
	}
	workers, _ := strconv.Atoi(os.Getenv("C${n}_WORKERS"))
	log.Printf("component ${n}: %d workers", workers)
	timeout, err := time.ParseDuration(getenv${f}("C${n}_TIMEOUT", "5s"))
	if err != nil {
		return Conf${f}{}, nil, err
	}
	return Conf${f}{Addr${f}: os.Getenv("C${n}_ADDR"), Timeout${f}: timeout}, db, nil
}

func getenv${f}(key, fallback string) string {
	if v, ok := os.LookupEnv(key); ok {
		return v
	}
	return fallback
}
`,
      );
      main.push(`\tc${n}, _, _ := ${pkg}.Load${f}()`, `\tlog.Printf("listening for ${n} on %s", c${n}.Addr${f})`, `\tgo http.ListenAndServe(c${n}.Addr${f}, nil)`);
    }
  }
  main.push('}', '');
  writeFileSync(join(dir, 'main.go'), main.join('\n'));
}

const args = process.argv.slice(2);
const edits = Number(args.includes('--edits') ? args[args.indexOf('--edits') + 1] : 10);
const given = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--edits');
const tree = given ?? mkdtempSync(join(tmpdir(), 'envtrace-bench-edit-'));
if (!given) generate(tree);

spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'server'], { cwd: root, stdio: 'inherit' });
const out = join(root, 'out', 'server', 'src');
const child = `
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { createScanner } = require(${JSON.stringify(join(out, 'scan', 'index.js'))});
const { folderScanFactory } = require(${JSON.stringify(join(out, 'workspace', 'folderScan.js'))});
(async () => {
  const folder = folderScanFactory(createScanner())(${JSON.stringify(tree)});
  await folder.scanAll(() => {});
  let t = performance.now();
  folder.uses();
  const first = performance.now() - t;
  // Edit files that hold read sites, spread over the tree: a line inserted at the top moves every site.
  const withSites = [...folder.files()].filter((rel) => folder.sitesOf(rel).some((s) => s.kind === 'read'));
  const step = Math.max(1, Math.floor(withSites.length / ${edits}));
  const times = [];
  for (let i = 0; i < withSites.length && times.length < ${edits}; i += step) {
    const rel = withSites[i];
    const text = readFileSync(join(${JSON.stringify(tree)}, ...rel.split('/')), 'utf8');
    folder.update([[rel, '// edited\\n' + text]]);
    t = performance.now();
    folder.uses();
    times.push(performance.now() - t);
    folder.update([[rel, text]]);
    folder.uses();
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({ files: folder.fileCount, sites: withSites.length, first, median: times[times.length >> 1], max: times[times.length - 1], edits: times.length }));
})();
`;
const r = spawnSync(process.execPath, ['-e', child], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (!given) rmSync(tree, { recursive: true, force: true });
if (r.status !== 0) {
  process.stderr.write(r.stderr);
  process.exit(1);
}
const x = JSON.parse(r.stdout.trim().split('\n').pop());
const s = (ms) => (ms / 1000).toFixed(3);
console.log(`uses after an edit: median ${s(x.median)} s (max ${s(x.max)}) over ${x.edits} one-file edits; the first report of the folder ${s(x.first)} s (${x.files} Go files, ${x.sites} files with reads)`);
