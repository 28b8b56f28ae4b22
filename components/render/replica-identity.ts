import type { ControlPlanePlan, ReplicaPlan, Role } from "../plan/types";

/**
 * How a machine of the control plane is recognised by the cloud's API and
 * by its own boot script: the label (GCP) / tag (AWS) keys and values, and
 * the name of its secret in the cloud's secret store. Shared by the cloud
 * components (which set them) and the boot script (which queries them), so
 * both always agree.
 */
export const IDENTITY_KEYS = {
  cluster: "kube-ha-cluster",
  role: "kube-ha-role",
  replica: "kube-ha-replica",
} as const;

/** The labels/tags that identify one replica. Values are valid GCP label values (names are RFC 1035). */
export function identityLabels(clusterName: string, replica: Pick<ReplicaPlan, "name" | "role">): Record<string, string> {
  return {
    [IDENTITY_KEYS.cluster]: clusterName,
    [IDENTITY_KEYS.role]: replica.role,
    [IDENTITY_KEYS.replica]: replica.name,
  };
}

/** The role whose machines run the etcd members: the masters when stacked, the etcd VMs when external. */
export function etcdRole(plan: ControlPlanePlan): Role {
  return plan.etcd.topology === "stacked" ? "master" : "etcd";
}

/**
 * The secret holding a replica's key material (the JSON map path → PEM).
 * A valid GCP Secret Manager id and AWS Secrets Manager name; it depends
 * only on the cluster and the replica, so the boot script can name it
 * without being told about other replicas.
 */
export function keyMaterialSecretId(clusterName: string, replicaName: string): string {
  return `${clusterName}-${replicaName}-pki`;
}

/** The cloud machine name of a replica (unique per cluster within a project/account). */
export function machineName(clusterName: string, replicaName: string): string {
  return `${clusterName}-${replicaName}`;
}
