import { planAdd } from "../plan/plan-add";
import type { ReplicaChange } from "../plan/replica-change";
import type { ReplicaSpec } from "../spec/cluster-spec";
import { type WhereToRun, kubeHaCommand, pulumiCommand } from "./command-line";
import { allowEvenFor } from "./even-override";
import { upEnv } from "./pulumi-env";
import { type LoadedStack, planFromStackText } from "./stack-plan";

/**
 * What to run when a replica change stops with the stack file at stage
 * `at` (0-based) and that stage not (fully) applied: after a failed
 * `pulumi up`, or after `--no-up` wrote only the first stage. The commands
 * start from the file as it is then, never from the file the change was
 * planned from: running the original command again would plan a different
 * change (or be refused). Pure.
 */

export interface NextSteps {
  /** The `pulumi up` that applies the stage the file is at. */
  up: string;
  /** kube-ha commands that perform the stages after it, in order. */
  commands: string[];
  /** What to know before running them. */
  notes: string[];
}

export interface NextStepsInput {
  loaded: LoadedStack;
  change: ReplicaChange;
  /** The stack file's text after each stage (stageTexts). */
  texts: readonly string[];
  at: number;
  where: WhereToRun;
  keepNodes: boolean;
}

const names = (rs: readonly ReplicaSpec[]) => rs.map((r) => r.name).join(", ");
const without = (rs: readonly ReplicaSpec[], others: readonly ReplicaSpec[]) => rs.filter((r) => !others.some((o) => o.name === r.name));

export function nextSteps({ loaded, change, texts, at, where, keepNodes }: NextStepsInput): NextSteps {
  const stage = change.stages[at]!;
  const previous = at === 0 ? change.before : change.stages[at - 1]!;
  const leaving = without(previous, stage);
  const addLater = without(change.after, stage);
  const removeLater = without(stage, change.after);
  // Landing on an even stacked count needs --force from any starting point.
  const force = allowEvenFor(loaded.plan, change.after.length) === true ? ["--force"] : [];

  const commands: string[] = [];
  const notes: string[] = [];
  for (const r of removeLater) {
    commands.push(kubeHaCommand("remove-replica", where, ["--name", r.name, ...(keepNodes ? ["--keep-nodes"] : []), ...force]));
  }
  if (addLater.length > 0) {
    const args = addLater.flatMap((r) => ["--zone", r.zone, "--name", r.name]);
    commands.push(kubeHaCommand("add-replica", where, [...args, ...force]));
    notes.push(...checkAddFrom(texts[at]!, loaded.stack, addLater, force.length > 0));
  }
  if (leaving.length > 0) {
    notes.push(
      `once this up has started, do not put the old stack file back: it may already have removed ${names(leaving)}'s etcd member, ` +
        `and a file listing ${leaving.length === 1 ? "it" : "them"} again would keep a machine whose member is gone`,
    );
  }
  // An up that deletes a replica runs its removal command: say how, whatever the shell has exported.
  return { up: pulumiCommand("up", where, leaving.length > 0 ? upEnv(keepNodes) : {}), commands, notes };
}

/**
 * Plans the advised add-replica from the file as it will be, and says where
 * it would not give the replicas the change planned (an address that was
 * pinned by hand, a refusal): the advice is checked, not assumed.
 */
function checkAddFrom(text: string, stack: string, wanted: readonly ReplicaSpec[], force: boolean): string[] {
  const { plan } = planFromStackText(text, stack);
  const got = planAdd(plan, { zones: wanted.map((r) => r.zone), names: wanted.map((r) => r.name), force });
  if (!got.ok) return [`planned from the file as it is now, that add-replica is refused (${got.code}): ${got.reason}`];
  return wanted.flatMap((r, i) => {
    const address = got.added[i]?.address;
    return address === r.address ? [] : [`planned from the file as it is now, ${r.name} gets address ${address}, not ${r.address}`];
  });
}

/** The commands numbered in the order to run them, then the notes; indented for the terminal. */
export function formatNextSteps(steps: NextSteps): string {
  const all = [steps.up, ...steps.commands];
  const lines = all.map((c, i) => (all.length === 1 ? `  ${c}` : `  ${i + 1}. ${c}`));
  if (steps.commands.length > 0) lines.push("  (run each once the one before has succeeded: each plans from the stack file as the one before leaves it)");
  for (const n of steps.notes) lines.push(`note: ${n}`);
  return `${lines.join("\n")}\n`;
}
