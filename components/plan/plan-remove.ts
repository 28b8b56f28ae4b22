import type { ReplicaSpec } from "../spec/cluster-spec";
import { pinnedReplicas } from "./current-replicas";
import { quorum, toleratedFailures } from "../spec/quorum";
import { type ChangeStep, type ReplicaChangeResult, refuse } from "./replica-change";
import { TEARDOWN_ACTIONS, type TeardownAction } from "./teardown-order";
import type { ControlPlanePlan } from "./types";

export type RemoveTarget = { name: string } | { zone: string };

export interface RemoveOptions {
  /** Accept an even final count (or 2); never overrides quorum loss or removing the last replica. */
  force?: boolean;
  /** Names of members known to be down (from `kube-ha-etcd status`); they count against quorum. */
  unhealthy?: string[];
  /** Keep the removed master's Node object (kube-down's KUBE_DELETE_NODES=false). */
  keepNodes?: boolean;
}

/** Finds the replica a remove request means, or why it cannot be told. */
export function resolveRemoveTarget(current: ControlPlanePlan, target: RemoveTarget): ReplicaSpec | ReturnType<typeof refuse> {
  const replicas = pinnedReplicas(current);
  if ("name" in target) {
    const found = replicas.find((r) => r.name === target.name);
    if (!found) {
      return refuse("unknown-name", `no replica named "${target.name}" (replicas: ${replicas.map((r) => r.name).join(", ")})`);
    }
    return found;
  }
  const inZone = replicas.filter((r) => r.zone === target.zone);
  if (inZone.length === 0) {
    return refuse("no-replica-in-zone", `no replica in zone ${target.zone} (zones: ${current.zones.join(", ")})`);
  }
  if (inZone.length > 1) {
    return refuse(
      "ambiguous-zone",
      `zone ${target.zone} holds ${inZone.length} replicas (${inZone.map((r) => r.name).join(", ")}): say which one`,
      `--name ${inZone[0]!.name}`,
    );
  }
  return inZone[0]!;
}

/**
 * Plans removing one replica in teardown order (plan/teardown-order.ts):
 * out of the load balancer, then its etcd member from a surviving member
 * after a quorum check, the Node, and the machine. Refuses the last replica, quorum loss, and (unless forced) an
 * even or 2-replica result.
 */
export function planRemove(current: ControlPlanePlan, target: RemoveTarget, opts: RemoveOptions = {}): ReplicaChangeResult {
  const found = resolveRemoveTarget(current, target);
  if ("ok" in found) return found;
  const before = pinnedReplicas(current);
  const victim = found;
  if (before.length === 1) {
    return refuse("last-replica", `${victim.name} is the last replica: removing it destroys the control plane and its etcd data (use pulumi destroy for that)`);
  }
  const after = before.filter((r) => r.name !== victim.name);
  const stacked = current.etcd.topology === "stacked";
  const n0 = stacked ? before.length : current.etcd.members.length;
  const n1 = stacked ? after.length : n0;

  if (stacked) {
    const down = new Set((opts.unhealthy ?? []).filter((n) => n !== victim.name && after.some((r) => r.name === n)));
    const healthyAfter = n1 - down.size;
    if (healthyAfter < quorum(n1)) {
      return refuse(
        "quorum-loss",
        `removing ${victim.name} leaves ${n1} members of which ${healthyAfter} are healthy (${[...down].join(", ")} down); quorum of ${n1} is ${quorum(n1)}: etcd would stop accepting writes`,
        "bring the unhealthy members back first, or replace them one at a time",
      );
    }
  }

  let forced = false;
  if (stacked && n1 % 2 === 0) {
    if (!opts.force) {
      const code = n1 === 2 ? "two-replicas" : "even-count";
      const why =
        n1 === 2
          ? `${n0} → 2 replicas: a 2-replica etcd is less available than 1 (losing either stops writes)`
          : `${n0} → ${n1} replicas: ${n1} etcd members tolerate no more failures than ${n1 - 1}`;
      return refuse(code, why, n1 - 1 >= 1 ? `remove two to reach ${n1 - 1}, or --force to pass through ${n1} on purpose` : "--force");
    }
    forced = true;
  }

  const detail: Record<TeardownAction, string | undefined> = {
    "remove-from-load-balancer": `take ${victim.name} out of the load balancer's backends (its apiserver fails once its member is gone)`,
    "check-quorum": stacked ? `from a surviving member: every other voter healthy enough that ${n1} members keep quorum ${quorum(n1)}` : undefined,
    "move-etcd-leader": stacked ? `if ${victim.name} leads etcd, move leadership to a surviving member first` : undefined,
    "remove-etcd-member": stacked
      ? `etcdctl member remove ${victim.name} from a surviving member (already gone counts as done; works if ${victim.name} is dead)`
      : undefined,
    "delete-node-object": opts.keepNodes ? undefined : `kubectl delete node ${victim.name}`,
    "delete-machine": `delete ${victim.name}, its etcd disk, address, key material and certificates`,
  };
  // The teardown order is the resources' deletion order (plan/teardown-order.ts).
  const steps: ChangeStep[] = TEARDOWN_ACTIONS.flatMap((action) => {
    const text = detail[action];
    return text === undefined ? [] : [{ action, replica: victim.name, detail: text }];
  });

  return {
    ok: true,
    kind: "remove",
    before,
    after,
    added: [],
    removed: [victim],
    stages: [after],
    quorum: { before: quorum(n0), after: quorum(n1) },
    toleratedFailures: { before: toleratedFailures(n0), after: toleratedFailures(n1) },
    steps,
    forced,
  };
}
