import { CliError, type Io } from './io';
import { listRuns, storeRoot } from '../runs/store';
import { GoToolchainError, PatchError, prepareOverlay, verifyOverlay } from '../tracer/overlay';

/** `envtrace doctor [--go PATH]`: checks go, its version and GOROOT, and that the overlay compiles. */
export async function doctorCommand(args: string[], io: Io): Promise<number> {
  let go: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--go') go = args[++i];
    else if (args[i].startsWith('--go=')) go = args[i].slice(5);
    else throw new CliError(`unexpected argument ${args[i]} (usage: envtrace doctor [--go PATH])`);
  }
  let overlay;
  try {
    overlay = await prepareOverlay({ cwd: io.cwd, env: io.env, go });
  } catch (e) {
    if (e instanceof GoToolchainError) throw new CliError(e.message);
    if (e instanceof PatchError) {
      io.out(`FAIL overlay: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  io.out(`ok   go: ${overlay.go} (${overlay.goVersion} ${overlay.goos}/${overlay.goarch})\n`);
  io.out(`ok   GOROOT: ${overlay.goroot}\n`);
  io.out(`ok   overlay: ${overlay.overlayPath}${overlay.fresh ? ' (generated now)' : ' (cached)'}\n`);
  io.err('envtrace: compiling syscall, os, os/exec, time and testing with the overlay…\n');
  const check = await verifyOverlay(overlay, io.cwd, io.env);
  if (!check.ok) {
    io.out(`FAIL overlay does not compile with ${overlay.goVersion}: ${check.output.split('\n').slice(0, 5).join(' | ')}\n`);
    return 1;
  }
  io.out('ok   overlay compiles: syscall, os, os/exec, time, testing\n');
  const root = storeRoot(io.cwd);
  io.out(`ok   run store: ${root} (${(await listRuns(root)).length} runs)\n`);
  return 0;
}
