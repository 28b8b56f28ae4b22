import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { keyMaterialSecretId } from "../../render/replica-identity";

export interface ReplicaSecret {
  secret: aws.secretsmanager.Secret;
  version: aws.secretsmanager.SecretVersion;
}

/**
 * One replica's key material in Secrets Manager: the secret string is the
 * JSON of ClusterPki's replicaFiles map (path under /etc/kubernetes/pki →
 * PEM), always a Pulumi secret, named keyMaterialSecretId(cluster, replica)
 * as the boot script expects. Only the masters' role may read it (the
 * masters' policy grants this cluster's secrets; kube-ha grants no other
 * principal anything).
 *
 * recoveryWindowInDays 0: replace-replica deletes a replica and creates it
 * again under the same name within minutes; a secret pending deletion would
 * block that name for 7–30 days. The material is re-issued from Pulumi state
 * anyway, so the recovery window protects nothing.
 */
export function createReplicaSecret(
  name: string,
  clusterName: string,
  replicaName: string,
  files: pulumi.Input<Record<string, string>>,
  tags: Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): ReplicaSecret {
  const secret = new aws.secretsmanager.Secret(`${name}-${replicaName}-pki`, {
    name: keyMaterialSecretId(clusterName, replicaName),
    description: `kube-ha ${clusterName}: key material of ${replicaName}`,
    recoveryWindowInDays: 0,
    tags,
  }, opts);
  const secretString = pulumi.secret(pulumi.output(files).apply((f) => JSON.stringify(sortedKeys(f))));
  const version = new aws.secretsmanager.SecretVersion(`${name}-${replicaName}-pki`, {
    secretId: secret.id,
    secretString,
  }, { ...opts, additionalSecretOutputs: ["secretString"] });
  return { secret, version };
}

function sortedKeys(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}
