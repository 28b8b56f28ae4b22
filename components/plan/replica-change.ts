import type { ReplicaSpec } from "../spec/cluster-spec";

/** One ordered step of a replica change, for people to read and flows to follow. */
export interface ChangeStep {
  action:
    | "create-pki"
    | "create-machine"
    | "join-etcd-learner"
    | "promote-etcd-member"
    | "join-control-plane"
    | "add-to-load-balancer"
    | "check-quorum"
    | "move-etcd-leader"
    | "remove-etcd-member"
    | "remove-from-load-balancer"
    | "delete-node-object"
    | "delete-machine";
  replica: string;
  detail: string;
}

export type RefusalCode =
  | "last-replica"
  | "even-count"
  | "two-replicas"
  | "too-many"
  | "quorum-loss"
  | "unknown-name"
  | "name-exists"
  | "invalid-name"
  | "ambiguous-zone"
  | "no-replica-in-zone"
  | "zone-not-in-region"
  | "nothing-to-do";

export interface Refusal {
  ok: false;
  code: RefusalCode;
  reason: string;
  /** A command or change that would be accepted instead, when there is one. */
  suggestion?: string;
}

export interface ReplicaChange {
  ok: true;
  kind: "add" | "remove" | "replace";
  /** Replica lists with every name and address pinned, as the stack file should hold them. */
  before: ReplicaSpec[];
  after: ReplicaSpec[];
  added: ReplicaSpec[];
  removed: ReplicaSpec[];
  /**
   * The replica list after each `pulumi up`: one replica changes per up, so
   * etcd membership changes one member at a time. The last entry is `after`.
   */
  stages: ReplicaSpec[][];
  quorum: { before: number; after: number };
  toleratedFailures: { before: number; after: number };
  steps: ChangeStep[];
  /** The final count is even and was accepted only because of --force. */
  forced: boolean;
}

export type ReplicaChangeResult = ReplicaChange | Refusal;

export function refuse(code: RefusalCode, reason: string, suggestion?: string): Refusal {
  return { ok: false, code, reason, ...(suggestion ? { suggestion } : {}) };
}
