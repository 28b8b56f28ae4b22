import type { ReplicaPlan } from "../../plan/types";
import { IDENTITY_KEYS, identityLabels } from "../../render/replica-identity";

/**
 * Tags on kube-ha's AWS resources. The identity keys (cluster, role,
 * replica) are shared with the boot script, which discovers peers by them,
 * and the masters' IAM policy scopes secret reads to the cluster tag.
 */
export const TAG_KEYS = IDENTITY_KEYS;

/** Tags of every cluster-wide resource: the user's labels, then ours (ours win). */
export function clusterTags(clusterName: string, labels: Record<string, string>, name: string): Record<string, string> {
  return { ...labels, [IDENTITY_KEYS.cluster]: clusterName, Name: name };
}

/** Tags of one replica's resources (instance, etcd volume, secret). */
export function replicaTags(
  clusterName: string,
  labels: Record<string, string>,
  replica: Pick<ReplicaPlan, "name" | "role">,
  name: string,
): Record<string, string> {
  return { ...labels, ...identityLabels(clusterName, replica), Name: name };
}
