/**
 * etcd arithmetic: a cluster of n voting members needs a majority to write,
 * so it survives floor((n-1)/2) member losses. 2 survives none (worse than
 * 1: two machines that can each stop writes), 4 survives as many as 3.
 */
export function quorum(members: number): number {
  return Math.floor(members / 2) + 1;
}

export function toleratedFailures(members: number): number {
  return members <= 0 ? 0 : members - quorum(members);
}

export interface CountRuleOptions {
  allowEven: boolean;
  allowLarge: boolean;
}

export const MAX_MEMBERS_WITHOUT_OVERRIDE = 7;

/**
 * Why an etcd member count is unsafe, or undefined when it is fine. The text
 * is the message and the fix; the caller adds the key and the value.
 */
export function memberCountProblem(count: number, opts: CountRuleOptions): string | undefined {
  if (count <= 0) return "at least one replica is required: use 1 (no HA) or 3 (survives one loss)";
  if (count === 2 && !opts.allowEven) {
    return "a 2-replica etcd is less available than 1: use 1 or 3 (or set allowEvenReplicaCount: true while moving between them)";
  }
  if (count % 2 === 0 && count !== 2 && !opts.allowEven) {
    return `${count} etcd members tolerate ${toleratedFailures(count)} failure(s), no more than ${count - 1}: use ${count - 1} or ${count + 1} (or set allowEvenReplicaCount: true while moving between them)`;
  }
  if (count > MAX_MEMBERS_WITHOUT_OVERRIDE && !opts.allowLarge) {
    return `${count} etcd members slow every write for little gain: use at most ${MAX_MEMBERS_WITHOUT_OVERRIDE}, or set allowLargeControlPlane: true`;
  }
  return undefined;
}
