import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ReplicaPlan } from "../../plan/types";
import { identityLabels, keyMaterialSecretId } from "../../render/replica-identity";

/**
 * One replica's key material in Secret Manager: a secret named for the
 * replica (the boot script derives the same name), one version holding the
 * JSON map path → PEM (a Pulumi secret), and an IAM binding that lets the
 * masters' service account — and nobody else this component grants —
 * access it. Nothing here depends on another replica.
 */
export interface ReplicaSecret {
  secret: gcp.secretmanager.Secret;
  version: gcp.secretmanager.SecretVersion;
  access: gcp.secretmanager.SecretIamMember;
}

export function createReplicaSecret(
  name: string,
  clusterName: string,
  replica: ReplicaPlan,
  files: pulumi.Output<Record<string, string>>,
  accessor: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): ReplicaSecret {
  const secret = new gcp.secretmanager.Secret(
    `${name}-${replica.name}-pki`,
    {
      secretId: keyMaterialSecretId(clusterName, replica.name),
      replication: { auto: {} },
      labels: identityLabels(clusterName, replica),
    },
    opts,
  );
  const version = new gcp.secretmanager.SecretVersion(
    `${name}-${replica.name}-pki-version`,
    { secret: secret.id, secretData: pulumi.secret(files.apply(stableJson)) },
    opts,
  );
  const access = new gcp.secretmanager.SecretIamMember(
    `${name}-${replica.name}-pki-access`,
    { secretId: secret.id, role: "roles/secretmanager.secretAccessor", member: accessor },
    opts,
  );
  return { secret, version, access };
}

/** JSON with sorted keys, so the same files always give the same secret data. */
export function stableJson(files: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.keys(files).sort().map((k) => [k, files[k]!])));
}
