import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ec2AssumeRolePolicy, masterPolicy, ssmManagedInstanceCorePolicyArn } from "./identity-policy";
import { MASTER_POLICY_NAME, masterIdentityNamePrefix } from "./naming";

export interface AwsMasterIdentity {
  role: aws.iam.Role;
  instanceProfile: aws.iam.InstanceProfile;
  /** Masters boot after it exists: the boot script reads secrets straight away. */
  policy: aws.iam.RolePolicy;
  /** AmazonSSMManagedInstanceCore on the role, when SSM Run Command must reach the masters. */
  ssmCore?: aws.iam.RolePolicyAttachment;
}

/**
 * The masters' IAM role and instance profile. kube-ha's own permissions are
 * in one inline policy (masterPolicy): this cluster's secrets and instance
 * discovery. With `ssm`, the AWS managed policy AmazonSSMManagedInstanceCore
 * is attached too, so the SSM agent (shipped as a snap on Canonical's Ubuntu
 * AMIs) registers and the etcd member removal can run `kube-ha-etcd remove`
 * on a survivor through SSM Run Command. Nothing here lists replicas, so
 * adding one changes nothing here.
 */
export function createMasterIdentity(
  name: string,
  clusterName: string,
  region: string,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
  options: { ssm?: boolean } = {},
): AwsMasterIdentity {
  const role = new aws.iam.Role(`${name}-master`, {
    namePrefix: masterIdentityNamePrefix(clusterName),
    description: `kube-ha ${clusterName}: control-plane masters`,
    assumeRolePolicy: JSON.stringify(ec2AssumeRolePolicy()),
    tags: tags(`${name}-master`),
  }, opts);
  const account = aws.getCallerIdentityOutput({}, { parent: opts.parent, ...(opts.provider ? { provider: opts.provider } : {}) });
  const policy = new aws.iam.RolePolicy(`${name}-master`, {
    name: MASTER_POLICY_NAME,
    role: role.id,
    policy: account.accountId.apply((accountId) => JSON.stringify(masterPolicy(clusterName, region, accountId))),
  }, opts);
  const instanceProfile = new aws.iam.InstanceProfile(`${name}-master`, {
    namePrefix: masterIdentityNamePrefix(clusterName),
    role: role.name,
    tags: tags(`${name}-master`),
  }, opts);
  const ssmCore = options.ssm
    ? new aws.iam.RolePolicyAttachment(`${name}-ssm-core`, { role: role.name, policyArn: ssmManagedInstanceCorePolicyArn(region) }, opts)
    : undefined;
  return { role, instanceProfile, policy, ...(ssmCore ? { ssmCore } : {}) };
}
