import type { ReplicaSpec } from "./cluster-spec";
import type { ReplicaInput } from "./schema";
import { zoneLetter } from "./zones";

/**
 * Gives every replica without a name one derived from its zone:
 * `<prefix>-<zone letter>`, then `<prefix>-<zone letter>-2`, … for further
 * replicas in the same zone. Names already taken (explicitly or earlier in
 * the list) are skipped, so a replica's name does not depend on replicas in
 * other zones. The CLI writes names explicitly, so they never shift.
 */
export function resolveReplicaNames(inputs: readonly ReplicaInput[], prefix: string): ReplicaSpec[] {
  const taken = new Set(inputs.map((r) => r.name).filter((n): n is string => n !== undefined));
  return inputs.map((r) => {
    if (r.name !== undefined) return { name: r.name, zone: r.zone, ...(r.address ? { address: r.address } : {}) };
    const name = nextFreeName(taken, prefix, r.zone);
    taken.add(name);
    return { name, zone: r.zone, ...(r.address ? { address: r.address } : {}) };
  });
}

export function nextFreeName(taken: ReadonlySet<string>, prefix: string, zone: string): string {
  const base = `${prefix}-${zoneLetter(zone)}`;
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const candidate = `${base}-${i}`;
    if (!taken.has(candidate)) return candidate;
  }
}
