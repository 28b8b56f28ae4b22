import type { ControlPlanePlan } from "../plan/types";
import type { Refusal, ReplicaChange } from "../plan/replica-change";
import type { ReplicaSpec } from "../spec/cluster-spec";
import { allowEvenFor } from "./even-override";
import type { ResolvedRequest } from "./kube-up-env";

/**
 * What the replica commands print before doing anything: the replicas before
 * and after, etcd quorum and tolerated failures before and after, one line
 * per `pulumi up`, and the ordered steps. Or, for a refusal, the request,
 * the planner's reason and its suggestion. Pure: text in, text out.
 */

function replicaLine(r: ReplicaSpec): string {
  return `${r.name} (${r.zone}${r.address ? `, ${r.address}` : ""})`;
}

export function describeRequest(req: ResolvedRequest): string {
  switch (req.kind) {
    case "add":
      return `add ${req.zones.length} replica${req.zones.length === 1 ? "" : "s"} in ${req.zones.join(", ")}` +
        (req.names.length > 0 ? ` named ${req.names.join(", ")}` : "") + (req.force ? " (--force)" : "");
    case "remove":
      return `remove ${"name" in req.target ? `replica ${req.target.name}` : `the replica in ${req.target.zone}`}` +
        (req.keepNodes ? " keeping its Node object" : "") + (req.force ? " (--force)" : "");
    case "replace":
      return `replace replica ${req.name} (remove it, then add it back in the same zone)`;
  }
}

/** One line: the stack, its cloud and region, etcd topology and masters. */
export function describeStack(stack: string, plan: ControlPlanePlan): string {
  return `stack ${stack}: ${plan.spec.cloud} ${plan.spec.region}, etcd ${plan.etcd.topology}, ${plan.masters.length} master${plan.masters.length === 1 ? "" : "s"} (${plan.masters.map((m) => m.name).join(", ")})`;
}

export function formatRefusal(stack: string, plan: ControlPlanePlan, req: ResolvedRequest, refusal: Refusal): string {
  const lines = [
    describeStack(stack, plan),
    `request: ${describeRequest(req)}`,
    `refused (${refusal.code}): ${refusal.reason}`,
  ];
  if (refusal.suggestion) lines.push(`suggestion: ${refusal.suggestion}`);
  return `${lines.join("\n")}\n`;
}

export function formatChange(stack: string, plan: ControlPlanePlan, req: ResolvedRequest, change: ReplicaChange): string {
  const out: string[] = [describeStack(stack, plan), `request: ${describeRequest(req)}`, "", "plan:"];
  const pad = (label: string) => `  ${label.padEnd(20)}`;
  out.push(`${pad("replicas")}${change.before.length} → ${change.after.length}`);
  out.push(`${pad("etcd quorum")}${change.quorum.before} → ${change.quorum.after}`);
  out.push(`${pad("tolerated failures")}${change.toleratedFailures.before} → ${change.toleratedFailures.after}`);
  out.push(`${pad("before")}${change.before.map(replicaLine).join(", ")}`);
  out.push(`${pad("after")}${change.after.map(replicaLine).join(", ")}`);
  for (const r of change.removed) out.push(`  - ${replicaLine(r)}`);
  for (const r of change.added) out.push(`  + ${replicaLine(r)}`);
  if (change.forced) {
    out.push(`  forced: the stack lands on ${change.after.length} replicas (allowEvenReplicaCount: true is written); move on to an odd count soon`);
  }

  out.push("", `pulumi up runs (one replica changes per up): ${change.stages.length}`);
  let prev = change.before;
  change.stages.forEach((stage, i) => {
    const plus = stage.filter((r) => !prev.some((p) => p.name === r.name && p.zone === r.zone && p.address === r.address));
    const minus = prev.filter((p) => !stage.some((r) => r.name === p.name && r.zone === p.zone && r.address === p.address));
    const delta = [...minus.map((r) => `- ${r.name}`), ...plus.map((r) => `+ ${r.name}`)].join(", ");
    const even = allowEvenFor(plan, stage.length) === true ? " (allowEvenReplicaCount: true during this stage)" : "";
    out.push(`  ${i + 1}. ${prev.length} → ${stage.length} replicas: ${delta}${even}`);
    prev = stage;
  });

  out.push("", "steps:");
  const width = String(change.steps.length).length;
  change.steps.forEach((s, i) => {
    out.push(`  ${String(i + 1).padStart(width)}. [${s.replica}] ${s.action}: ${s.detail}`);
  });
  return `${out.join("\n")}\n`;
}
