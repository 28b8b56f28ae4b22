import * as path from "node:path";
import type { Command } from "commander";
import { type AutomationApi, localAutomation } from "../flows/automation";
import { runDestroyFlow } from "../flows/destroy-flow";
import { EXIT_ERROR } from "../flows/exit-codes";
import type { ReplicaCliIo } from "./replica-commands";
import { runIsolated } from "./run-isolated";

/**
 * `kube-ha destroy --stack S [--yes]`: `pulumi destroy` of a whole cluster
 * with the replicas' etcd member removal skipped (see
 * components/flows/destroy-flow.ts). Thin: parse flags, hand over to the flow.
 */

export interface DestroyCliDeps {
  automation: AutomationApi;
}

export function registerDestroyCommand(program: Command, io: ReplicaCliIo, overrides: Partial<DestroyCliDeps> = {}): Command {
  const automation = overrides.automation ?? localAutomation;
  program
    .command("destroy")
    .description("destroy a stack's whole cluster: pulumi destroy with KUBE_HA_SKIP_MEMBER_REMOVAL=true (a plain destroy stops halfway)")
    .requiredOption("-s, --stack <stack>", "stack to destroy")
    .option("--stacks-dir <dir>", "directory of the stack files (Pulumi.yaml's stackConfigDir)", "./stacks")
    .option("--yes", "go ahead; without it the command only says what it would do, and exits 2")
    .addHelpText("after", "\nExit codes: 0 destroyed, 1 error (no project, pulumi failed), 2 refused (no --yes).")
    .action(async (opts: { stack: string; stacksDir: string; yes?: boolean }) => {
      try {
        io.exitCode = await runDestroyFlow(
          { stack: opts.stack, stacksDir: path.resolve(io.cwd, opts.stacksDir), yes: opts.yes === true },
          { automation, cwd: io.cwd, out: (t) => io.stdout(t), err: (t) => io.stderr(t) },
        );
      } catch (e) {
        io.stderr(`kube-ha destroy: ${e instanceof Error ? e.message : String(e)}\n`);
        io.exitCode = EXIT_ERROR;
      }
    });
  return program;
}

/** Runs `destroy` on a program of its own and returns its exit code: what tests call, with a fake Automation API. */
export async function runDestroyCli(argv: string[], opts: Partial<ReplicaCliIo & DestroyCliDeps> = {}): Promise<number> {
  return runIsolated(argv, opts, (program, io) =>
    registerDestroyCommand(program, io, opts.automation ? { automation: opts.automation } : {}),
  );
}
