import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../../plan/types";
import type { AwsNetwork } from "./network";
import type { AwsNetworkLayout } from "./network-layout";
import { securityGroupNamePrefix } from "./naming";
import { type GroupName, type SecurityRule, securityRules } from "./firewall-rules";

export interface AwsSecurityGroups {
  masters: aws.ec2.SecurityGroup;
  loadBalancer: aws.ec2.SecurityGroup;
  /**
   * Per-replica rules, called once per master with its instance: when the
   * masters reach an internet-facing NLB from their own public IPs
   * (assignPublicIp), the NLB's group admits that IP /32 on the API port.
   * Registers nothing otherwise. A resource of the replica's own, so adding
   * a replica only adds.
   */
  admitReplica(replicaName: string, instance: aws.ec2.Instance, opts: pulumi.CustomResourceOptions): void;
}

type Tags = (resourceName: string) => Record<string, string>;

/**
 * The masters' and the NLB's security groups, with every rule a separate
 * resource (aws.vpc.SecurityGroupIngressRule / EgressRule) so a rule change
 * never rewrites the group. The groups hold no inline rules.
 *
 * Rules whose peer is the masters' public addresses (firewall-rules.ts,
 * mastersPublicSource) become one rule per zone's NAT gateway Elastic IP
 * here, or one per master's public IP in admitReplica.
 */
export function createSecurityGroups(
  name: string,
  plan: ControlPlanePlan,
  layout: AwsNetworkLayout,
  network: Pick<AwsNetwork, "vpcId" | "natPublicIps">,
  tags: Tags,
  opts: pulumi.CustomResourceOptions,
): AwsSecurityGroups {
  const vpcId = network.vpcId;
  const masters = new aws.ec2.SecurityGroup(`${name}-masters`, {
    namePrefix: securityGroupNamePrefix(plan.clusterName, "masters"),
    vpcId,
    description: `kube-ha ${plan.clusterName}: control-plane masters`,
    tags: tags(`${name}-masters`),
  }, opts);
  const loadBalancer = new aws.ec2.SecurityGroup(`${name}-api-lb`, {
    namePrefix: securityGroupNamePrefix(plan.clusterName, "api-lb"),
    vpcId,
    description: `kube-ha ${plan.clusterName}: API load balancer`,
    tags: tags(`${name}-api-lb`),
  }, opts);
  const groups = { masters, loadBalancer };
  const groupId = (g: GroupName) => groups[g].id;

  const register = (resourceName: string, rule: SecurityRule, peer: { cidrIpv4: pulumi.Input<string> } | { referencedSecurityGroupId: pulumi.Input<string> }, ruleOpts: pulumi.CustomResourceOptions) => {
    const args = {
      securityGroupId: groupId(rule.group),
      ipProtocol: rule.protocol,
      ...(rule.ports ? { fromPort: rule.ports[0], toPort: rule.ports[1] } : {}),
      ...peer,
      description: rule.description,
      tags: tags(resourceName),
    };
    if (rule.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(resourceName, args, ruleOpts);
    else new aws.vpc.SecurityGroupEgressRule(resourceName, args, ruleOpts);
  };

  let perReplica: SecurityRule | undefined;
  for (const rule of securityRules(plan, layout)) {
    const peer = rule.peer;
    if ("cidr" in peer) register(`${name}-${rule.id}`, rule, { cidrIpv4: peer.cidr }, opts);
    else if ("group" in peer) register(`${name}-${rule.id}`, rule, { referencedSecurityGroupId: groupId(peer.group) }, opts);
    else if (peer.mastersPublic === "nat-gateways") {
      // Named by zone, like the NAT gateway itself: a new zone only adds a rule.
      for (const zone of Object.keys(network.natPublicIps).sort()) {
        const ip = network.natPublicIps[zone]!;
        register(`${name}-${rule.id}-${zone}`, rule, { cidrIpv4: pulumi.interpolate`${ip}/32` }, opts);
      }
    } else perReplica = rule;
  }

  return {
    masters,
    loadBalancer,
    admitReplica(replicaName, instance, ruleOpts) {
      if (!perReplica) return;
      register(`${name}-${replicaName}-${perReplica.id}`, perReplica, { cidrIpv4: pulumi.interpolate`${instance.publicIp}/32` }, ruleOpts);
    },
  };
}
