import { createHash } from "node:crypto";
import type { SpecProblem } from "../../spec/errors";

/**
 * Physical names of kube-ha's AWS resources, derived from the cluster name
 * (≤ 24 characters, RFC 1035: components/spec/names.ts) and never from the
 * component's logical name, so they fit AWS's limits whatever a library user
 * calls the component. Pure.
 *
 * How each name still allows a replacement (Pulumi creates the replacement
 * before deleting the old one unless told otherwise):
 * - Network Load Balancer: `<cluster>-api` (≤ 32) with deleteBeforeReplace
 *   (load-balancer.ts). A replaced NLB gets a new DNS name, so the endpoint
 *   moves either way; its listener (loadBalancerArn forces a new one) goes
 *   with it.
 * - Target group: `<cluster>-<7 hex>` (≤ 32), the hex a hash of the inputs
 *   that force a new target group (VPC, protocol, port, target type). A
 *   replacement has a new name, so it is created first, the listener moves
 *   to it, then the old one is deleted — AWS refuses to delete a target group
 *   a listener still forwards to, so deleting first cannot work. (namePrefix
 *   allows 6 characters only.)
 * - Security groups, IAM role and instance profile: `namePrefix`
 *   `<cluster>-<what>-`, to which the provider adds a unique 26-character
 *   suffix: bounded and unique, so create-before-delete works.
 * - The masters' inline role policy: a fixed name (it is scoped to its role).
 */

/** AWS's limits for the names built here. */
export const AWS_NAME_LIMITS = {
  /** ELBv2 load balancer and target group names. */
  elb: 32,
  /** IAM role name_prefix (64 − the provider's 26-character suffix). */
  iamRolePrefix: 38,
  /** IAM instance profile name_prefix (128 − 26). */
  instanceProfilePrefix: 102,
  /** Security group name_prefix (255 − 26, the provider allows 100). */
  securityGroupPrefix: 100,
} as const;

/** Prefixes AWS refuses at the start of a name, by what it names. */
export const AWS_FORBIDDEN_PREFIXES = {
  loadBalancer: "internal-",
  securityGroup: "sg-",
} as const;

/** The API Network Load Balancer's name. */
export function loadBalancerName(clusterName: string): string {
  return `${clusterName}-api`;
}

/** What makes AWS create a new target group instead of updating it (CreateTargetGroup's immutable settings). */
export interface TargetGroupIdentity {
  vpcId: string;
  protocol: string;
  port: number;
  targetType: string;
}

/** Length of the target group name's hash. */
export const TARGET_GROUP_HASH_LENGTH = 7;

/** The API target group's name: `<cluster>-<hash of what forces a replacement>`. */
export function targetGroupName(clusterName: string, identity: TargetGroupIdentity): string {
  const key = JSON.stringify([clusterName, identity.vpcId, identity.protocol, identity.port, identity.targetType]);
  const hash = createHash("sha256").update(key).digest("hex").slice(0, TARGET_GROUP_HASH_LENGTH);
  return `${clusterName}-${hash}`;
}

/** A security group's name prefix (the provider adds a unique suffix). */
export function securityGroupNamePrefix(clusterName: string, group: string): string {
  return `${clusterName}-${group}-`;
}

/** The masters' IAM role and instance profile name prefix (the provider adds a unique suffix). */
export function masterIdentityNamePrefix(clusterName: string): string {
  return `${clusterName}-master-`;
}

/** The masters' inline policy on their role. */
export const MASTER_POLICY_NAME = "kube-ha-master";

/**
 * A cluster name whose derived AWS names AWS would refuse, as spec problems:
 * a forbidden prefix, or a name too long for a limit (MAX_CLUSTER_NAME keeps
 * every name within its limit; this holds if that maximum ever grows).
 */
export function awsClusterNameProblems(clusterName: string, key: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const value = JSON.stringify(clusterName);
  const lb = AWS_FORBIDDEN_PREFIXES.loadBalancer;
  if (loadBalancerName(clusterName).startsWith(lb)) {
    problems.push({ key, value, message: `AWS load balancer names must not begin with "${lb}" (kube-ha names the NLB ${loadBalancerName(clusterName)}): pick a cluster name that does not start with "${lb}"` });
  }
  const sg = AWS_FORBIDDEN_PREFIXES.securityGroup;
  if (securityGroupNamePrefix(clusterName, "masters").startsWith(sg)) {
    problems.push({ key, value, message: `AWS security group names must not begin with "${sg}": pick a cluster name that does not start with "${sg}"` });
  }
  const sample: TargetGroupIdentity = { vpcId: "", protocol: "TCP", port: 0, targetType: "ip" };
  const tooLong = [
    [loadBalancerName(clusterName), AWS_NAME_LIMITS.elb, "load balancer name"],
    [targetGroupName(clusterName, sample), AWS_NAME_LIMITS.elb, "target group name"],
    [masterIdentityNamePrefix(clusterName), AWS_NAME_LIMITS.iamRolePrefix, "IAM role name prefix"],
    [securityGroupNamePrefix(clusterName, "api-lb"), AWS_NAME_LIMITS.securityGroupPrefix, "security group name prefix"],
  ] as const;
  for (const [name, max, what] of tooLong) {
    if (name.length > max) {
      problems.push({ key, value, message: `the AWS ${what} ${name} would be ${name.length} characters, over AWS's ${max}: use a cluster name of at most ${clusterName.length - (name.length - max)} characters` });
    }
  }
  return problems;
}
