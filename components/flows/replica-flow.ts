import * as path from "node:path";
import { planAdd } from "../plan/plan-add";
import { planRemove } from "../plan/plan-remove";
import { planReplace } from "../plan/plan-replace";
import type { ReplicaChange, ReplicaChangeResult } from "../plan/replica-change";
import type { ReplicaSpec } from "../spec/cluster-spec";
import type { AutomationApi, StackRunner } from "./automation";
import { allowEvenFor } from "./even-override";
import {
  type AddFlags,
  type Env,
  type RemoveFlags,
  type ReplaceFlags,
  type ResolvedRequest,
  isUsageProblem,
  resolveAdd,
  resolveRemove,
  resolveReplace,
} from "./kube-up-env";
import { formatChange, formatRefusal } from "./plan-printer";
import { editStackReplicas, writeStackFile } from "./stack-file";
import { type LoadedStack, loadStack, planFromStackText } from "./stack-plan";

/**
 * add-replica / remove-replica / replace-replica: plan → print → refuse, or
 * stop (--dry-run), or edit the stack file (--no-up), or run one `pulumi up`
 * per stage (one replica changes per up) and leave the stack file at the
 * final list.
 */

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_REFUSED = 2;

export type CommandFlags =
  | { command: "add-replica"; flags: AddFlags }
  | { command: "remove-replica"; flags: RemoveFlags }
  | { command: "replace-replica"; flags: ReplaceFlags };

export type FlowInput = CommandFlags & {
  stack: string;
  stacksDir: string;
  /** The Pulumi project directory; by default the parent of stacksDir (Pulumi.yaml says stackConfigDir: stacks). */
  workDir?: string;
  dryRun: boolean;
  /** --no-up: edit the stack file, print the command, run nothing. */
  noUp: boolean;
};

export interface FlowDeps {
  automation: AutomationApi;
  env: Env;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

/** The environment variable the removal commands read at delete time (see components/membership). */
export const KEEP_NODES_ENV = "KUBE_HA_KEEP_NODES";

function resolveRequest(input: FlowInput, loaded: LoadedStack, env: Env) {
  const cloud = loaded.spec.cloud;
  switch (input.command) {
    case "add-replica":
      return resolveAdd(input.flags, env, cloud);
    case "remove-replica":
      return resolveRemove(input.flags, env, cloud);
    case "replace-replica":
      return resolveReplace(input.flags, env);
  }
}

export function planRequest(loaded: LoadedStack, req: ResolvedRequest): ReplicaChangeResult {
  switch (req.kind) {
    case "add":
      return planAdd(loaded.plan, { zones: req.zones, ...(req.names.length > 0 ? { names: req.names } : {}), force: req.force });
    case "remove":
      return planRemove(loaded.plan, req.target, { force: req.force, keepNodes: req.keepNodes });
    case "replace":
      return planReplace(loaded.plan, req.name);
  }
}

/**
 * `kube-ha:networkZones` for a stage: the sorted union of the zones the
 * network already spans (its networkZones and the replicas' zones before
 * the change) and the zones of the replicas up to this stage. A zone emptied
 * by the change (replace-replica's removal stage in a 3-zone cluster, or a
 * removal) keeps its subnet, and the AWS NLB keeps its subnets, so the
 * endpoint never moves. Undefined (leave the file alone) with
 * existingNetwork: its subnets decide the zones.
 */
export function networkZonesFor(loaded: LoadedStack, stagesSoFar: readonly (readonly ReplicaSpec[])[]): string[] | undefined {
  const spec = loaded.spec;
  if (spec.network.existing) return undefined;
  const zones = new Set([...spec.network.zones, ...spec.replicas.map((r) => r.zone)]);
  for (const stage of stagesSoFar) for (const r of stage) zones.add(r.zone);
  return [...zones].sort();
}

/**
 * The stack file's text after each stage (its replicas, the even-count
 * override and the network's zones). Every stage is parsed and planned
 * again before anything is written, so a stage the spec would reject is
 * caught here and not halfway through a run.
 */
export function stageTexts(loaded: LoadedStack, change: ReplicaChange): string[] {
  const texts: string[] = [];
  let text = loaded.text;
  let current: readonly ReplicaSpec[] = loaded.spec.replicas;
  for (const [i, stage] of change.stages.entries()) {
    const networkZones = networkZonesFor(loaded, change.stages.slice(0, i + 1));
    text = editStackReplicas(text, {
      current,
      next: stage,
      allowEvenReplicaCount: allowEvenFor(loaded.plan, stage.length),
      ...(networkZones ? { networkZones } : {}),
    });
    const { plan } = planFromStackText(text, loaded.stack);
    const got = plan.masters.map((m) => `${m.name}/${m.zone}/${m.address}`).join(" ");
    const want = stage.map((r) => `${r.name}/${r.zone}/${r.address}`).join(" ");
    if (got !== want) throw new Error(`internal error: the edited stack file plans ${got}, not ${want}`);
    texts.push(text);
    current = stage;
  }
  return texts;
}

function upCommand(input: FlowInput, workDir: string, cwd: string, keepNodes: boolean): string {
  const dir = path.resolve(workDir) === path.resolve(cwd) ? "" : ` --cwd ${JSON.stringify(workDir)}`;
  return `${keepNodes ? `${KEEP_NODES_ENV}=true ` : ""}pulumi up --stack ${input.stack}${dir}`;
}

export async function runReplicaFlow(input: FlowInput, deps: FlowDeps): Promise<number> {
  let loaded: LoadedStack;
  try {
    loaded = loadStack(input.stacksDir, input.stack);
  } catch (e) {
    // A missing stack file, or a stack the spec rejects (SpecError lists every problem with its fix).
    deps.err(`kube-ha ${input.command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_ERROR;
  }

  const req = resolveRequest(input, loaded, deps.env);
  if (isUsageProblem(req)) {
    deps.err(`kube-ha ${input.command}: ${req.usage}\n`);
    return EXIT_ERROR;
  }

  const change = planRequest(loaded, req);
  if (!change.ok) {
    deps.err(formatRefusal(input.stack, loaded.plan, req, change));
    return EXIT_REFUSED;
  }
  deps.out(formatChange(input.stack, loaded.plan, req, change));

  let texts: string[];
  try {
    texts = stageTexts(loaded, change);
  } catch (e) {
    deps.err(`kube-ha ${input.command}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT_ERROR;
  }

  if (input.dryRun) {
    deps.out(`\n--dry-run: nothing changed (${loaded.file} untouched)\n`);
    return EXIT_OK;
  }

  const keepNodes = req.kind === "remove" && req.keepNodes;
  const workDir = input.workDir ?? path.dirname(path.resolve(input.stacksDir));
  if (input.noUp) {
    writeStackFile(loaded.file, texts[texts.length - 1]!);
    deps.out(`\n--no-up: wrote ${change.after.length} replicas to ${loaded.file}. Apply it with:\n  ${upCommand(input, workDir, deps.cwd, keepNodes)}\n`);
    if (change.stages.length > 1) {
      deps.out(
        `One up applies all ${change.stages.length} changes at once; new members still join etcd one at a time (one learner at a time). ` +
          `Run without --no-up to have one pulumi up per replica.\n`,
      );
    }
    return EXIT_OK;
  }

  let runner: StackRunner;
  try {
    runner = await deps.automation.selectStack({
      stackName: input.stack,
      workDir,
      envVars: { [KEEP_NODES_ENV]: keepNodes ? "true" : "false" },
    });
  } catch (e) {
    deps.err(`kube-ha ${input.command}: ${e instanceof Error ? e.message : String(e)}\n(${loaded.file} untouched)\n`);
    return EXIT_ERROR;
  }

  for (const [i, stage] of change.stages.entries()) {
    writeStackFile(loaded.file, texts[i]!);
    deps.out(`\n== pulumi up ${i + 1}/${change.stages.length}: ${stage.length} replicas (${stage.map((r) => r.name).join(", ")})\n`);
    try {
      const outcome = await runner.up((text) => deps.out(text));
      deps.out(`== pulumi up ${i + 1}/${change.stages.length}: ${outcome.summary}\n`);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      deps.err(
        `kube-ha ${input.command}: pulumi up ${i + 1}/${change.stages.length} failed: ${why}\n` +
          `${loaded.file} now lists this stage's ${stage.length} replicas; fix the cause and run \`${upCommand(input, workDir, deps.cwd, keepNodes)}\`` +
          (i + 1 < change.stages.length ? `, then run the command again for the remaining change.\n` : `.\n`),
      );
      return EXIT_ERROR;
    }
  }
  deps.out(`\ndone: stack ${input.stack} has ${change.after.length} replicas (${change.after.map((r) => r.name).join(", ")}); ${loaded.file} updated\n`);
  return EXIT_OK;
}
