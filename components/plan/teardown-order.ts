import type { ChangeStep } from "./replica-change";

/**
 * How a replica leaves, in order: the one list that drives both the removal
 * plan people read (`planRemove`'s steps) and the order in which Pulumi
 * deletes the replica's resources (each phase's resources depend on the next
 * phase's, so Pulumi deletes them first).
 *
 * 1. `load-balancer`: the replica stops taking traffic. It must, before its
 *    etcd member goes: its apiserver talks only to its local member and fails
 *    once that member is removed.
 * 2. `etcd-member`: the removal command, run on a surviving master, checks
 *    quorum, moves etcd leadership away, removes the member, then deletes the
 *    Node object (components/membership/removal-scripts.ts runs them in this
 *    order).
 * 3. `machine`: the instance, its etcd disk and what only it used.
 */
export const REPLICA_TEARDOWN = [
  { phase: "load-balancer", actions: ["remove-from-load-balancer"] },
  { phase: "etcd-member", actions: ["check-quorum", "move-etcd-leader", "remove-etcd-member", "delete-node-object"] },
  { phase: "machine", actions: ["delete-machine"] },
] as const satisfies readonly { phase: string; actions: readonly ChangeStep["action"][] }[];

export type TeardownPhase = (typeof REPLICA_TEARDOWN)[number]["phase"];
export type TeardownAction = (typeof REPLICA_TEARDOWN)[number]["actions"][number];

/** Every teardown action in the order it happens. */
export const TEARDOWN_ACTIONS: readonly TeardownAction[] = REPLICA_TEARDOWN.flatMap((p) => [...p.actions]);

/** The phases deleted after `phase`: what a resource of `phase` must depend on. */
export function phasesAfter(phase: TeardownPhase): TeardownPhase[] {
  const i = REPLICA_TEARDOWN.findIndex((p) => p.phase === phase);
  return REPLICA_TEARDOWN.slice(i + 1).map((p) => p.phase);
}

/**
 * The resources a resource of `phase` depends on so that Pulumi deletes it
 * before everything of the later phases: all resources of every later phase
 * (a phase left empty, such as a removal turned off, is skipped over, not a
 * gap in the chain).
 */
export function teardownDependsOn<R>(phase: TeardownPhase, byPhase: Partial<Record<TeardownPhase, readonly R[]>>): R[] {
  return phasesAfter(phase).flatMap((p) => [...(byPhase[p] ?? [])]);
}
