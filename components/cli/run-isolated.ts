import { Command, CommanderError } from "commander";
import type { ReplicaCliIo } from "./replica-commands";

/**
 * Runs one command on a program of its own (output captured, no process
 * exit) and returns its exit code: what tests call, with fakes injected by
 * `register`.
 */
export async function runIsolated(
  argv: string[],
  opts: Partial<ReplicaCliIo>,
  register: (program: Command, io: ReplicaCliIo) => void,
): Promise<number> {
  const io: ReplicaCliIo = {
    stdout: opts.stdout ?? ((t) => void process.stdout.write(t)),
    stderr: opts.stderr ?? ((t) => void process.stderr.write(t)),
    cwd: opts.cwd ?? process.cwd(),
    exitCode: 0,
  };
  const program = new Command("kube-ha")
    .exitOverride()
    .configureOutput({ writeOut: (t) => io.stdout(t), writeErr: (t) => io.stderr(t) });
  register(program, io);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  return io.exitCode;
}
