/** "envtrace: Run with envtrace": pick what to run (main package, module, tests, custom) and trace it as a task. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activeFolder, checkTrusted, type EnvtraceContext } from '../context';
import { buildTask, TASK_TYPE, type EnvtraceTaskDefinition } from '../tasks';

const customKey = 'envtrace.customCommand';

/** What the command accepts from code (keybindings, tests): skips the picker. */
export interface RunRequest {
  command: string[];
  cwd?: string;
  label?: string;
  flags?: string[];
  env?: Record<string, string>;
}

/** The result of a run started by a command, or false when nothing ran. */
export type RunResult = { exitCode: number | undefined; cancelled: boolean } | false;

/** Runs `def` in `folder` under envtrace, waits for the end, and refreshes the views. */
export async function traceDefinition(ctx: EnvtraceContext, def: EnvtraceTaskDefinition, folder: vscode.WorkspaceFolder, name?: string): Promise<RunResult> {
  if (!checkTrusted()) return false;
  const task = buildTask(def, folder, ctx.extension.extensionPath, name);
  const outcome = await ctx.runner.run(task, ctx.runsDir(folder));
  ctx.refresh();
  return { exitCode: outcome.exitCode, cancelled: outcome.cancelled };
}

/** The directory of the go.mod that contains `dir`, searching up to `stop`. */
export function moduleRoot(dir: string, stop: string): string | undefined {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'go.mod'))) return d;
    if (d === stop || path.dirname(d) === d || !d.startsWith(stop)) return undefined;
  }
}

/** `./rel/pkg` (or `.`) for a package directory relative to its module root. */
export function packageArg(moduleDir: string, pkgDir: string): string {
  const rel = path.relative(moduleDir, pkgDir).split(path.sep).join('/');
  return rel ? `./${rel}` : '.';
}

/** The shell command line as an argv for the platform's shell. */
export function shellCommand(line: string): string[] {
  return process.platform === 'win32' ? ['cmd.exe', '/d', '/s', '/c', line] : ['/bin/sh', '-c', line];
}

interface Choice extends vscode.QuickPickItem {
  def?: EnvtraceTaskDefinition;
  custom?: boolean;
}

/** Creates the command handler. */
export function runCommand(ctx: EnvtraceContext) {
  return async (request?: RunRequest): Promise<RunResult> => {
    if (!checkTrusted()) return false;
    const folder = activeFolder();
    if (!folder) {
      void vscode.window.showWarningMessage('envtrace: open a folder with a Go module to run it under envtrace.');
      return false;
    }
    if (request && Array.isArray(request.command) && request.command.length) {
      return traceDefinition(ctx, { type: TASK_TYPE, ...request }, folder);
    }
    const choices = choicesFor(ctx, folder);
    const pick = await vscode.window.showQuickPick<Choice>(choices, { title: 'Run with envtrace', placeHolder: 'What should run under envtrace?' });
    if (!pick) return false;
    let def = pick.def;
    if (pick.custom) {
      const line = await vscode.window.showInputBox({
        title: 'Run with envtrace: custom command',
        prompt: 'A command line run by the shell in the workspace folder; every Go program built beneath it is traced.',
        value: ctx.extension.workspaceState.get<string>(customKey) ?? 'go test ./...',
      });
      if (!line?.trim()) return false;
      await ctx.extension.workspaceState.update(customKey, line.trim());
      def = { type: TASK_TYPE, command: shellCommand(line.trim()), label: line.trim() };
    }
    return def ? traceDefinition(ctx, def, folder) : false;
  };
}

function choicesFor(ctx: EnvtraceContext, folder: vscode.WorkspaceFolder): Choice[] {
  const root = folder.uri.fsPath;
  const doc = vscode.window.activeTextEditor?.document;
  const out: Choice[] = [];
  const flags = ctx.config(folder.uri)['test.flags'];
  if (doc?.languageId === 'go' && doc.uri.scheme === 'file') {
    const pkgDir = path.dirname(doc.uri.fsPath);
    const mod = moduleRoot(pkgDir, root);
    if (mod) {
      const pkg = packageArg(mod, pkgDir);
      const cwd = path.relative(root, mod) || undefined;
      if (/^\s*package\s+main\b/m.test(doc.getText()) && !doc.uri.fsPath.endsWith('_test.go')) {
        out.push({ label: `$(play) go run ${pkg}`, description: 'the main package of the active file', def: { type: TASK_TYPE, command: ['go', 'run', pkg], cwd } });
      }
      out.push({ label: `$(beaker) go test ${pkg}`, description: "the active file's package tests", def: { type: TASK_TYPE, command: ['go', 'test', ...flags, pkg], cwd } });
    }
  }
  const mod = moduleRoot(root, root) ?? findModule(root);
  if (mod) {
    const cwd = path.relative(root, mod) || undefined;
    out.push({ label: '$(package) go run .', description: `the module at ${path.relative(root, mod) || 'the folder root'}`, def: { type: TASK_TYPE, command: ['go', 'run', '.'], cwd } });
    out.push({ label: '$(beaker) go test ./...', description: 'every package of the module', def: { type: TASK_TYPE, command: ['go', 'test', ...flags, './...'], cwd } });
  }
  const remembered = ctx.extension.workspaceState.get<string>(customKey);
  if (remembered) {
    out.push({ label: `$(terminal) ${remembered}`, description: 'the last custom command', def: { type: TASK_TYPE, command: shellCommand(remembered), label: remembered } });
  }
  out.push({ label: '$(edit) Custom command…', description: 'e.g. make test', custom: true });
  return out;
}

/** A go.mod directly below the folder root (a folder holding one module in a subdirectory). */
function findModule(root: string): string | undefined {
  try {
    for (const e of fs.readdirSync(root, { withFileTypes: true })) {
      if (e.isDirectory() && !e.name.startsWith('.') && fs.existsSync(path.join(root, e.name, 'go.mod'))) return path.join(root, e.name);
    }
  } catch {
    // unreadable folder: no module
  }
  return undefined;
}
