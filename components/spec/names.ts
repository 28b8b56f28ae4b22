/**
 * Names that are valid for every cloud resource kube-ha derives from them:
 * GCP resource names (RFC 1035: lowercase letter first, then letters, digits
 * and hyphens, no trailing hyphen) also satisfy AWS tags and names. Lengths
 * leave room for suffixes such as `<cluster>-<replica>-etcd` within 63.
 */
export const NAME_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const MAX_CLUSTER_NAME = 24;
export const MAX_REPLICA_NAME = 24;

export function invalidNameReason(name: string, max: number): string | undefined {
  if (name.length === 0) return "is empty";
  if (name.length > max) return `is ${name.length} characters long; the limit is ${max}`;
  if (!NAME_PATTERN.test(name)) {
    return "must start with a lowercase letter and contain only lowercase letters, digits and hyphens, not ending in a hyphen";
  }
  return undefined;
}

/** Lowercases and replaces what cloud names do not allow: a suggestion for the fix text. */
export function suggestName(name: string, max: number): string {
  let s = name.toLowerCase().replace(/[^-a-z0-9]+/g, "-").replace(/^[^a-z]+/, "").replace(/-+$/, "");
  if (s.length === 0) s = "master";
  return s.slice(0, max).replace(/-+$/, "");
}

/** Edit distance, for "did you mean" on unknown keys. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}
