/** Runs envtrace tasks one at a time, with progress, cancellation, rerun and events when a run ends. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TASK_TYPE } from './tasks';

/** What happened to one run. */
export interface RunOutcome {
  task: vscode.Task;
  exitCode: number | undefined;
  cancelled: boolean;
}

/** Tracks envtrace task executions, whether started by the commands or from tasks.json. */
export class Runner implements vscode.Disposable {
  private readonly ended = new vscode.EventEmitter<RunOutcome>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when an envtrace task has ended (its run is then stored). */
  readonly onRunEnded = this.ended.event;
  /** Fires when a run starts or ends. */
  readonly onDidChange = this.changed.event;
  private readonly active = new Map<vscode.TaskExecution, { cancelled: boolean; pid?: number }>();
  /** Executions whose process has ended: a quick task can end before executeTask resolves. */
  private readonly finished = new WeakSet<vscode.TaskExecution>();
  private last: vscode.Task | undefined;
  /** The last progress message shown for a run (for logs and the tests). */
  lastProgress = '';
  private readonly subs: vscode.Disposable[];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.subs = [
      vscode.tasks.onDidStartTaskProcess((e) => {
        if (e.execution.task.definition.type !== TASK_TYPE) return;
        this.finished.delete(e.execution);
        const state = this.active.get(e.execution) ?? { cancelled: false };
        state.pid = e.processId;
        this.active.set(e.execution, state);
        // Stop was asked before the process had started: stop it now.
        if (state.cancelled) this.stop(e.execution);
        this.last = e.execution.task;
        this.log.info(`run started: ${e.execution.task.name} (pid ${e.processId})`);
        this.changed.fire();
      }),
      vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.definition.type !== TASK_TYPE) return;
        const state = this.active.get(e.execution);
        this.active.delete(e.execution);
        this.finished.add(e.execution);
        this.log.info(`run ended: ${e.execution.task.name}, exit ${e.exitCode ?? 'unknown'}`);
        this.ended.fire({ task: e.execution.task, exitCode: e.exitCode, cancelled: state?.cancelled ?? false });
        this.changed.fire();
      }),
    ];
  }

  /** True while an envtrace task runs. */
  get running(): boolean {
    return this.active.size > 0;
  }

  /** The last task started, for "Rerun last run". */
  get lastTask(): vscode.Task | undefined {
    return this.last;
  }

  /**
   * Runs `task` with a cancellable progress notification; resolves when it has ended. With
   * `runsDir` (where the run will be stored) the progress says when the traced build is the
   * first with its overlay and so recompiles part of the standard library.
   */
  async run(task: vscode.Task, runsDir?: string): Promise<RunOutcome> {
    this.last = task;
    const done = new Promise<RunOutcome>((resolve) => {
      const sub = this.onRunEnded((o) => {
        if (o.task.name === task.name && o.task.definition.type === TASK_TYPE) {
          sub.dispose();
          resolve(o);
        }
      });
    });
    const execution = await vscode.tasks.executeTask(task);
    // onDidStartTaskProcess may have recorded it (with its pid) already, or it may even have ended.
    if (!this.active.has(execution) && !this.finished.has(execution)) this.active.set(execution, { cancelled: false });
    this.changed.fire();
    void vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `envtrace: running ${task.name}`,
        cancellable: true,
      },
      (progress, token) => {
        const say = (message: string) => {
          this.lastProgress = message;
          progress.report({ message });
        };
        say('building and running…');
        token.onCancellationRequested(() => this.stop(execution));
        if (runsDir) {
          const started = Date.now();
          const timer = setInterval(() => {
            if (firstBuildRunning(runsDir, started)) {
              clearInterval(timer);
              say('the first traced build with this Go version recompiles part of the standard library (once)…');
            }
          }, 500);
          void done.finally(() => clearInterval(timer));
        }
        return done;
      },
    );
    return done;
  }

  /** Stops every running envtrace task; returns how many were stopped. */
  stopAll(): number {
    const all = [...this.active.keys()];
    for (const e of all) this.stop(e);
    return all.length;
  }

  private stop(execution: vscode.TaskExecution): void {
    const state = this.active.get(execution);
    if (state) state.cancelled = true;
    // NOTE: SIGTERM to the envtrace CLI first: it forwards the signal to the traced command
    // and stores the run. Terminating the task only closes its terminal, which a command
    // that ignores SIGHUP survives. The task is terminated if the CLI has not ended in 5 s.
    if (state?.pid) {
      try {
        process.kill(state.pid, 'SIGTERM');
        const timer = setTimeout(() => this.active.has(execution) && execution.terminate(), 5000);
        const sub = this.onRunEnded(() => {
          if (!this.active.has(execution)) {
            clearTimeout(timer);
            sub.dispose();
          }
        });
        return;
      } catch (e) {
        this.log.warn(`could not signal the envtrace process ${state.pid}: ${String(e)}`);
      }
    }
    // Not started yet: the start handler signals it once its pid is known.
    if (state && !state.pid) return;
    execution.terminate();
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.ended.dispose();
    this.changed.dispose();
  }
}

/** True when a run started after `since` in `runsDir` says (run.json `firstBuild`) that its build is the first with its overlay. */
function firstBuildRunning(runsDir: string, since: number): boolean {
  try {
    for (const name of fs.readdirSync(runsDir)) {
      const file = path.join(runsDir, name, 'run.json');
      const st = fs.statSync(file, { throwIfNoEntry: false });
      if (!st || st.mtimeMs < since - 1000) continue;
      if ((JSON.parse(fs.readFileSync(file, 'utf8')) as { firstBuild?: boolean }).firstBuild === true) return true;
    }
  } catch {
    // no store yet, or run.json being written: ask again
  }
  return false;
}
