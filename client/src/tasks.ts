/** Tasks of type `envtrace`: a command run under the bundled envtrace CLI (also declarable in tasks.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cliPath, nodeEnv, pathWithGo } from './cli';
import { readConfig } from './config';
import { storeDirectory } from './runStore';

export const TASK_TYPE = 'envtrace';

/** The task definition declared under `taskDefinitions` in package.json. */
export interface EnvtraceTaskDefinition extends vscode.TaskDefinition {
  type: typeof TASK_TYPE;
  /** The command to trace, e.g. ["go", "run", "."]. */
  command: string[];
  /** Working directory, absolute or relative to the workspace folder. */
  cwd?: string;
  /** A label stored with the run. */
  label?: string;
  /** Extra envtrace flags, e.g. ["--race"]. */
  flags?: string[];
  /** Extra environment variables for the traced command. */
  env?: Record<string, string>;
}

/** The envtrace CLI arguments for a definition under the given settings. */
export function cliArgs(def: EnvtraceTaskDefinition, folder: string, cfg = readConfig(vscode.workspace.getConfiguration('envtrace'))): string[] {
  const args = ['run', '--dir', storeDirectory(folder, cfg['runs.directory'])];
  args.push('--keep', String(cfg['runs.keep']), '--stack', String(cfg.stackDepth));
  for (const p of cfg['redact.patterns']) args.push('--redact', p);
  if (cfg['runs.fullEnvironment']) args.push('--full-env');
  if (!cfg['runs.traceGoCommand']) args.push('--no-go-command');
  if (def.label) args.push('--label', def.label);
  args.push(...(def.flags ?? []), '--', ...def.command);
  return args;
}

/** Builds the executable task for `def` in `folder`. */
export function buildTask(def: EnvtraceTaskDefinition, folder: vscode.WorkspaceFolder, extensionPath: string, name?: string): vscode.Task {
  const cfg = readConfig(vscode.workspace.getConfiguration('envtrace', folder.uri));
  const cwd = def.cwd ? path.resolve(folder.uri.fsPath, def.cwd) : folder.uri.fsPath;
  const exec = new vscode.ProcessExecution(process.execPath, [cliPath(extensionPath), ...cliArgs(def, folder.uri.fsPath, cfg)], {
    cwd,
    env: { ...def.env, ...nodeEnv(), PATH: pathWithGo(cfg.goPath, def.env?.PATH ?? process.env.PATH) },
  });
  const task = new vscode.Task(def, folder, name ?? def.label ?? def.command.join(' '), 'envtrace', exec, []);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
  return task;
}

/** Offers `go run .` and `go test ./...` per folder with a go.mod; resolves tasks.json entries. */
export class EnvtraceTaskProvider implements vscode.TaskProvider {
  constructor(private readonly extensionPath: string) {}

  provideTasks(): vscode.Task[] {
    if (!vscode.workspace.isTrusted) return [];
    const tasks: vscode.Task[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (!fs.existsSync(path.join(folder.uri.fsPath, 'go.mod'))) continue;
      tasks.push(buildTask({ type: TASK_TYPE, command: ['go', 'run', '.'] }, folder, this.extensionPath));
      tasks.push(buildTask({ type: TASK_TYPE, command: ['go', 'test', './...'] }, folder, this.extensionPath));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const def = task.definition as EnvtraceTaskDefinition;
    if (!Array.isArray(def.command) || def.command.length === 0) return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    // NOTE: the definition object must be the task's own, or VS Code will not match it to tasks.json.
    const built = buildTask(def, folder, this.extensionPath, task.name);
    return new vscode.Task(task.definition, folder, task.name, 'envtrace', built.execution, []);
  }
}
