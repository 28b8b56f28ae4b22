import { formatCidr, nthAddress } from "../spec/cidr";
import { FIRST_PLANNED_HOST, zoneBlock, zonePublicBlock } from "../spec/network-blocks";
import type { ClusterSpec, ReplicaSpec } from "../spec/cluster-spec";
import type { Role, ZoneSubnet } from "./types";

/**
 * Address layout (see spec/network-blocks.ts for how the network is cut):
 * masters take hosts from offset 10 of their zone's block, external etcd VMs
 * from offset 100, so a replica's address never depends on replicas in other
 * zones.
 */
export const FIRST_MASTER_HOST = FIRST_PLANNED_HOST;
export const FIRST_ETCD_HOST = 100;

export { zoneBlock };

export function zoneSubnet(spec: ClusterSpec, zone: string): ZoneSubnet {
  return { zone, cidr: formatCidr(zoneBlock(spec, zone)), publicCidr: formatCidr(zonePublicBlock(spec, zone)) };
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
