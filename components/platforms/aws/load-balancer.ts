import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../../plan/types";
import { nlbHealthCheck } from "./health-check";
import { loadBalancerName, targetGroupName } from "./naming";

export interface AwsApiLoadBalancer {
  loadBalancer: aws.lb.LoadBalancer;
  targetGroup: aws.lb.TargetGroup;
  listener: aws.lb.Listener;
}

/**
 * The API endpoint: a Network Load Balancer (internet-facing unless the
 * scheme is internal; an internal one at a pinned low host of each of its
 * subnets in a new VPC, so it never takes an address a later add-replica
 * plans) with cross-zone balancing, its own security group, and
 * a TCP 6443 listener forwarding to one target group.
 *
 * Targets are registered by IP with client-IP preservation off: the NLB then
 * connects from its own addresses, so a master that reaches the endpoint
 * while it is itself a target (kubeadm init uploads its configuration through
 * controlPlaneEndpoint) is not dropped by the NLB hairpin problem that
 * instance targets with preserved client IPs have. The masters' group admits
 * 6443 from the NLB's group, so the NLB's group is where the allowed CIDRs
 * are enforced.
 */
export interface ApiLoadBalancerPlacement {
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** The NLB's private address in each subnet (aligned with subnetIds; undefined: AWS picks). */
  privateAddresses: (string | undefined)[];
  securityGroupId: pulumi.Input<string>;
  /** What must exist before the NLB (an internet-facing one: the VPC's internet gateway and public routes). */
  after: pulumi.Resource[];
}

/** `subnets`, or `subnetMappings` when an address is pinned in some subnet (internal NLB in a new VPC). */
export function nlbSubnets(
  subnetIds: pulumi.Input<string>[],
  privateAddresses: (string | undefined)[],
): { subnets: pulumi.Input<string>[] } | { subnetMappings: aws.types.input.lb.LoadBalancerSubnetMapping[] } {
  if (privateAddresses.every((a) => a === undefined)) return { subnets: subnetIds };
  return {
    subnetMappings: subnetIds.map((subnetId, i) => {
      const privateIpv4Address = privateAddresses[i];
      return privateIpv4Address === undefined ? { subnetId } : { subnetId, privateIpv4Address };
    }),
  };
}

export function createApiLoadBalancer(
  name: string,
  plan: ControlPlanePlan,
  placement: ApiLoadBalancerPlacement,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): AwsApiLoadBalancer {
  const lb = plan.loadBalancer;
  const { vpcId, securityGroupId } = placement;
  const loadBalancer = new aws.lb.LoadBalancer(`${name}-api`, {
    name: loadBalancerName(plan.clusterName),
    loadBalancerType: "network",
    internal: lb.scheme === "internal",
    ...nlbSubnets(placement.subnetIds, placement.privateAddresses),
    securityGroups: [securityGroupId],
    enableCrossZoneLoadBalancing: true,
    ipAddressType: "ipv4",
    tags: tags(`${name}-api`),
  }, {
    ...opts,
    dependsOn: placement.after,
    // A fixed name: a replacement (which moves the endpoint anyway) must delete the old NLB first (naming.ts).
    deleteBeforeReplace: true,
  });
  // Named by the cluster and a hash of what forces a new target group (naming.ts): a
  // replacement gets a new name, so it is created before the old one is deleted — the
  // listener still forwards to the old one, which AWS refuses to delete.
  const protocol = "TCP";
  const targetType = "ip";
  const targetGroup = new aws.lb.TargetGroup(`${name}-api`, {
    name: pulumi.output(vpcId).apply((id) => targetGroupName(plan.clusterName, { vpcId: id, protocol, port: lb.port, targetType })),
    vpcId,
    protocol,
    port: lb.port,
    targetType,
    preserveClientIp: "false",
    // Removing a replica deregisters it first; 30 s lets in-flight requests
    // finish without holding the removal for the 300 s default.
    deregistrationDelay: 30,
    connectionTermination: true,
    healthCheck: nlbHealthCheck(lb),
    tags: tags(`${name}-api`),
  }, opts);
  const listener = new aws.lb.Listener(`${name}-api`, {
    loadBalancerArn: loadBalancer.arn,
    port: lb.port,
    protocol: "TCP",
    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    tags: tags(`${name}-api`),
  }, opts);
  return { loadBalancer, targetGroup, listener };
}

/** One replica behind the NLB: its own resource, so adding a replica only adds an attachment. */
export function attachReplica(
  name: string,
  replica: ReplicaPlan,
  targetGroup: aws.lb.TargetGroup,
  port: number,
  opts: pulumi.CustomResourceOptions,
): aws.lb.TargetGroupAttachment {
  return new aws.lb.TargetGroupAttachment(`${name}-${replica.name}-api`, {
    targetGroupArn: targetGroup.arn,
    targetId: replica.address,
    port,
  }, opts);
}
