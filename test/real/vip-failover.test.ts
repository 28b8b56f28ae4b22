import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  MASTER_BACKEND_CHECK,
  VRRP_TIMINGS,
  backendFailoverSeconds,
  backendRecoverySeconds,
  vipFailoverBudget,
} from "../../components/plan/vip-failover";
import { renderMasterHaproxyConfig } from "../../components/render/lb/haproxy-config";
import {
  type LbWorld,
  type Probe,
  type VipCluster,
  createLbWorld,
  haproxyCommand,
  median,
  outageMs,
  serverStates,
  setUnhealthy,
  settledOn,
  startHaproxy,
  startKeepalived,
  startProbe,
  startVipCluster,
  stop,
  vipHolders,
} from "../support/lb-cluster";
import { masterHaproxyInput } from "../support/lb-fixture";
import { waitFor } from "../support/test-network";

/**
 * keepalived + HAProxy on three masters, all rendered by kube-ha, in a
 * namespace network with a client: exactly one master holds the VIP; every
 * way the holder can fail (keepalived stopped, HAProxy killed, cable pulled,
 * every apiserver unreachable from it) moves the VIP within the failover
 * budget plan/vip-failover.ts states, measured as the outage a client looping
 * on VIP:6443 sees (median of RUNS runs); HAProxy takes an unready apiserver
 * out and puts it back within its budget; a reload with a changed backend
 * list keeps an established connection.
 *
 * The probe opens a new TLS connection every 50 ms and gives each 250 ms, so
 * a measured outage over-states the real one by at most 0.3 s: the
 * assertions allow that resolution on top of the budget.
 */

const MASTERS = ["m1", "m2", "m3"];
const HOSTS = [...MASTERS, "client"];
const VIP_HOST = 100;
const RUNS = 3;
const PROBE_RESOLUTION_MS = 300;
const budget = vipFailoverBudget(VRRP_TIMINGS, MASTER_BACKEND_CHECK);

let w: LbWorld;
let c: VipCluster;
let probe: Probe;
const measured: Record<string, number[]> = {};

beforeAll(async () => {
  w = await createLbWorld(HOSTS, MASTERS, VIP_HOST);
  c = await startVipCluster(w, MASTERS, VIP_HOST);
  await settledOn(w, c, "m1", 20_000);
  probe = startProbe(w, "client", c.vip, 6443);
  await waitFor("the client to get through the VIP", () => (probe.records.some((r) => r.ok) ? true : undefined), 10_000);
}, 90_000);

afterAll(() => {
  probe?.stop();
  for (const [what, values] of Object.entries(measured)) {
    console.log(`VIP outage, ${what}: median ${median(values)} ms over ${values.length} runs (${values.join(", ")} ms)`);
  }
  if (process.env["KUBE_HA_KEEP_LOGS"]) {
    console.log(`logs kept in ${w?.dir}`);
    w?.net.destroy();
  } else w?.destroy();
});

function logs(): string {
  return fs
    .readdirSync(w.dir)
    .filter((f) => f.endsWith(".log"))
    .map((f) => `--- ${f}\n${fs.readFileSync(path.join(w.dir, f), "utf8").split("\n").slice(-15).join("\n")}`)
    .join("\n");
}

/** Whether every request started in the last second, after `after`, succeeded, and there were at least three. */
function steadySince(records: readonly { ok: boolean; start: number }[], after: number, ms = 1000): boolean {
  const recent = records.filter((r) => r.start > Math.max(after, Date.now() - ms));
  return recent.length >= 3 && recent.every((r) => r.ok);
}

/**
 * Injects a fault on m1 (the VIP holder), waits until another master holds
 * the VIP alone, measures the client's outage, repairs the fault and waits
 * for m1 (the highest priority) to take the VIP back.
 */
async function failover(what: string, inject: () => void | Promise<void>, repair: () => void | Promise<void>, budgetSeconds: number): Promise<number> {
  await settledOn(w, c, "m1");
  const faultAt = Date.now();
  let moved: string;
  let outage: number | undefined;
  await inject();
  try {
    moved = (
      await waitFor(`the VIP to leave m1 (${what})`, () => {
        const h = vipHolders(w, c);
        return h.length === 1 && h[0] !== "m1" ? h[0] : undefined;
      }, (budgetSeconds + 10) * 1000).catch((e) => {
        throw new Error(`${(e as Error).message}\n${logs()}`);
      })
    ).value;
    // Measure once the client has got through steadily for a second: a request that fails
    // after the first success (the VIP moving again, or a probe starved on a loaded machine)
    // then counts in the outage, and a success always follows the last failure.
    await waitFor(`the client to get through ${moved} steadily`, () => (steadySince(probe.records, faultAt + 100) ? true : undefined), 15_000).catch((e) => {
      throw new Error(`${(e as Error).message}\n${logs()}`);
    });
    outage = outageMs(probe.records, faultAt, (budgetSeconds + 10) * 1000);
  } finally {
    await repair();
  }
  await settledOn(w, c, "m1", 30_000);
  expect(moved).not.toBe("m1");
  expect(outage, `${what}: the client saw no failure at all`).toBeDefined();
  (measured[what] ??= []).push(outage!);
  return outage!;
}

async function medianOutage(what: string, inject: () => void | Promise<void>, repair: () => void | Promise<void>, budgetSeconds: number): Promise<number> {
  const outages: number[] = [];
  for (let i = 0; i < RUNS; i++) outages.push(await failover(what, inject, repair, budgetSeconds));
  const m = median(outages);
  console.log(`${what}: outages ${outages.join(", ")} ms, median ${m} ms, budget ${budgetSeconds * 1000} ms (+${PROBE_RESOLUTION_MS} ms probe resolution)`);
  expect(m).toBeLessThanOrEqual(budgetSeconds * 1000 + PROBE_RESOLUTION_MS);
  return m;
}

describe("keepalived + HAProxy on three masters", () => {
  it("exactly one master, the one with the highest priority, holds the VIP, and the client gets through it", () => {
    expect(vipHolders(w, c)).toEqual(["m1"]);
    expect(probe.records.filter((r) => r.ok).map((r) => r.who)).toEqual(expect.arrayContaining([expect.stringMatching(/^m[123]$/)]));
  });

  it(`stopping the holder's keepalived moves the VIP within ${budget.keepalivedStopped} s`, async () => {
    await medianOutage(
      "keepalived stopped",
      () => stop(c.keepalived["m1"]!, "SIGTERM", "keepalived on m1"),
      async () => {
        c.keepalived["m1"] = await startKeepalived(w, c.fixture, "m1");
      },
      budget.keepalivedStopped,
    );
  }, 120_000);

  it(`killing the holder's HAProxy moves the VIP within ${budget.haproxyDown} s`, async () => {
    await medianOutage(
      "HAProxy killed",
      () => stop(c.haproxy["m1"]!, "SIGKILL", "HAProxy on m1"),
      async () => {
        c.haproxy["m1"] = await startHaproxy(w, c.fixture, "m1");
      },
      budget.haproxyDown,
    );
  }, 150_000);

  it(`pulling the holder's cable moves the VIP within ${budget.holderLost} s`, async () => {
    await medianOutage("cable pulled", () => w.net.linkDown("m1"), () => w.net.linkUp("m1"), budget.holderLost);
  }, 120_000);

  it(`when no apiserver is reachable from the holder the VIP moves within ${budget.noHealthyBackend} s`, async () => {
    const ns = w.net.host("m1").ns.name;
    const subnet = `${w.net.subnetBase}/24`;
    // Locally made connections to any :6443 on the subnet (its own apiserver included) are refused;
    // the local table is moved behind the rule so it applies to its own address too.
    const ip = (...args: string[]) => execFileSync("ip", ["-n", ns, ...args], { stdio: "pipe" });
    ip("rule", "add", "pref", "100", "lookup", "local");
    ip("rule", "del", "pref", "0");
    await failover(
      "no apiserver reachable",
      () => {
        ip("rule", "add", "pref", "10", "iif", "lo", "to", subnet, "ipproto", "tcp", "dport", "6443", "prohibit");
      },
      () => {
        ip("rule", "del", "pref", "10");
      },
      budget.noHealthyBackend,
    ).then((outage) => {
      console.log(`no apiserver reachable from the holder: outage ${outage} ms, budget ${budget.noHealthyBackend * 1000} ms`);
      expect(outage).toBeLessThanOrEqual(budget.noHealthyBackend * 1000 + PROBE_RESOLUTION_MS);
    });
  }, 90_000);

  it(`HAProxy takes an unready apiserver out within ${backendFailoverSeconds(MASTER_BACKEND_CHECK)} s and puts it back within ${backendRecoverySeconds(MASTER_BACKEND_CHECK)} s`, async () => {
    const sock = masterHaproxyInput(c.fixture, "m1").runtime.statsSocket;
    await waitFor("every apiserver up", async () => (Object.values(await serverStates(sock)).every((s) => s === "UP") ? true : undefined), 10_000);
    setUnhealthy(w, "m2", true);
    const out = await waitFor("m2 marked down", async () => ((await serverStates(sock))["m2"] === "DOWN" ? true : undefined), 15_000, 20);
    setUnhealthy(w, "m2", false);
    const back = await waitFor("m2 back up", async () => ((await serverStates(sock))["m2"] === "UP" ? true : undefined), 15_000, 20);
    console.log(`unready apiserver: out after ${out.ms} ms (budget ${backendFailoverSeconds(MASTER_BACKEND_CHECK) * 1000}), back after ${back.ms} ms (budget ${backendRecoverySeconds(MASTER_BACKEND_CHECK) * 1000})`);
    expect(out.ms).toBeLessThanOrEqual(backendFailoverSeconds(MASTER_BACKEND_CHECK) * 1000);
    expect(back.ms).toBeLessThanOrEqual(backendRecoverySeconds(MASTER_BACKEND_CHECK) * 1000);
    // The VIP stayed put: one unready apiserver is HAProxy's business, not keepalived's.
    expect(vipHolders(w, c)).toEqual(["m1"]);
  }, 60_000);

  it("an HAProxy reload with a replica removed from the backends keeps an established connection open", async () => {
    await settledOn(w, c, "m1");
    const sock = masterHaproxyInput(c.fixture, "m1").runtime.statsSocket;
    const hold = w.net.spawn("client", process.execPath, [path.join(__dirname, "../support/lb-probe.mjs"), "hold", c.vip, "6443", w.ca.cert], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const answers: { ok: boolean; who?: string; localPort?: number; reused?: boolean }[] = [];
    hold.stdout!.on("data", (d: Buffer) => d.toString().split("\n").filter(Boolean).forEach((l) => answers.push(JSON.parse(l))));
    const ask = async () => {
      const n = answers.length;
      hold.stdin!.write("again\n");
      return (await waitFor("an answer on the held connection", () => answers[n], 10_000)).value;
    };
    const reload = async (cfg: string) => {
      fs.writeFileSync(path.join(w.dir, "m1", "haproxy.cfg"), cfg);
      const before = /Pid: (\d+)/.exec(await haproxyCommand(sock, "show info"))?.[1];
      process.kill(c.haproxy["m1"]!.pid!, "SIGUSR2");
      await waitFor("a new HAProxy worker", async () => {
        const pid = /Pid: (\d+)/.exec(await haproxyCommand(sock, "show info").catch(() => ""))?.[1];
        return pid && pid !== before ? pid : undefined;
      }, 15_000);
    };
    try {
      const first = await ask();
      expect(first.ok).toBe(true);
      const removed = first.who!;
      const original = renderMasterHaproxyConfig(masterHaproxyInput(c.fixture, "m1"));
      const shrunk = masterHaproxyInput(c.fixture, "m1");
      shrunk.backends = shrunk.backends.filter((b) => b.name !== removed);
      await reload(renderMasterHaproxyConfig(shrunk));
      const reloadedAt = Date.now();
      expect(Object.keys(await serverStates(sock)).sort()).toEqual(MASTERS.filter((m) => m !== removed));

      const second = await ask();
      expect(second).toMatchObject({ ok: true, who: removed, localPort: first.localPort, reused: true });
      // New connections only reach the remaining replicas.
      await new Promise((r) => setTimeout(r, 1500));
      const after = probe.records.filter((r) => r.ok && r.start > reloadedAt + 100);
      expect(after.length).toBeGreaterThan(5);
      expect(after.some((r) => r.who === removed)).toBe(false);
      // And the established connection is still open after that.
      expect(await ask()).toMatchObject({ ok: true, who: removed, localPort: first.localPort, reused: true });

      await reload(original);
      expect(Object.keys(await serverStates(sock)).sort()).toEqual(MASTERS);
      expect(await ask()).toMatchObject({ ok: true, who: removed, localPort: first.localPort, reused: true });
    } finally {
      await stop(hold, "SIGKILL", "the held connection's client");
    }
  }, 60_000);
});
