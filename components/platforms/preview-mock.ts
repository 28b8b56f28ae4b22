import { createHash } from "node:crypto";

/**
 * The shape of the offline preview's mock cloud, shared by the preview
 * (components/preview/mock-state.ts) and the platforms that answer it
 * (components/platforms/<name>/preview-mocks.ts), with the helpers both
 * platforms build their answers from. Everything is deterministic from type
 * and name; addresses come from the documentation ranges (RFC 5737), so
 * nothing in a preview can be mistaken for a real endpoint.
 */

/** What the mock cloud knows of the stack it previews. */
export interface MockContext {
  /** The region the stack builds in (kube-ha:region, else a provider's region config). */
  region: string;
  /** The stack's config, `namespace:key` → value, for what a platform reads itself (e.g. a GCP project). */
  config: Readonly<Record<string, string>>;
}

export interface MockAnswer {
  id: string;
  state: Record<string, unknown>;
  /** State keys that hold key material (a real provider marks them secret). */
  secretKeys: string[];
}

/** A stable hex digest of `text`, `length` characters long (ids, suffixes). */
export function mockDigest(text: string, length = 10): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A stable address in 203.0.113.0/24 (TEST-NET-3) for an external LB address. */
export function documentationAddress(seed: string): string {
  const n = parseInt(mockDigest(seed, 4), 16);
  return `203.0.113.${(n % 200) + 10}`;
}

/** A non-empty string input, else undefined. */
export function nonEmptyString(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}
