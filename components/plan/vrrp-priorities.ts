/**
 * VRRP priorities for the masters sharing a VIP, and the weight a failing
 * check subtracts, chosen so that a failing check always moves the VIP to a
 * healthy master. Seed 004 used `weight -2` against priorities a few points
 * apart: a failing master often still outranked every healthy one and kept
 * the VIP.
 *
 * Master i (0-based, in the order given) gets `BASE + (count − 1 − i)`, so
 * the priorities are distinct (no tie broken by IP address) and span
 * `count − 1`. The weight is `−count`, one more than the spread: a failing
 * master ends at most at `BASE − 1`, below every healthy master (≥ BASE),
 * while failing masters keep their order among themselves (when all fail the
 * VIP stays put rather than moving to an equally bad master).
 */

const BASE = 100;
/** keepalived accepts priorities 1–254 (255 is the address owner) and weights −253…253. */
const MAX_PRIORITY = 254;

export interface VrrpPriorities {
  /** One per master, in the order given. */
  priorities: number[];
  /** The (negative) weight of the check: applied while it fails. */
  checkWeight: number;
}

export function vrrpPriorities(count: number): VrrpPriorities {
  if (!Number.isInteger(count) || count < 1 || BASE + count - 1 > MAX_PRIORITY) {
    throw new Error(`VRRP priorities: the master count must be a whole number from 1 to ${MAX_PRIORITY - BASE + 1}, got ${count}`);
  }
  return {
    priorities: Array.from({ length: count }, (_, i) => BASE + (count - 1 - i)),
    checkWeight: -count,
  };
}

/**
 * The master VRRP elects when the masters marked `failing` have the weight
 * applied: the highest effective priority wins (the priorities are distinct).
 * Returns its index. Used to prove the weight, not at run time.
 */
export function electedMaster(p: VrrpPriorities, failing: ReadonlyArray<boolean>): number {
  let best = -1;
  let bestPriority = -Infinity;
  p.priorities.forEach((priority, i) => {
    const effective = priority + (failing[i] ? p.checkWeight : 0);
    if (effective > bestPriority) {
      best = i;
      bestPriority = effective;
    }
  });
  return best;
}

/**
 * Priorities that stay put while masters come and go, for masters whose
 * keepalived.conf is rewritten on every change (on-premises). The master at
 * position p of the stack's replicas list gets `TOP − p`, and the weight is
 * the constant `−SPAN`: a failing master ends at most at `TOP − SPAN`, below
 * every healthy one (≥ `TOP − SPAN + 1` for up to SPAN masters), whatever
 * the count — so neither a priority nor the weight depends on how many
 * masters there are.
 *
 * - add-replica appends to the list: no other master's priority changes, and
 *   the new master has the lowest, so its joining never takes the VIP from a
 *   healthy holder;
 * - replace-replica keeps the replica's place: the replacement gets the
 *   priority of the master it replaces;
 * - remove-replica shifts the masters after the removed one up by one place
 *   (+1 each): their order is unchanged, so the VIP moves only if the removed
 *   master held it.
 * A derivation from anything else the config holds is not stable: a place in
 * the sorted names moves when a new name sorts before it; a hash of the
 * name can give a new master a priority above the holder's (a VIP move on an
 * add) and can tie two masters.
 */
const POSITIONED_TOP = 200;
const POSITIONED_SPAN = 100;
export const MAX_POSITIONED_MASTERS = POSITIONED_SPAN;

export function vrrpPrioritiesByPosition(count: number): VrrpPriorities {
  if (!Number.isInteger(count) || count < 1 || count > MAX_POSITIONED_MASTERS) {
    throw new Error(`VRRP priorities: the master count must be a whole number from 1 to ${MAX_POSITIONED_MASTERS}, got ${count}`);
  }
  return {
    priorities: Array.from({ length: count }, (_, position) => POSITIONED_TOP - position),
    checkWeight: -POSITIONED_SPAN,
  };
}
