import { describe, expect, it } from "vitest";
import {
  LOCAL_LB_BACKEND_CHECK,
  MASTER_BACKEND_CHECK,
  VRRP_TIMINGS,
  backendFailoverSeconds,
  backendRecoverySeconds,
  vipFailoverBudget,
} from "../../components/plan/vip-failover";
import { electedMaster, vrrpPriorities } from "../../components/plan/vrrp-priorities";

/** Every way `count` masters can be failing or not. */
function failureSets(count: number): boolean[][] {
  return Array.from({ length: 2 ** count }, (_, bits) => Array.from({ length: count }, (_, i) => ((bits >> i) & 1) === 1));
}

describe("VRRP priorities and the check weight", () => {
  it.each([1, 2, 3, 4, 5, 7, 9])("with %i masters a failing check always hands the VIP to a healthy master when one exists", (count) => {
    const p = vrrpPriorities(count);
    expect(new Set(p.priorities).size).toBe(count);
    for (const failing of failureSets(count)) {
      const elected = electedMaster(p, failing);
      if (failing.some((f) => !f)) expect(failing[elected], `failing=${failing.join(",")}`).toBe(false);
      else expect(elected).toBe(0);
    }
  });

  it("with nothing failing the first master holds the VIP", () => {
    expect(electedMaster(vrrpPriorities(3), [false, false, false])).toBe(0);
    expect(vrrpPriorities(3)).toEqual({ priorities: [102, 101, 100], checkWeight: -3 });
  });

  it("the same proof rejects seed 004's weight -2 against priorities 100, 99, 98", () => {
    const seed = { priorities: [100, 99, 98], checkWeight: -2 };
    // e.g. masters 0 and 1 failing: 98 and 97 against healthy master 2's 98 — a tie, which VRRP breaks by address.
    const bad = failureSets(3).filter((failing) => failing.some((f) => !f) && failing[electedMaster(seed, failing)]);
    expect(bad.length).toBeGreaterThan(0);
  });

  it("refuses a master count keepalived's priority range cannot hold", () => {
    expect(() => vrrpPriorities(0)).toThrow(/master count/);
    expect(() => vrrpPriorities(200)).toThrow(/from 1 to 155/);
  });
});

describe("failover budgets", () => {
  it("the masters' HAProxy takes a dead apiserver out within 3.5 s and puts it back within 3.5 s", () => {
    expect(backendFailoverSeconds(MASTER_BACKEND_CHECK)).toBe(3.5);
    expect(backendRecoverySeconds(MASTER_BACKEND_CHECK)).toBe(3.5);
  });

  it("the local load balancer checks five times less often", () => {
    expect(LOCAL_LB_BACKEND_CHECK.intervalMs).toBe(5 * MASTER_BACKEND_CHECK.intervalMs);
    expect(backendFailoverSeconds(LOCAL_LB_BACKEND_CHECK)).toBe(10);
  });

  it("the VIP budget adds check detection, VRRP's master-down interval and, for dead backends, HAProxy's own detection", () => {
    expect(vipFailoverBudget(VRRP_TIMINGS, MASTER_BACKEND_CHECK)).toEqual({
      keepalivedStopped: 1,
      holderLost: 4,
      haproxyDown: 8,
      noHealthyBackend: 11.5,
      backendDown: 3.5,
      worst: 11.5,
    });
  });

  it("seed 004's timings (interval 3, fall 10) would take over a minute to move the VIP off a dead HAProxy", () => {
    const seed = { checkIntervalSeconds: 3, checkTimeoutSeconds: 3, fall: 10, rise: 2, advertIntervalSeconds: 1 };
    expect(vipFailoverBudget(seed, MASTER_BACKEND_CHECK).haproxyDown).toBe(64);
  });
});
