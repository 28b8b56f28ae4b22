import type { Role } from "../../plan/types";

/**
 * GCP names derived from the cluster name (≤ 24 characters, RFC 1035), so
 * two clusters can share a project. Pure.
 */

/** GCP resource names: RFC 1035, at most 63 characters. */
export const GCP_NAME_MAX = 63;
const RFC1035 = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;

/**
 * `<cluster>-<part>-…`: a GCP resource name. The spec's limits (cluster and
 * replica names ≤ 24, RFC 1035) keep every name kube-ha derives within 63
 * (test/mock/resource-name-limits.test.ts walks them all); this throws only
 * on a programming error.
 */
export function gcpName(clusterName: string, ...parts: string[]): string {
  const name = [clusterName, ...parts].join("-");
  if (name.length > GCP_NAME_MAX) throw new Error(`GCP resource name too long (${name.length} > ${GCP_NAME_MAX}): ${name}`);
  if (!RFC1035.test(name)) throw new Error(`GCP resource name is not RFC 1035 (lowercase letter first, then lowercase letters, digits, hyphens; no trailing hyphen): ${name}`);
  return name;
}

/** The network tag carried by every machine of a role; firewall rules target and admit by it. */
export function roleTag(clusterName: string, role: Role): string {
  return gcpName(clusterName, role);
}

/** Service account id (6–30 characters: a cluster name of 1–24 gives 7–30). */
export function serviceAccountId(clusterName: string): string {
  return `${clusterName}-cp-sa`;
}

/** Custom role id (letters, digits, `_` and `.`): read-only discovery of the cluster's instances. */
export function discoveryRoleId(clusterName: string): string {
  return `kubeHa.${clusterName.replace(/-/g, "_")}.discovery`;
}
