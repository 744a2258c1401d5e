import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffGoCommands, goConfigDiffText, type GoCommandSide } from '../../server/src/analysis/goConfigDiff';
import { parseGoEnvFile, type GoConfigEntry } from '../../server/src/runs/goConfig';

const side = (argv: string[], config: GoConfigEntry[]): GoCommandSide => ({ argv, config: { subcommand: argv[1], args: argv.slice(2), config, warnings: [] } });

test('go env files: KEY=VALUE lines, comments and blanks skipped', () => {
  assert.deepEqual([...parseGoEnvFile('# c\n\nGO111MODULE=off\n GOFLAGS=-mod=mod -v \nbad\n')], [['GO111MODULE', 'off'], ['GOFLAGS', '-mod=mod -v']]);
});

test('go command diff: commands matched by command line, changed settings only, pids ignored', () => {
  const a = [
    side(['go', 'build', './...'], [
      { key: 'GO111MODULE', value: 'off', source: 'go env file', file: '/h/.config/go/env' },
      { key: 'GOFLAGS', value: '-mod=vendor', source: 'environment', setBy: 'make (pid 10)' },
      { key: 'GOOS', value: 'linux', source: 'default' },
    ]),
  ];
  const b = [
    side(['go', 'vet', '.'], [{ key: 'GOPROXY', value: 'off', source: 'environment' }, { key: 'GOOS', value: 'linux', source: 'default' }]),
    side(['go', 'build', './...'], [
      { key: 'GO111MODULE', value: '', source: 'default' },
      { key: 'GOFLAGS', value: '-mod=vendor', source: 'environment', setBy: 'make (pid 99)' },
      { key: 'GOOS', value: 'linux', source: 'default' },
    ]),
  ];
  const d = diffGoCommands(a, b);
  assert.deepEqual(d.map((c) => [c.command, c.key]), [['go build ./...', 'GO111MODULE'], ['go vet .', 'GOPROXY']]);
  assert.equal(d[1].a, null);
  assert.deepEqual(goConfigDiffText(d), [
    'go command configuration:',
    '~ go build ./...: GO111MODULE  "off" (go env file /h/.config/go/env) → "" (default)',
    '~ go vet .: GOPROXY  (not run) → "off" (environment)',
  ]);
  assert.deepEqual(diffGoCommands(a, a), []);
  assert.deepEqual(goConfigDiffText([]), []);
});
