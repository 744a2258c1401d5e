/** "envtrace: Run with envtrace": pick what to run (main package, module, tests, custom) and trace it as a task. */
import * as vscode from 'vscode';
import { activeFolder, checkTrusted, type EnvtraceContext } from '../context';
import { runChoices, shellCommand } from '../runChoices';
import { buildTask, TASK_TYPE, type EnvtraceTaskDefinition } from '../tasks';

export { moduleRoot, packageArg, shellCommand } from '../runChoices';

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
  const doc = vscode.window.activeTextEditor?.document;
  const active = doc?.languageId === 'go' && doc.uri.scheme === 'file' ? { path: doc.uri.fsPath, text: doc.getText() } : undefined;
  const choices = runChoices({ root: folder.uri.fsPath, active, testFlags: ctx.config(folder.uri)['test.flags'], remembered: ctx.extension.workspaceState.get<string>(customKey) });
  return choices.map((c) => ({ label: c.label, description: c.description, custom: c.custom, def: c.command ? { type: TASK_TYPE, command: c.command, cwd: c.cwd, label: c.taskLabel } : undefined }));
}
