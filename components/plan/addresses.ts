import { formatCidr, nthAddress, nthSubnet, parseCidr, type Ipv4Range } from "../spec/cidr";
import type { ClusterSpec, ReplicaSpec } from "../spec/cluster-spec";
import { zoneOrdinal } from "../spec/zones";
import type { Role, ZoneSubnet } from "./types";

/**
 * Address layout. The node network is cut into 16 equal blocks; zone letter
 * k owns block k (a=0, b=1, …) and block 8+k holds its public subnet on AWS.
 * On AWS block k is the zone's private subnet; on GCP the subnet is regional
 * and block k is only where that zone's masters take their addresses, so a
 * replica's address never depends on replicas in other zones. Masters take
 * hosts from offset 10, external etcd VMs from offset 100.
 */
export const FIRST_MASTER_HOST = 10;
export const FIRST_ETCD_HOST = 100;

function regionalRange(spec: ClusterSpec, zone: string): Ipv4Range {
  const existing = spec.network.existing;
  if (existing) {
    const subnet = existing.subnets.find((s) => s.zone === zone) ?? existing.subnets[0]!;
    return parseCidr(subnet.cidr)!;
  }
  return parseCidr(spec.network.cidr)!;
}

/** The block a zone's machines take addresses from. */
export function zoneBlock(spec: ClusterSpec, zone: string): Ipv4Range {
  const range = regionalRange(spec, zone);
  if (spec.network.existing && spec.cloud === "aws") return range;
  return nthSubnet(range, Math.min(range.prefix + 4, 28), zoneOrdinal(zone) % 8);
}

export function zoneSubnet(spec: ClusterSpec, zone: string): ZoneSubnet {
  const block = zoneBlock(spec, zone);
  const range = regionalRange(spec, zone);
  const publicBlock = spec.network.existing
    ? block
    : nthSubnet(range, Math.min(range.prefix + 4, 28), 8 + (zoneOrdinal(zone) % 8));
  return { zone, cidr: formatCidr(block), publicCidr: formatCidr(publicBlock) };
}

/**
 * Addresses for a list of replicas of one role: pinned ones as given, the
 * rest the lowest free host of their zone's block, in list order.
 */
export function assignAddresses(
  spec: ClusterSpec,
  replicas: readonly ReplicaSpec[],
  role: Role,
  reserved: ReadonlySet<string> = new Set(),
): { address: string; pinned: boolean }[] {
  const used = new Set<string>(reserved);
  for (const r of replicas) if (r.address) used.add(r.address);
  const first = role === "master" ? FIRST_MASTER_HOST : FIRST_ETCD_HOST;
  return replicas.map((r) => {
    if (r.address) return { address: r.address, pinned: true };
    const block = zoneBlock(spec, r.zone);
    for (let host = first; host < 2 ** (32 - block.prefix) - 1; host++) {
      const candidate = nthAddress(block, host);
      if (!used.has(candidate)) {
        used.add(candidate);
        return { address: candidate, pinned: false };
      }
    }
    throw new RangeError(`no free address left in ${formatCidr(block)} for ${r.name}`);
  });
}
