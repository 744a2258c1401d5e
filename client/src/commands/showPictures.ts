/**
 * "envtrace: Show Flame Graph" and "envtrace: Show Timeline": open the view of a run given
 * as an argument (a run id or directory, or an Environment view run item), else of a run
 * picked (Enter: the newest).
 */
import type * as vscode from 'vscode';
import type { EnvtraceContext } from '../context';
import type { RunInfo } from '../runStore';
import { showFlamePanel } from '../webviews/flamePanel';
import { showTimelinePanel } from '../webviews/timelinePanel';
import { findRun, pickRun } from './pickRun';

/**
 * What the commands accept: a run id or directory, a tree item holding a run, `{ key }` (a
 * hover's link: the newest shown run, limited to the key), or nothing (pick a run).
 */
export type RunArg = string | { run?: RunInfo; key?: string } | undefined;

async function runFor(ctx: EnvtraceContext, arg: RunArg, title: string): Promise<RunInfo | undefined> {
  if (typeof arg === 'string') return findRun(ctx, arg);
  if (arg && typeof arg === 'object' && arg.run) return arg.run;
  if (arg && typeof arg === 'object' && typeof arg.key === 'string') return (await ctx.shownRuns())[0] ?? pickRun(ctx, title);
  return pickRun(ctx, title);
}

const keyOf = (arg: RunArg) => (arg && typeof arg === 'object' && typeof arg.key === 'string' ? arg.key : undefined);

/** Creates the Show Flame Graph handler; resolves to the panel. */
export function showFlameGraphCommand(ctx: EnvtraceContext) {
  return async (arg?: RunArg): Promise<vscode.WebviewPanel | undefined> => {
    const run = await runFor(ctx, arg, 'Flame graph of which run?');
    return run && showFlamePanel(ctx, run, keyOf(arg));
  };
}

/** Creates the Show Timeline handler; resolves to the panel. */
export function showTimelineCommand(ctx: EnvtraceContext) {
  return async (arg?: RunArg): Promise<vscode.WebviewPanel | undefined> => {
    const run = await runFor(ctx, arg, 'Timeline of which run?');
    return run && showTimelinePanel(ctx, run, keyOf(arg));
  };
}
