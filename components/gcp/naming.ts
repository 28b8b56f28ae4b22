import type { Role } from "../plan/types";

/**
 * GCP names derived from the cluster name (≤ 24 characters, RFC 1035), so
 * two clusters can share a project. Pure.
 */

/** `<cluster>-<part>-…`: a GCP resource name (≤ 63 characters). */
export function gcpName(clusterName: string, ...parts: string[]): string {
  const name = [clusterName, ...parts].join("-");
  if (name.length > 63) throw new Error(`GCP resource name too long (${name.length} > 63): ${name}`);
  return name;
}

/** The network tag carried by every machine of a role; firewall rules target and admit by it. */
export function roleTag(clusterName: string, role: Role): string {
  return gcpName(clusterName, role);
}

/** Service account id (6–30 characters). */
export function serviceAccountId(clusterName: string): string {
  return `${clusterName}-cp-sa`;
}

/** Custom role id (letters, digits, `_` and `.`): read-only discovery of the cluster's instances. */
export function discoveryRoleId(clusterName: string): string {
  return `kubeHa.${clusterName.replace(/-/g, "_")}.discovery`;
}
