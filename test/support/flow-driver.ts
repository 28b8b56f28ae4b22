/**
 * Drives a real etcd cluster on loopback (test/support/etcd-cluster.ts)
 * through a ReplicaChange made by the real planner (planAdd, planRemove,
 * planReplace), stage by stage (one stage = one `pulumi up`), following the
 * plan's ordered steps. Only the rendered membership script touches
 * membership:
 *   create-pki          mint the replica's etcd certs from its cert specs in the stage's plan
 *   create-machine      a fresh config dir (config rendered from the stage's plan) and empty data dir
 *   join-etcd-learner   `kube-ha-etcd join` on the new member (learner → catch-up → promote)
 *   promote-etcd-member check that join promoted it: a voter in the member list
 *   check-quorum        `kube-ha-etcd status` on a surviving member (recorded; remove re-checks)
 *                       (a removal stage starts at the first teardown action: plan/teardown-order.ts)
 *   move-etcd-leader    who leads now (remove moves leadership away itself)
 *   remove-etcd-member  `kube-ha-etcd remove NAME` on a surviving member
 *   delete-machine      stop the member's process (the VM is deleted)
 * The load balancer, kubeadm and Node steps have no etcd side and are
 * recorded as such.
 *
 * A stage's plan is made the way the CLI makes it: the stack config with the
 * stage's replica list (names and addresses pinned) and the even-count
 * override the flow writes, parsed and planned again.
 */
import { allowEvenFor } from "../../components/flows/even-override";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { TEARDOWN_ACTIONS } from "../../components/plan/teardown-order";
import type { ChangeStep, ReplicaChange } from "../../components/plan/replica-change";
import type { ControlPlanePlan } from "../../components/plan/types";
import type { ReplicaSpec } from "../../components/spec/cluster-spec";
import { parseClusterSpec } from "../../components/spec/validate";
import {
  joinMember,
  leaderName,
  member,
  membersSeen,
  mintPlannedMemberPki,
  prepareMember,
  runningVoters,
  runScript,
  type ScriptResult,
  type TestCluster,
} from "./etcd-cluster";
import { killAndWait, readPid, sleep } from "./etcd-process";

/** Stack config (as a stack file holds it, without the `kube-ha:` prefix) and its plan. */
export interface LoopbackStack {
  config: Record<string, unknown>;
  plan: ControlPlanePlan;
}

/**
 * A one-region GCP stack whose node network is `networkCidr` (a 127.x.0.0/16
 * block the test file owns), so the planner's own addresses for new replicas
 * (zone block, host 10 on) are loopback addresses nobody else uses.
 */
export function loopbackStack(networkCidr: string, replicas: { zone: string; name?: string; address?: string }[]): LoopbackStack {
  const config = {
    cloud: "gcp",
    region: "europe-west1",
    networkCidr,
    podCidr: "10.244.0.0/16",
    serviceCidr: "10.96.0.0/12",
    replicas,
  };
  return { config, plan: planControlPlane(parseClusterSpec(config)) };
}

/**
 * The stack after a stage: its replicas (pinned) and, as the CLI writes it,
 * allowEvenReplicaCount while the count is even. Throws when the re-planned
 * masters differ from the stage (a name or an address moved).
 */
export function stackAt(stack: LoopbackStack, replicas: readonly ReplicaSpec[]): LoopbackStack {
  const allowEven = allowEvenFor(stack.plan, replicas.length);
  const config: Record<string, unknown> = { ...stack.config, replicas: replicas.map((r) => ({ ...r })) };
  delete config.allowEvenReplicaCount;
  if (allowEven) config.allowEvenReplicaCount = true;
  const plan = planControlPlane(parseClusterSpec(config));
  const got = plan.masters.map((m) => `${m.name}/${m.zone}/${m.address}`).join(" ");
  const want = replicas.map((r) => `${r.name}/${r.zone}/${r.address}`).join(" ");
  if (got !== want) throw new Error(`the stage's stack plans ${got}, not ${want}`);
  return { config, plan };
}

export interface StepRecord {
  stage: number;
  action: ChangeStep["action"];
  replica: string;
  /** What the harness did for this step, for the test's output. */
  did: string;
  ms: number;
}

export interface StageDone {
  /** 0-based stage index and the number of stages of the change. */
  index: number;
  of: number;
  replicas: ReplicaSpec[];
  stack: LoopbackStack;
}

export interface DriveOptions {
  /** After each stage's steps (where a `pulumi up` would end): assert the cluster's state. */
  afterStage?: (stage: StageDone) => Promise<void>;
  /** One line per step (default: nothing). */
  log?: (line: string) => void;
}

/** Splits the steps into one segment per stage: each stage changes exactly one replica. */
export function stepsByStage(change: ReplicaChange): ChangeStep[][] {
  const segments: ChangeStep[][] = [];
  for (const step of change.steps) {
    const starts = segments.length === 0 || step.action === "create-pki" || step.action === TEARDOWN_ACTIONS[0];
    if (starts) segments.push([step]);
    else segments[segments.length - 1]!.push(step);
  }
  if (segments.length !== change.stages.length) {
    throw new Error(`${change.kind}: ${segments.length} groups of steps for ${change.stages.length} stages`);
  }
  let previous = change.before;
  segments.forEach((segment, i) => {
    const stage = change.stages[i]!;
    const entering = stage.filter((r) => !previous.some((p) => p.name === r.name)).map((r) => r.name);
    const leaving = previous.filter((p) => !stage.some((r) => r.name === p.name)).map((p) => p.name);
    const changed = [...entering, ...leaving];
    const named = [...new Set(segment.map((s) => s.replica))];
    if (changed.length !== 1 || named.length !== 1 || named[0] !== changed[0]) {
      throw new Error(`stage ${i + 1} changes ${changed.join(", ") || "nothing"} but its steps name ${named.join(", ")}`);
    }
    previous = stage;
  });
  return segments;
}

/**
 * Applies `change` (planned from `stack.plan`) to `cluster`, one stage at a
 * time, and returns the stack after the last stage with a record of every
 * step. Throws (failing the test) as soon as a step does not do what the
 * plan says.
 */
export async function applyChange(
  cluster: TestCluster,
  stack: LoopbackStack,
  change: ReplicaChange,
  opts: DriveOptions = {},
): Promise<{ stack: LoopbackStack; steps: StepRecord[] }> {
  if (stack.plan.etcd.topology !== "stacked") throw new Error("the flow driver drives stacked etcd (masters are members)");
  const records: StepRecord[] = [];
  const segments = stepsByStage(change);
  let current = stack;
  for (const [index, segment] of segments.entries()) {
    const replicas = change.stages[index]!;
    const next = stackAt(current, replicas);
    const joins = new Map<string, ScriptResult>();
    for (const step of segment) {
      const started = Date.now();
      const did = await runStep(cluster, step, next, replicas, joins);
      const rec: StepRecord = { stage: index, action: step.action, replica: step.replica, did, ms: Date.now() - started };
      records.push(rec);
      opts.log?.(`stage ${index + 1}/${segments.length} (${replicas.length} replicas) ${step.action} ${step.replica}: ${did} [${(rec.ms / 1000).toFixed(1)} s]`);
    }
    current = next;
    await opts.afterStage?.({ index, of: segments.length, replicas, stack: next });
  }
  return { stack: current, steps: records };
}

async function runStep(
  cluster: TestCluster,
  step: ChangeStep,
  stage: LoopbackStack,
  replicas: readonly ReplicaSpec[],
  joins: Map<string, ScriptResult>,
): Promise<string> {
  const name = step.replica;
  switch (step.action) {
    case "create-pki":
      await mintPlannedMemberPki(cluster, stage.plan, name);
      return "etcd server and peer certificates minted from its cert specs (etcd CA and etcd peer CA shared)";
    case "create-machine": {
      const m = prepareMember(cluster, stage.plan, name);
      return `machine at ${m.address}: config rendered, empty data dir`;
    }
    case "join-etcd-learner": {
      const r = await joinMember(cluster, name);
      if (r.code !== 0) throw new Error(`join ${name} exited ${r.code ?? r.signal}:\n${r.stderr}`);
      if (!r.stderr.includes(`added ${name} as a learner`)) throw new Error(`join ${name} did not add it as a learner:\n${r.stderr}`);
      joins.set(name, r);
      return `kube-ha-etcd join: added as a learner, caught up (${retries(r)} retries)`;
    }
    case "promote-etcd-member": {
      const r = joins.get(name);
      if (!r?.stderr.includes(`promoted ${name} to a voting member`)) throw new Error(`join did not promote ${name}:\n${r?.stderr ?? "(no join ran)"}`);
      const seen = (await membersSeen(cluster)).find((m) => m.name === name);
      if (!seen || seen.isLearner) throw new Error(`${name} is not a voting member after promote`);
      return "promoted by join: a voter in the member list";
    }
    case "check-quorum": {
      const r = await runScript(cluster, survivor(cluster, name, replicas), ["status"]);
      const summary = r.stdout.trim().split("\n").pop() ?? "";
      if (!/voting members/.test(summary)) throw new Error(`status gave no summary (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
      return `kube-ha-etcd status: ${summary}`;
    }
    case "move-etcd-leader": {
      const leader = await leaderName(cluster);
      return leader === name ? `${name} leads: remove moves leadership first` : `${name} does not lead (leader ${leader ?? "unknown"})`;
    }
    case "remove-etcd-member": {
      const from = survivor(cluster, name, replicas);
      const r = await runScript(cluster, from, ["remove", name]);
      if (r.code !== 0) throw new Error(`remove ${name} on ${from} exited ${r.code ?? r.signal}:\n${r.stderr}`);
      member(cluster, name).voter = false;
      const moved = r.stderr.includes(`${name} leads: moving leadership`) ? ", leadership moved first" : "";
      return `kube-ha-etcd remove ${name} on ${from}${moved} (${retries(r)} retries)`;
    }
    case "delete-machine": {
      const m = member(cluster, name);
      const pid = readPid(m.pidFile);
      const was = m.state;
      if (pid !== undefined) await killAndWait(pid);
      m.state = "removed";
      m.voter = false;
      return was === "killed" ? "machine already dead: deleted" : "etcd process stopped: machine deleted";
    }
    case "join-control-plane":
    case "add-to-load-balancer":
    case "remove-from-load-balancer":
    case "delete-node-object":
      return "no etcd side: not part of this harness";
  }
}

/** A running voter that stays in the stage: where `status`/`remove` run. */
function survivor(cluster: TestCluster, leaving: string, replicas: readonly ReplicaSpec[]): string {
  const staying = runningVoters(cluster).find((m) => m.name !== leaving && replicas.some((r) => r.name === m.name));
  if (!staying) throw new Error(`no running voter survives the removal of ${leaving}`);
  return staying.name;
}

function retries(r: ScriptResult): number {
  return (r.stderr.match(/retrying in/g) ?? []).length;
}

export interface MembershipWatch {
  /** Stops sampling; the most learners and the most members seen at once, and how many samples. */
  stop(): Promise<{ maxLearners: number; maxMembers: number; samples: number }>;
}

/**
 * Samples the member list every `everyMs` while a flow runs (bounded to
 * `maxMs`): proof that members join one at a time (never two learners).
 */
export function watchMembership(cluster: TestCluster, everyMs = 200, maxMs = 120_000): MembershipWatch {
  let stopped = false;
  const out = { maxLearners: 0, maxMembers: 0, samples: 0 };
  const until = Date.now() + maxMs;
  const loop = (async () => {
    while (!stopped && Date.now() < until) {
      try {
        const list = await membersSeen(cluster);
        out.samples += 1;
        out.maxLearners = Math.max(out.maxLearners, list.filter((m) => m.isLearner).length);
        out.maxMembers = Math.max(out.maxMembers, list.length);
      } catch {
        // no voter answered this time (e.g. during an election): sample again
      }
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return out;
    },
  };
}
