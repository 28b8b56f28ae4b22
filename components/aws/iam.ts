import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ec2AssumeRolePolicy, masterPolicy } from "./iam-policy";

export interface AwsMasterIdentity {
  role: aws.iam.Role;
  instanceProfile: aws.iam.InstanceProfile;
  /** Masters boot after it exists: the boot script reads secrets straight away. */
  policy: aws.iam.RolePolicy;
}

/**
 * The masters' IAM role and instance profile. The only permissions are in
 * one inline policy (masterPolicy): this cluster's secrets and instance
 * discovery. The policy does not list replicas, so adding one changes nothing here.
 */
export function createMasterIdentity(
  name: string,
  clusterName: string,
  region: string,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): AwsMasterIdentity {
  const role = new aws.iam.Role(`${name}-master`, {
    description: `kube-ha ${clusterName}: control-plane masters`,
    assumeRolePolicy: JSON.stringify(ec2AssumeRolePolicy()),
    tags: tags(`${name}-master`),
  }, opts);
  const account = aws.getCallerIdentityOutput({}, { parent: opts.parent, ...(opts.provider ? { provider: opts.provider } : {}) });
  const policy = new aws.iam.RolePolicy(`${name}-master`, {
    role: role.id,
    policy: account.accountId.apply((accountId) => JSON.stringify(masterPolicy(clusterName, region, accountId))),
  }, opts);
  const instanceProfile = new aws.iam.InstanceProfile(`${name}-master`, {
    role: role.name,
    tags: tags(`${name}-master`),
  }, opts);
  return { role, instanceProfile, policy };
}
