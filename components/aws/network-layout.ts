import type { ControlPlanePlan, ZoneSubnet } from "../plan/types";
import { describeValue, type SpecProblem } from "../spec/errors";

/**
 * The shape of the AWS network, decided purely from the plan.
 *
 * New VPC: one private subnet per zone (the masters), one public subnet per
 * zone (NAT gateway, internet-facing NLB), an internet gateway. Masters always
 * need egress (apt repositories, pkgs.k8s.io, registry.k8s.io, the Secrets
 * Manager and EC2 APIs at boot), so their route is a NAT gateway, or the
 * internet gateway when they have public addresses (assignPublicIp).
 *
 * One NAT gateway per zone, not one shared: a shared NAT lives in one zone,
 * and losing that zone would cut every surviving master off from Secrets
 * Manager and the EC2 API, so a master rebooting in a healthy zone could not
 * boot. Per-zone NAT costs one gateway (and its hourly fee) per zone in use.
 *
 * Zones of the network ("network zones") are the zones of the replicas plus
 * any extra zones given: the NLB has a subnet in each, and AWS providers
 * replace a Network Load Balancer when one of its subnets goes away (a new
 * DNS name: the endpoint would move). Keep a zone in the `networkZones` stack key while it
 * is briefly empty, e.g. during replace-replica in a 3-zone cluster.
 */
export interface NewNetworkLayout {
  kind: "new";
  vpcCidr: string;
  zones: ZoneSubnet[];
  /** Masters reach the internet through a NAT gateway in their zone (false: the internet gateway). */
  natGateways: boolean;
  /** Public subnets exist (NAT gateways or an internet-facing NLB live there). */
  publicSubnets: boolean;
  /** Where the NLB's nodes live. */
  loadBalancerSubnets: "public" | "private";
}

export interface ExistingNetworkLayout {
  kind: "existing";
  vpcId: string;
  /** The masters' subnet per zone in use. */
  masterSubnets: { zone: string; subnetId: string; cidr: string }[];
  loadBalancerSubnetIds: string[];
}

export type AwsNetworkLayout = NewNetworkLayout | ExistingNetworkLayout;

export interface NetworkOptions {
  /** Subnets for the NLB in an existing VPC (default: the masters' subnets). */
  loadBalancerSubnetIds?: readonly string[];
}

/** Problems with the AWS-only network arguments, in the spec's message format. */
export function networkOptionProblems(plan: ControlPlanePlan, opts: NetworkOptions, keyPrefix: string): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const existing = plan.spec.network.existing;
  if (opts.loadBalancerSubnetIds !== undefined) {
    if (!existing) {
      problems.push({
        key: `${keyPrefix}loadBalancerSubnetIds`,
        value: describeValue(opts.loadBalancerSubnetIds),
        message: "only used with existingNetwork: remove it (kube-ha places the NLB in the subnets it creates)",
      });
    } else if (opts.loadBalancerSubnetIds.length === 0) {
      problems.push({
        key: `${keyPrefix}loadBalancerSubnetIds`,
        value: "[]",
        message: "the NLB needs at least one subnet: list one per zone, or omit the key",
      });
    }
  }
  return problems;
}

/** Plan (+ AWS-only options) → the network to build or use. */
export function awsNetworkLayout(plan: ControlPlanePlan, opts: NetworkOptions = {}): AwsNetworkLayout {
  const { spec } = plan;
  const existing = spec.network.existing;
  if (existing) {
    const zonesInUse = [...new Set([...plan.masters, ...plan.etcdNodes].map((r) => r.zone))].sort();
    const masterSubnets = zonesInUse.map((zone) => {
      const s = existing.subnets.find((x) => x.zone === zone)!;
      return { zone, subnetId: s.name, cidr: s.cidr };
    });
    return {
      kind: "existing",
      vpcId: existing.network,
      masterSubnets,
      loadBalancerSubnetIds: [...(opts.loadBalancerSubnetIds ?? [...new Set(masterSubnets.map((s) => s.subnetId))])],
    };
  }
  // plan.network.zoneSubnets already spans the replicas' zones and spec.network.zones (networkZones).
  const zones = plan.network.zoneSubnets;
  const natGateways = !spec.assignPublicIp;
  const external = plan.loadBalancer.scheme === "external";
  return {
    kind: "new",
    vpcCidr: plan.network.cidr,
    zones,
    natGateways,
    publicSubnets: natGateways || external,
    loadBalancerSubnets: external ? "public" : "private",
  };
}
