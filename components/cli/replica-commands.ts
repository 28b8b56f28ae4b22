import * as path from "node:path";
import type { Command } from "commander";
import { type AutomationApi, localAutomation } from "../flows/automation";
import type { Env } from "../flows/kube-up-env";
import { EXIT_ERROR } from "../flows/exit-codes";
import { type FlowDeps, type FlowInput, runReplicaFlow } from "../flows/replica-flow";
import { runIsolated } from "./run-isolated";

/**
 * `kube-ha add-replica | remove-replica | replace-replica`: the kube-up /
 * kube-down HA flows. Thin: parse flags, hand over to the flow.
 */

/** What a command writes to and reports through (structurally the CLI entry's CliIo). */
export interface ReplicaCliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Directory the command runs from: a relative --stacks-dir is resolved against it. */
  cwd: string;
  /** Set by the action: 0 done, 1 error, 2 refused as unsafe. */
  exitCode: number;
}

/** What tests replace: the Automation API and the environment (kube-up variables). */
export interface ReplicaCliDeps {
  automation: AutomationApi;
  env: Env;
}

const collect = (value: string, previous: string[]) => [...previous, value];

interface CommonOptions {
  stack: string;
  stacksDir: string;
  dryRun?: boolean;
  up: boolean;
}

function common(cmd: Command): Command {
  return cmd
    .requiredOption("-s, --stack <stack>", "stack name: edits <stacks-dir>/Pulumi.<stack>.yaml")
    .option("--stacks-dir <dir>", "directory of the stack files: the stackConfigDir of the Pulumi project it lies in", "./stacks")
    .option("--dry-run", "print the plan and stop; change nothing")
    .option("--no-up", "edit the stack file (replace-replica: its first stage only), print the commands to run next, and stop");
}

const EXIT_HELP = `
Exit codes: 0 done, 1 error (bad stack file, bad flags, pulumi failed), 2 refused as unsafe (reason and suggestion printed).
Without --dry-run or --no-up, runs \`pulumi up\` through the Pulumi Automation API, once per replica change;
if one fails, it prints the commands that finish the change from where the stack file stands.`;

function base(opts: CommonOptions, cwd: string) {
  return { stack: opts.stack, stacksDir: path.resolve(cwd, opts.stacksDir), dryRun: opts.dryRun === true, noUp: opts.up === false };
}

/** Adds the three replica commands to a commander program (the kube-ha CLI entry calls this). */
export function registerReplicaCommands(program: Command, io: ReplicaCliIo, overrides: Partial<ReplicaCliDeps> = {}): Command {
  const deps: FlowDeps = {
    automation: overrides.automation ?? localAutomation,
    env: overrides.env ?? process.env,
    cwd: io.cwd,
    out: (t) => io.stdout(t),
    err: (t) => io.stderr(t),
  };
  const run = async (input: FlowInput) => {
    try {
      io.exitCode = await runReplicaFlow(input, deps);
    } catch (e) {
      io.stderr(`kube-ha ${input.command}: ${e instanceof Error ? e.message : String(e)}\n`);
      io.exitCode = EXIT_ERROR;
    }
  };

  common(
    program
      .command("add-replica")
      .description("add masters to a stack (KUBE_REPLICATE_EXISTING_MASTER=true kube-up.sh): one pulumi up per new replica, each joining etcd as a learner")
      .option("-z, --zone <zone>", "zone of a new replica; repeat to add several (3 → 5 without landing on 4); default $KUBE_GCE_ZONE / $KUBE_AWS_ZONE", collect, [])
      .option("-n, --name <name>", "name of a new replica, in the order of --zone; default master-<zone letter>[-N]", collect, [])
      .option("--force", "accept an even replica count (never a quorum loss)"),
  )
    .addHelpText("after", EXIT_HELP)
    .action(async (opts: CommonOptions & { zone: string[]; name: string[]; force?: boolean }) => {
      await run({ command: "add-replica", ...base(opts, io.cwd), flags: { zones: opts.zone, names: opts.name, force: opts.force === true } });
    });

  common(
    program
      .command("remove-replica")
      .description("remove one master (KUBE_DELETE_NODES=false KUBE_REPLICA_NAME=… kube-down.sh): its etcd member is removed from a survivor before its machine goes")
      .option("-n, --name <name>", "replica to remove; default $KUBE_REPLICA_NAME")
      .option("-z, --zone <zone>", "remove the replica in this zone (refused if the zone holds several); default $KUBE_GCE_ZONE / $KUBE_AWS_ZONE")
      .option("--keep-nodes", "keep the removed master's Node object (also KUBE_DELETE_NODES=false)")
      .option("--force", "accept an even replica count or 2 (never a quorum loss, never the last replica)"),
  )
    .addHelpText("after", EXIT_HELP)
    .action(async (opts: CommonOptions & { name?: string; zone?: string; keepNodes?: boolean; force?: boolean }) => {
      await run({
        command: "remove-replica",
        ...base(opts, io.cwd),
        flags: {
          ...(opts.name !== undefined ? { name: opts.name } : {}),
          ...(opts.zone !== undefined ? { zone: opts.zone } : {}),
          keepNodes: opts.keepNodes === true,
          force: opts.force === true,
        },
      });
    });

  common(
    program
      .command("replace-replica")
      .description("replace a failed master: remove it (one pulumi up), then add it back with the same name, zone and address (a second up)")
      .option("-n, --name <name>", "replica to replace; default $KUBE_REPLICA_NAME"),
  )
    .addHelpText("after", EXIT_HELP)
    .action(async (opts: CommonOptions & { name?: string }) => {
      await run({ command: "replace-replica", ...base(opts, io.cwd), flags: opts.name !== undefined ? { name: opts.name } : {} });
    });

  return program;
}

/**
 * Runs one replica command on a program of its own and returns its exit
 * code: what tests call, with a fake Automation API and captured output.
 */
export async function runReplicaCli(argv: string[], opts: Partial<ReplicaCliIo & ReplicaCliDeps> = {}): Promise<number> {
  return runIsolated(argv, opts, (program, io) =>
    registerReplicaCommands(program, io, {
      ...(opts.automation ? { automation: opts.automation } : {}),
      ...(opts.env ? { env: opts.env } : {}),
    }),
  );
}
