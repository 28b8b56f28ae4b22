import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removalScriptInput } from "../../components/membership/etcd-member-removal";
import { renderRemovalDeleteScript } from "../../components/membership/removal-scripts";
import { gcpRemovalTransport } from "../../components/platforms/gcp/removal";
import { MEMBERSHIP_EXIT } from "../../components/render/membership-script";
import {
  cleanup,
  joinMember,
  killMember,
  member,
  membersSeen,
  removeMember,
  runningVoters,
  runScript,
  scriptEnv,
  startCluster,
  type TestCluster,
} from "../support/etcd-cluster";
import { waitFor } from "../support/etcd-process";

/**
 * Removal safety on real etcd (issue 9, item 10): a join that crashed before
 * etcd started leaves a member without a name, which `remove NAME` must not
 * call "already removed" (the removal command passes the planned peer URL),
 * and which `status` must report as blocking joins; and a removal that etcd
 * refuses for quorum (strict reconfig check) because another removal ran
 * after this one checked is a refusal (exit 2), not "unavailable" after the
 * whole timeout.
 */

// Members on 127.0.0.121-125.
let cluster: TestCluster;
const run = promisify(execFile);

beforeAll(async () => {
  cluster = await startCluster({ firstHost: 121, size: 5, founders: 3 });
}, 120_000);
afterAll(async () => {
  await cleanup(cluster);
});

/** A start hook that kills the membership script itself: a crash right after `member add`. */
const CRASH_BEFORE_START = { KUBE_HA_ETCD_START: 'kill -KILL "$PPID"' };

async function byPeer(url: string) {
  return (await membersSeen(cluster)).find((m) => m.peerURLs?.[0] === url);
}

/**
 * Runs the removal command's delete script, as Pulumi would, with a stub
 * `gcloud` whose `compute ssh` runs the real membership script on survivor
 * `via` (its environment, this cluster) with the arguments the script sent.
 */
async function runRemovalCommand(replica: string, via: string): Promise<{ code: number; stderr: string }> {
  const bin = join(cluster.dir, "removal-bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    join(bin, "gcloud"),
    `#!/bin/bash
case "$1 $2" in
  "compute instances") printf 'kube-${via}\\teurope-west1-b\\n' ;;
  "compute ssh") while [ "$1" != -- ]; do shift; done; shift 3; exec bash "$KUBE_HA_TEST_SCRIPT" "$@" ;;
  *) exit 1 ;;
esac
`,
    { mode: 0o755 },
  );
  const plan = cluster.plan;
  const target = plan.masters.find((m) => m.name === replica)!;
  const script = renderRemovalDeleteScript(
    removalScriptInput({ plan, replica: target, transport: gcpRemovalTransport, instance: undefined as never, adminKubeconfig: "" }),
  );
  const base = scriptEnv(cluster, via);
  const env = {
    ...base,
    PATH: `${bin}:${base.PATH}`,
    KUBE_HA_TEST_SCRIPT: cluster.script,
    KUBE_HA_GCP_PROJECT: "proj",
    KUBE_HA_INSTANCE: `kube-${replica}`,
    KUBE_HA_KEEP_NODES: "true",
  };
  try {
    const r = await run("/bin/bash", ["-c", script], { env, timeout: 120_000 });
    return { code: 0, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, stderr: err.stderr ?? String(e) };
  }
}

describe("a join that crashed before etcd started (a member with no name)", () => {
  it("makes status exit non-zero saying joins are blocked, is refused — not 'already removed' — by remove NAME alone, and is removed by the removal command through its planned peer URL", async () => {
    const peer = member(cluster, "m4").peerUrl;
    const crashed = await joinMember(cluster, "m4", CRASH_BEFORE_START);
    expect(crashed.signal ?? crashed.code).toBe("SIGKILL");
    const left = await byPeer(peer);
    expect(left?.isLearner).toBe(true);
    expect(left?.name ?? "").toBe("");

    const status = await runScript(cluster, "m1", ["status"]);
    expect(status.code, status.stdout).toBe(MEMBERSHIP_EXIT.unavailable);
    expect(status.stdout).toContain(`JOINS BLOCKED by (unstarted ${peer}): re-run join there, or remove --peer-url ${peer}`);

    const alone = await runScript(cluster, "m1", ["remove", "m4"]);
    expect(alone.code, alone.stderr).toBe(MEMBERSHIP_EXIT.refused);
    expect(alone.stderr).not.toContain("already removed");
    expect(alone.stderr).toContain(peer);
    expect(await byPeer(peer)).toBeDefined();

    const removal = await runRemovalCommand("m4", "m1");
    expect(removal.code, removal.stderr).toBe(0);
    expect(removal.stderr).toContain(`removed member (unstarted ${peer})`);
    expect(await byPeer(peer)).toBeUndefined();

    // Joins work again, and the same removal command run again is a no-op.
    const again = await runRemovalCommand("m4", "m1");
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain("already removed");
    const joined = await joinMember(cluster, "m4");
    expect(joined.code, joined.stderr).toBe(0);
    const clear = await runScript(cluster, "m1", ["status"]);
    expect(clear.code, clear.stdout + clear.stderr).toBe(MEMBERSHIP_EXIT.ok);
  }, 180_000);

  it("a started learner not yet promoted also makes status exit non-zero, until its join finishes", async () => {
    const crashed = await joinMember(cluster, "m5", { KUBE_HA_ETCD_START: `bash ${cluster.startHook} && kill -KILL "$PPID"` });
    expect(crashed.signal ?? crashed.code).toBe("SIGKILL");
    // etcd names the member once its process has published itself to the cluster.
    await waitFor("learner m5 to publish its name", async () => ((await byPeer(member(cluster, "m5").peerUrl))?.name === "m5" ? true : undefined), 30_000, 300);
    const status = await runScript(cluster, "m1", ["status"]);
    expect(status.code, status.stdout).toBe(MEMBERSHIP_EXIT.unavailable);
    expect(status.stdout).toContain("JOINS BLOCKED by m5: re-run join there");
    const finished = await joinMember(cluster, "m5");
    expect(finished.code, finished.stderr).toBe(0);
    expect((await runScript(cluster, "m1", ["status"])).code).toBe(MEMBERSHIP_EXIT.ok);
  }, 180_000);
});

/** etcdctl as the tests' own client (the cluster's client certificate), for setup only. */
async function etcdctl(args: string[]): Promise<string> {
  const endpoints = runningVoters(cluster).map((m) => m.clientUrl).join(",");
  const { ca, cert, key } = cluster.tls;
  const r = await run("etcdctl", [`--endpoints=${endpoints}`, `--cacert=${ca}`, `--cert=${cert}`, `--key=${key}`, ...args], {
    env: { ...process.env, ETCDCTL_API: "3" },
    timeout: 30_000,
  });
  return r.stdout;
}

async function moveLeaderTo(name: string): Promise<void> {
  const line = (await etcdctl(["member", "list"])).split("\n").find((l) => l.split(", ")[2] === name);
  if (!line) throw new Error(`no member ${name} in the member list`);
  try {
    await etcdctl(["move-leader", line.split(", ")[0]!]);
  } catch (e) {
    if (!String((e as { stderr?: string }).stderr ?? e).includes("already leader")) throw e;
  }
}

describe("two removals at once", () => {
  it("when etcd refuses the second for quorum (another removal ran after its check), it exits 2 at once with a clear message", async () => {
    // Five voters; m5 dies; m4 is removed. Four voters, one dead: removing m2 or m3 alone is safe,
    // removing both is not. The removal of m3 checks quorum, then — before its member remove — the
    // removal of m2 happens (an etcdctl wrapper does it at exactly that point).
    for (const name of ["m4", "m5"]) {
      if (member(cluster, name).voter) continue;
      const joined = await joinMember(cluster, name); // when this test runs alone
      expect(joined.code, joined.stderr).toBe(0);
    }
    await killMember(cluster, "m5");
    const m4 = await removeMember(cluster, "m4", { from: "m1" });
    expect(m4.code, m4.stderr).toBe(0);
    // m1 leads, so neither removal moves leadership (an election would only blur what is tested).
    await moveLeaderTo("m1");

    const wrapper = join(cluster.dir, "etcdctl-other-removal-first");
    writeFileSync(
      wrapper,
      `#!/bin/bash
# Before the first member remove: remove member $OTHER first (and stop its etcd), as a concurrent removal would.
if [[ " $* " == *" member remove "* ]] && [ ! -e "$FLAG" ]; then
  touch "$FLAG"
  common=("\${@:1:$#-3}")
  id=$(etcdctl "\${common[@]}" member list | awk -F', ' -v n="$OTHER" '$3 == n { print $1 }')
  etcdctl "\${common[@]}" member remove "$id" >&2 || exit 1
  kill -KILL "$(cat "$OTHER_PIDFILE")"
fi
exec etcdctl "$@"
`,
      { mode: 0o755 },
    );
    const started = Date.now();
    const r = await runScript(cluster, "m1", ["remove", "m3"], {
      KUBE_HA_ETCDCTL: wrapper,
      FLAG: join(cluster.dir, "other-removed"),
      OTHER: "m2",
      OTHER_PIDFILE: member(cluster, "m2").pidFile,
    });
    const seconds = (Date.now() - started) / 1000;
    console.log(`[concurrent-removal] ${seconds.toFixed(1)} s, exit ${r.code}:\n${r.stderr}`);
    member(cluster, "m2").state = "removed";
    member(cluster, "m2").voter = false;

    expect(r.stderr).toContain("removing voting member m3: 2 healthy voters remain of 3 (quorum 2)");
    // Either etcd refuses it, or (when the member removed first was the leader) the request fails
    // while leadership moves ("server stopped"), and the retry's own quorum check refuses it.
    expect(r.stderr).toMatch(
      /etcd refused to remove m3 \(etcdserver: (unhealthy cluster|re-configuration failed due to not enough started members)\)|member remove m3 failed: etcdserver: server stopped; retrying/,
    );
    expect(r.code, r.stderr).toBe(MEMBERSHIP_EXIT.refused);
    expect(r.stderr).toContain("removing m3 would leave 1 healthy of 2 voting members, below quorum 2");
    expect(seconds).toBeLessThan(cluster.timeoutSeconds / 2);
    const left = (await membersSeen(cluster)).map((m) => m.name).sort();
    expect(left).toEqual(["m1", "m3", "m5"]);
  }, 180_000);
});
