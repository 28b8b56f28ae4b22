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
