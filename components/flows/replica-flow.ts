import { planAdd } from "../plan/plan-add";
import { planRemove } from "../plan/plan-remove";
import { planReplace } from "../plan/plan-replace";
import type { ReplicaChange, ReplicaChangeResult } from "../plan/replica-change";
import type { ReplicaSpec } from "../spec/cluster-spec";
import type { AutomationApi, StackRunner } from "./automation";
import type { WhereToRun } from "./command-line";
import { EXIT_ERROR, EXIT_OK, EXIT_REFUSED } from "./exit-codes";
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
import { formatNextSteps, nextSteps } from "./next-steps";
import { formatChange, formatRefusal } from "./plan-printer";
import { upEnv } from "./pulumi-env";
import { type PulumiProject, projectForStacksDir } from "./pulumi-project";
import { editStackReplicas, writeStackFile } from "./stack-file";
import { type LoadedStack, loadStack, planFromStackText } from "./stack-plan";

/**
 * add-replica / remove-replica / replace-replica: plan → print → refuse, or
 * stop (--dry-run), or edit the stack file and say what to run (--no-up), or
 * run one `pulumi up` per stage (one replica changes per up) and leave the
 * stack file at the final list. Every up gets the removal commands'
 * environment explicitly (pulumi-env.ts); a failed up prints the commands
 * that finish the change from where the file stands (next-steps.ts).
 */

export { EXIT_ERROR, EXIT_OK, EXIT_REFUSED };

export type CommandFlags =
  | { command: "add-replica"; flags: AddFlags }
  | { command: "remove-replica"; flags: RemoveFlags }
  | { command: "replace-replica"; flags: ReplaceFlags };

export type FlowInput = CommandFlags & {
  stack: string;
  /** Where the stack file is edited: must be the stackConfigDir of the Pulumi project it lies in (or cwd's). */
  stacksDir: string;
  dryRun: boolean;
  /** --no-up: edit the stack file (a replace: its first stage), print what to run next, run nothing. */
  noUp: boolean;
};

export interface FlowDeps {
  automation: AutomationApi;
  env: Env;
  cwd: string;
  out(text: string): void;
  err(text: string): void;
}

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

  // Pulumi reads the stack file from its project's stackConfigDir: it must be the file edited here.
  let project: PulumiProject;
  try {
    project = projectForStacksDir(input.stacksDir, deps.cwd);
  } catch (e) {
    deps.err(`kube-ha ${input.command}: ${e instanceof Error ? e.message : String(e)}\n(${loaded.file} untouched)\n`);
    return EXIT_ERROR;
  }
  const run: StagedRun = {
    input,
    loaded,
    change,
    texts,
    keepNodes: req.kind === "remove" && req.keepNodes,
    where: { stack: input.stack, projectDir: project.dir, stacksDir: input.stacksDir, cwd: deps.cwd },
  };
  return input.noUp ? writeWithoutUp(run, deps) : await upStageByStage(run, deps);
}

/** Everything a run needs once the change is planned and the project found. */
interface StagedRun {
  input: FlowInput;
  loaded: LoadedStack;
  change: ReplicaChange;
  texts: string[];
  keepNodes: boolean;
  where: WhereToRun;
}

const stepsAt = (run: StagedRun, at: number) =>
  nextSteps({ loaded: run.loaded, change: run.change, texts: run.texts, at, where: run.where, keepNodes: run.keepNodes });

/**
 * --no-up. Adding several replicas writes the final list: one up creates
 * them all and their members still join etcd one at a time. Any other
 * change of several stages (replace: a removal, then an add-back) writes its
 * first stage only, with the commands that do the rest: written in one go,
 * the final list would equal the old one and the up would change nothing.
 */
function writeWithoutUp(run: StagedRun, deps: FlowDeps): number {
  const { change, loaded, texts } = run;
  const n = change.stages.length;
  if (change.kind === "add" || n === 1) {
    writeStackFile(loaded.file, texts[n - 1]!);
    deps.out(`\n--no-up: wrote ${change.after.length} replicas to ${loaded.file}. Apply it with:\n${formatNextSteps(stepsAt(run, n - 1))}`);
    if (n > 1) {
      deps.out(
        `One up applies all ${n} changes at once; new members still join etcd one at a time (one learner at a time). ` +
          `Run without --no-up to have one pulumi up per replica.\n`,
      );
    }
    return EXIT_OK;
  }
  const first = change.stages[0]!;
  writeStackFile(loaded.file, texts[0]!);
  deps.out(
    `\n--no-up: wrote stage 1 of ${n} to ${loaded.file}: ${first.length} replicas (${first.map((r) => r.name).join(", ")}). ` +
      `Run next, in this order:\n${formatNextSteps(stepsAt(run, 0))}`,
  );
  return EXIT_OK;
}

/** One `pulumi up` per stage; on a failure, the commands that finish the change from where the file stands. */
async function upStageByStage(run: StagedRun, deps: FlowDeps): Promise<number> {
  const { input, loaded, change, texts } = run;
  let runner: StackRunner;
  try {
    runner = await deps.automation.selectStack({ stackName: input.stack, workDir: run.where.projectDir, envVars: upEnv(run.keepNodes) });
  } catch (e) {
    deps.err(`kube-ha ${input.command}: ${e instanceof Error ? e.message : String(e)}\n(${loaded.file} untouched)\n`);
    return EXIT_ERROR;
  }

  const n = change.stages.length;
  for (const [i, stage] of change.stages.entries()) {
    writeStackFile(loaded.file, texts[i]!);
    deps.out(`\n== pulumi up ${i + 1}/${n}: ${stage.length} replicas (${stage.map((r) => r.name).join(", ")})\n`);
    try {
      const outcome = await runner.up((text) => deps.out(text));
      deps.out(`== pulumi up ${i + 1}/${n}: ${outcome.summary}\n`);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      deps.err(
        `kube-ha ${input.command}: pulumi up ${i + 1}/${n} failed: ${why}\n` +
          `${loaded.file} now lists this stage's ${stage.length} replicas (${stage.map((r) => r.name).join(", ")}). ` +
          `To finish the change from here, fix the cause, then run:\n${formatNextSteps(stepsAt(run, i))}`,
      );
      return EXIT_ERROR;
    }
  }
  deps.out(`\ndone: stack ${input.stack} has ${change.after.length} replicas (${change.after.map((r) => r.name).join(", ")}); ${loaded.file} updated\n`);
  return EXIT_OK;
}
