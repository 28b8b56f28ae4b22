import { PLATFORM_RULES } from "../platforms/rules";
import { formatCidr, formatIpv4, nthSubnet, parseCidr, rangeSize, type Ipv4Range } from "./cidr";
import type { SubnetSpec } from "./cluster-spec";
import type { Cloud } from "./schema";
import { MAX_ZONES_PER_REGION, zoneBlockIndex } from "./zones";

/**
 * How the node network is cut, shared by the validator (which checks pinned
 * addresses) and the planner (which picks the others). The network is cut
 * into 16 equal blocks; the zone with block index k (zones.ts: its letter's
 * place, a=0, b=1, …, from the region's zone table, distinct for every zone
 * of a region) owns block k, and block 8+k holds its public subnet on AWS.
 * Where the platform's subnets are per zone (its rules' subnetScope, AWS)
 * block k is the zone's private subnet; where they are regional (GCP) block k
 * is only where that zone's machines take their addresses.
 */
export interface NetworkShape {
  cloud: Cloud;
  region: string;
  /** The stack's `extraZones` (zones the region table does not list yet). */
  extraZones?: readonly string[];
  network: { cidr: string; existing?: { subnets: SubnetSpec[] } };
}

/**
 * Hosts below this offset of a zone's block are kube-ha's own (an internal
 * load balancer takes host 5); machines take addresses from it upwards.
 */
export const FIRST_PLANNED_HOST = 10;

/** The subnet a zone's machines live in, as the cloud sees it. */
export function regionalRange(shape: NetworkShape, zone: string): Ipv4Range {
  const existing = shape.network.existing;
  if (existing) {
    const subnet = existing.subnets.find((s) => s.zone === zone) ?? existing.subnets[0]!;
    return parseCidr(subnet.cidr)!;
  }
  return parseCidr(shape.network.cidr)!;
}

/** The zone's block index (0–7); the validator has refused zones that have none. */
function blockIndex(shape: NetworkShape, zone: string): number {
  const index = zoneBlockIndex(shape, zone);
  if (index === undefined) throw new RangeError(`zone ${zone} is not one of region ${shape.region}'s zones: it has no address block`);
  return index;
}

/** The block a zone's machines take addresses from. */
export function zoneBlock(shape: NetworkShape, zone: string): Ipv4Range {
  const range = regionalRange(shape, zone);
  if (shape.network.existing && PLATFORM_RULES[shape.cloud].network.subnetScope === "zone") return range;
  return nthSubnet(range, Math.min(range.prefix + 4, 28), blockIndex(shape, zone));
}

/** The public block of a zone (AWS NAT gateways and an internet-facing NLB). */
export function zonePublicBlock(shape: NetworkShape, zone: string): Ipv4Range {
  if (shape.network.existing) return zoneBlock(shape, zone);
  const range = regionalRange(shape, zone);
  return nthSubnet(range, Math.min(range.prefix + 4, 28), MAX_ZONES_PER_REGION + blockIndex(shape, zone));
}

/** The subnet the cloud itself sees for a zone: a per-zone subnet (AWS) or the regional one (GCP). */
export function cloudSubnet(shape: NetworkShape, zone: string): Ipv4Range {
  return PLATFORM_RULES[shape.cloud].network.subnetScope === "zone" ? zoneBlock(shape, zone) : regionalRange(shape, zone);
}

/**
 * Why the cloud would refuse this address for an instance, or undefined: the
 * platform reserves the first and last few addresses of every subnet (its
 * rules' reservedAddresses: AWS the first four and the last, GCP the first
 * two and the last two).
 */
export function reservedAddressReason(cloud: Cloud, subnet: Ipv4Range, ip: number): string | undefined {
  const offset = ip - subnet.base;
  const last = rangeSize(subnet) - 1;
  const rules = PLATFORM_RULES[cloud];
  const { head, tail } = rules.network.reservedAddresses;
  if (offset < head || offset > last - tail) {
    const lo = formatIpv4(subnet.base + head);
    const hi = formatIpv4(subnet.base + last - tail);
    return `${rules.displayName} reserves it in subnet ${formatCidr(subnet)}: use an address from ${lo} to ${hi}`;
  }
  return undefined;
}
