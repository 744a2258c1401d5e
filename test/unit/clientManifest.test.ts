/** The extension manifest (package.json) agrees with the client's typed settings and commands. */
import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { commandIds, internalCommands, runningCommands } from '../../client/src/commandIds';
import { configDefaults, readConfig } from '../../client/src/config';

const root = path.join(__dirname, '..', '..', '..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const props: Record<string, { default: unknown; type: unknown; description?: string; markdownDescription?: string }> =
  manifest.contributes.configuration.properties;

describe('settings: package.json and client/src/config.ts', () => {
  it('declare the same keys', () => {
    const declared = Object.keys(props).map((k) => k.replace(/^envtrace\./, '')).sort();
    assert.deepEqual(declared, Object.keys(configDefaults).sort());
  });

  it('declare the same defaults', () => {
    for (const [key, def] of Object.entries(configDefaults)) assert.deepEqual(props[`envtrace.${key}`].default, def, key);
  });

  it('include every setting the issue names, each described', () => {
    for (const k of ['goPath', 'runs.directory', 'runs.keep', 'runs.show', 'redact.patterns', 'runs.fullEnvironment', 'codeLens.enabled', 'inlayHints.enabled', 'stackDepth', 'test.flags', 'trace.server']) {
      const p = props[`envtrace.${k}`];
      assert.ok(p, k);
      assert.ok((p.description ?? p.markdownDescription ?? '').length > 10, `${k} has a description`);
    }
  });

  it('readConfig keeps valid values and falls back on ill-typed ones', () => {
    const values: Record<string, unknown> = { 'runs.keep': 5, 'runs.show': 3, stackDepth: 'deep', 'test.flags': ['-v', 3], 'codeLens.enabled': false };
    const cfg = readConfig({ get: <T>(k: string) => values[k] as T | undefined });
    assert.equal(cfg['runs.keep'], 5);
    assert.equal(cfg['runs.show'], 3);
    assert.equal(cfg.stackDepth, 16);
    assert.deepEqual(cfg['test.flags'], []);
    assert.equal(cfg['codeLens.enabled'], false);
    assert.equal(readConfig({ get: <T>(k: string) => (k === 'runs.show' ? 'some' : undefined) as T | undefined })['runs.show'], 'latest');
  });
});

describe('settings in untrusted workspaces', () => {
  // NOTE: a cloned repository's .vscode/settings.json is read before anyone trusts it. Each
  // setting is classified here, so a new one cannot be added without deciding: does its
  // workspace value name a program to run or a path to read or write?
  const namesProgramOrPath: Record<string, boolean> = {
    goPath: true, // a go binary: a clone could point it at a script it holds
    'runs.directory': true, // runs read and written outside the workspace (absolute or ../)
    'test.flags': true, // go test -exec=prog or -toolexec=prog run a program
    'runs.keep': false,
    'runs.show': false,
    'redact.patterns': false,
    'runs.fullEnvironment': false,
    'runs.traceGoCommand': false, // builds cmd/go from the user's own GOROOT, not from the workspace
    prebuild: false, // runs only in a trusted workspace, and only the go command of goPath
    'codeLens.enabled': false,
    'inlayHints.enabled': false,
    'check.enabled': false,
    stackDepth: false,
    'trace.server': false,
  };

  it('classify every declared setting', () => {
    assert.deepEqual(Object.keys(namesProgramOrPath).sort(), Object.keys(configDefaults).sort());
  });

  it('restrict exactly the settings that name a program or a path, so VS Code ignores their workspace values until trusted', () => {
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const expected = Object.entries(namesProgramOrPath).filter(([, v]) => v).map(([k]) => `envtrace.${k}`);
    assert.deepEqual([...restricted].sort(), expected.sort());
    for (const k of restricted) assert.ok(props[k], `${k} is declared`);
    for (const k of restricted) assert.ok(manifest.capabilities.untrustedWorkspaces.description.includes(k), `${k} named in the trust description`);
  });
});

describe('commands: package.json and client/src/commandIds.ts', () => {
  const declared: { command: string; title: string; enablement?: string }[] = manifest.contributes.commands;

  it('declare exactly the registered commands, each with a title in the envtrace category', () => {
    assert.deepEqual(declared.map((c) => c.command).sort(), Object.values(commandIds).sort());
    for (const c of manifest.contributes.commands) assert.equal(c.category, 'envtrace', c.command);
  });

  it('disable every running command in untrusted workspaces', () => {
    for (const id of runningCommands) assert.equal(declared.find((c) => c.command === id)?.enablement, 'isWorkspaceTrusted', id);
    assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.ok(manifest.capabilities.untrustedWorkspaces.description.length > 20);
  });

  it('hide lens-only commands from the palette and reference only declared commands in menus', () => {
    const hidden = manifest.contributes.menus.commandPalette.filter((m: { when: string }) => m.when === 'false').map((m: { command: string }) => m.command);
    assert.deepEqual(hidden.sort(), [...internalCommands].sort());
    const ids = new Set(declared.map((c) => c.command));
    for (const [menu, items] of Object.entries<{ command: string }[]>(manifest.contributes.menus)) {
      for (const i of items) assert.ok(ids.has(i.command), `${menu}: ${i.command}`);
    }
  });

  it('declare the envtrace task type with a required command', () => {
    const t = manifest.contributes.taskDefinitions.find((d: { type: string }) => d.type === 'envtrace');
    assert.deepEqual(t.required, ['command']);
    assert.equal(t.properties.command.type, 'array');
  });

  it('register the trace grammar for a file that exists', () => {
    const g = manifest.contributes.grammars[0];
    assert.equal(g.scopeName, 'text.envtrace-trace');
    assert.equal(JSON.parse(readFileSync(path.join(root, g.path), 'utf8')).scopeName, g.scopeName);
  });

  it('validate envtrace.json (the check config) with the shipped schema', () => {
    const [v] = manifest.contributes.jsonValidation;
    assert.equal(v.fileMatch, 'envtrace.json');
    const schema = JSON.parse(readFileSync(path.join(root, v.url), 'utf8'));
    assert.ok(schema.properties.rules, 'the schema describes the rules section');
  });
});
