import { containsIp, parseCidr, rangeSize } from "../spec/cidr";
import type { ClusterSpec } from "../spec/cluster-spec";

/** RFC 5737's documentation ranges: no real machine has an address in them. */
const DOCUMENTATION_RANGES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"].map((c) => parseCidr(c)!);

function withinDocumentationRanges(cidr: string): boolean {
  const r = parseCidr(cidr);
  if (!r) return false;
  const last = r.base + rangeSize(r) - 1;
  return DOCUMENTATION_RANGES.some((d) => containsIp(d, r.base) && containsIp(d, last));
}

/**
 * Whether the machine running `pulumi up` can possibly reach the endpoint:
 * it must, for the join wait and for removals (components/membership). When
 * every `apiServerAllowedCidrs` entry of an external load balancer is a
 * documentation range (as in the example stacks), nothing real can, and the
 * warning says what to put there instead.
 */
export function runnerAccessWarning(spec: ClusterSpec): string | undefined {
  if (spec.loadBalancer.scheme !== "external") return undefined;
  const cidrs = spec.apiServerAllowedCidrs;
  if (cidrs.length === 0 || !cidrs.every(withinDocumentationRanges)) return undefined;
  return (
    `apiServerAllowedCidrs (${cidrs.join(", ")}) holds only documentation ranges: no real machine can reach the endpoint, ` +
    "so pulumi up's join wait fails. Put your workstation's and CI runners' public addresses there " +
    "(e.g. the output of curl https://checkip.amazonaws.com, as /32), or set KUBE_HA_SKIP_JOIN_WAIT=true"
  );
}
