import { quorum, toleratedFailures } from "../spec/quorum";
import { planRemove, type RemoveOptions } from "./plan-remove";
import { type ReplicaChangeResult, refuse } from "./replica-change";
import type { ControlPlanePlan } from "./types";

/**
 * The failed-replica recipe: remove NAME (out of the LB, then its member), then add a
 * replica with the same name in the same zone. The count passes through
 * n-1 for one stage only, as adding several at once passes through n+1.
 */
export function planReplace(current: ControlPlanePlan, name: string, opts: Omit<RemoveOptions, "force"> = {}): ReplicaChangeResult {
  const victim = current.masters.find((m) => m.name === name);
  if (!victim) {
    return refuse("unknown-name", `no replica named "${name}" (replicas: ${current.masters.map((m) => m.name).join(", ")})`);
  }
  if (current.masters.length === 1) {
    return refuse("last-replica", `${name} is the only replica: replacing it loses the cluster's etcd data; restore from a backup instead`);
  }
  const removal = planRemove(current, { name }, { ...opts, force: true });
  if (!removal.ok) return removal;
  const replacement = { name: victim.name, zone: victim.zone, address: victim.address };
  const after = removal.before.map((r) => (r.name === name ? replacement : r));
  const n = current.etcd.topology === "stacked" ? after.length : current.etcd.members.length;
  return {
    ok: true,
    kind: "replace",
    before: removal.before,
    after,
    added: [replacement],
    removed: [removal.removed[0]!],
    stages: [removal.after, after],
    quorum: { before: quorum(n), after: quorum(n) },
    toleratedFailures: { before: toleratedFailures(n), after: toleratedFailures(n) },
    steps: [
      ...removal.steps,
      { action: "create-pki", replica: name, detail: `issue fresh leaf certificates and key material for ${name}` },
      { action: "create-machine", replica: name, detail: `create ${name} again in ${victim.zone} at ${victim.address}, with a new etcd disk` },
      ...(current.etcd.topology === "stacked"
        ? ([
            { action: "join-etcd-learner", replica: name, detail: `${name} joins etcd as a learner and catches up from the survivors` },
            { action: "promote-etcd-member", replica: name, detail: `${name} is promoted: back to ${n} voters, quorum ${quorum(n)}` },
          ] as const)
        : []),
      { action: "join-control-plane", replica: name, detail: `kubeadm join --control-plane on ${name}` },
      { action: "add-to-load-balancer", replica: name, detail: `${name} rejoins the load balancer's backends` },
    ],
    forced: false,
  };
}
