import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { nlbHealthCheck } from "./health-check";

export interface AwsApiLoadBalancer {
  loadBalancer: aws.lb.LoadBalancer;
  targetGroup: aws.lb.TargetGroup;
  listener: aws.lb.Listener;
}

/**
 * The API endpoint: a Network Load Balancer (internet-facing unless the
 * scheme is internal) with cross-zone balancing, its own security group, and
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
export function createApiLoadBalancer(
  name: string,
  plan: ControlPlanePlan,
  vpcId: pulumi.Input<string>,
  subnetIds: pulumi.Input<string>[],
  securityGroupId: pulumi.Input<string>,
  tags: (resourceName: string) => Record<string, string>,
  opts: pulumi.CustomResourceOptions,
): AwsApiLoadBalancer {
  const lb = plan.loadBalancer;
  const loadBalancer = new aws.lb.LoadBalancer(`${name}-api`, {
    name: `${plan.clusterName}-api`,
    loadBalancerType: "network",
    internal: lb.scheme === "internal",
    subnets: subnetIds,
    securityGroups: [securityGroupId],
    enableCrossZoneLoadBalancing: true,
    ipAddressType: "ipv4",
    tags: tags(`${name}-api`),
  }, opts);
  const targetGroup = new aws.lb.TargetGroup(`${name}-api`, {
    name: `${plan.clusterName}-api`,
    vpcId,
    protocol: "TCP",
    port: lb.port,
    targetType: "ip",
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
