import { parseCidr } from "./cidr";
import type { ClusterSpec } from "./cluster-spec";

/**
 * Warnings for administrative access opened to (nearly) the whole internet:
 * `sshAllowedCidr` always (ssh to a master is root on the control plane), and
 * `apiServerAllowedCidrs` entries that are world-open without being literally
 * 0.0.0.0/0 (the plan already warns about that one, e.g. 0.0.0.0/1). A range
 * is world-open when it is wider than a /8.
 */
export function worldOpenCidrWarnings(spec: ClusterSpec): string[] {
  const w: string[] = [];
  if (spec.sshAllowedCidr !== undefined && isWorldOpen(spec.sshAllowedCidr)) {
    w.push(
      `sshAllowedCidr ${spec.sshAllowedCidr} opens ssh (22) on every master to ${reach(spec.sshAllowedCidr)}: ` +
        "set it to your admin network (e.g. 198.51.100.0/24), or remove it — kube-ha's own removals need no ssh from you (GCP: IAP, AWS: SSM)",
    );
  }
  if (spec.loadBalancer.scheme === "external") {
    for (const cidr of spec.apiServerAllowedCidrs) {
      if (cidr === "0.0.0.0/0" || !isWorldOpen(cidr)) continue;
      w.push(`apiServerAllowedCidrs ${cidr} lets ${reach(cidr)} reach the API server: narrow it to your networks`);
    }
  }
  return w;
}

export function isWorldOpen(cidr: string): boolean {
  const r = parseCidr(cidr);
  return r !== undefined && r.prefix < 8;
}

function reach(cidr: string): string {
  const r = parseCidr(cidr)!;
  return r.prefix === 0 ? "the whole internet" : `${2 ** (32 - r.prefix)} addresses, most of them on the internet`;
}
