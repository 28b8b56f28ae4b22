import type { ControlPlanePlan, ZoneSubnet } from "../../plan/types";
import { nthAddress, parseCidr } from "../../spec/cidr";

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

/** Plan → the network to build or use. */
export function awsNetworkLayout(plan: ControlPlanePlan): AwsNetworkLayout {
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
      // existingNetwork.loadBalancerSubnets (required by the spec for an internet-facing NLB), else the masters' subnets.
      loadBalancerSubnetIds: [...(existing.loadBalancerSubnets ?? [...new Set(masterSubnets.map((s) => s.subnetId))])],
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

/**
 * Host of each zone's subnet an internal NLB takes: above the four addresses
 * AWS reserves (.0–.3), below the masters' (from FIRST_MASTER_HOST, 10).
 */
export const INTERNAL_NLB_HOST = 5;

/**
 * The private address of an internal NLB in each of its subnets, aligned
 * with the network's `loadBalancerSubnetIds` (undefined: AWS picks one).
 * Left alone, AWS gives the NLB's interfaces any free address of the
 * masters' subnets — possibly one a later add-replica plans. In a new VPC,
 * where kube-ha owns the subnets, it is pinned at INTERNAL_NLB_HOST. An
 * existing subnet may hold other machines at that host, so there AWS picks
 * (pin the replicas' addresses if that subnet is shared), as GCP does for
 * its internal LB address in an existing network.
 */
export function internalNlbAddresses(layout: AwsNetworkLayout, scheme: "external" | "internal"): (string | undefined)[] {
  if (layout.kind === "existing") return layout.loadBalancerSubnetIds.map(() => undefined);
  if (scheme !== "internal" || layout.loadBalancerSubnets !== "private") return layout.zones.map(() => undefined);
  return layout.zones.map((z) => nthAddress(parseCidr(z.cidr)!, INTERNAL_NLB_HOST));
}
