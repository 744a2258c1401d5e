/** "envtrace: Rerun Last Run" and "envtrace: Stop Run". */
import * as vscode from 'vscode';
import { checkTrusted, type EnvtraceContext } from '../context';
import type { RunResult } from './run';

/** Creates the rerun handler: runs the last envtrace task again. */
export function rerunCommand(ctx: EnvtraceContext) {
  return async (): Promise<RunResult> => {
    if (!checkTrusted()) return false;
    const task = ctx.runner.lastTask;
    if (!task) {
      void vscode.window.showInformationMessage('envtrace: nothing has run yet in this window. Use "Run with envtrace" first.');
      return false;
    }
    const folder = typeof task.scope === 'object' ? task.scope : undefined;
    const outcome = await ctx.runner.run(task, folder ? ctx.runsDir(folder) : undefined);
    ctx.refresh();
    return { exitCode: outcome.exitCode, cancelled: outcome.cancelled };
  };
}

/** Creates the stop handler: terminates running envtrace tasks, returns how many. */
export function stopCommand(ctx: EnvtraceContext) {
  return (): number => {
    const n = ctx.runner.stopAll();
    if (n === 0) void vscode.window.showInformationMessage('envtrace: no run in progress.');
    return n;
  };
}
