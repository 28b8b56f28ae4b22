import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../plan/types";
import { type GroupName, securityRules } from "./security-rules";

export interface AwsSecurityGroups {
  masters: aws.ec2.SecurityGroup;
  loadBalancer: aws.ec2.SecurityGroup;
}

/**
 * The masters' and the NLB's security groups, with every rule a separate
 * resource (aws.vpc.SecurityGroupIngressRule / EgressRule) so a rule change
 * never rewrites the group. The groups hold no inline rules.
 */
export function createSecurityGroups(
  name: string,
  plan: ControlPlanePlan,
  vpcId: pulumi.Input<string>,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): AwsSecurityGroups {
  const groups: AwsSecurityGroups = {
    masters: new aws.ec2.SecurityGroup(`${name}-masters`, {
      vpcId,
      description: `kube-ha ${plan.clusterName}: control-plane masters`,
      tags: tags(`${name}-masters`),
    }, opts),
    loadBalancer: new aws.ec2.SecurityGroup(`${name}-api-lb`, {
      vpcId,
      description: `kube-ha ${plan.clusterName}: API load balancer`,
      tags: tags(`${name}-api-lb`),
    }, opts),
  };
  const groupId = (g: GroupName) => groups[g].id;

  for (const rule of securityRules(plan)) {
    const args = {
      securityGroupId: groupId(rule.group),
      ipProtocol: rule.protocol,
      ...(rule.ports ? { fromPort: rule.ports[0], toPort: rule.ports[1] } : {}),
      ...("cidr" in rule.peer ? { cidrIpv4: rule.peer.cidr } : { referencedSecurityGroupId: groupId(rule.peer.group) }),
      description: rule.description,
      tags: tags(`${name}-${rule.id}`),
    };
    if (rule.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(`${name}-${rule.id}`, args, opts);
    else new aws.vpc.SecurityGroupEgressRule(`${name}-${rule.id}`, args, opts);
  }
  return groups;
}
