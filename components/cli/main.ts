import { Command, CommanderError } from "commander";
import { registerDestroyCommand } from "./destroy-command";
import { registerPreviewCommand } from "./preview-command";
import { registerRenderCommand } from "./render-command";
import { registerReplicaCommands } from "./replica-commands";

/**
 * The kube-ha CLI (bin/kube-ha.js calls `main`). Each command lives in its
 * own file and exports a `register…Command(program, io)` function; this file
 * only wires them up. Commands write through `io` and set `io.exitCode`, so
 * tests run the CLI in-process with captured output.
 */

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory the command runs from (stack files are found from here). */
  cwd: string;
  /** Set by a command's action; `main` returns it. */
  exitCode: number;
}

let pipeGuard = false;

export function processIo(): CliIo {
  if (!pipeGuard) {
    // `kube-ha preview | head`: a closed pipe ends the output, not the process with a stack trace.
    pipeGuard = true;
    for (const stream of [process.stdout, process.stderr]) {
      stream.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") throw e;
      });
    }
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    exitCode: 0,
  };
}

export function buildCli(io: CliIo): Command {
  const program = new Command();
  program
    .name("kube-ha")
    .description("Highly-available self-managed Kubernetes control planes on GCP and AWS")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError();
  registerPreviewCommand(program, io);
  registerRenderCommand(program, io);
  registerReplicaCommands(program, io);
  registerDestroyCommand(program, io);
  return program;
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], overrides: Partial<CliIo> = {}): Promise<number> {
  const io: CliIo = { ...processIo(), ...overrides, exitCode: 0 };
  const program = buildCli(io);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  } finally {
    // bin/kube-ha.js exits as soon as main resolves: let piped output drain first.
    await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  }
  return io.exitCode;
}

/** Resolves once everything written to the stream so far has been handed to the OS. */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (!stream.writable) return resolve();
    stream.write("", () => resolve());
  });
}
