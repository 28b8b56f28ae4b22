import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBERSHIP_EXIT, MEMBERSHIP_SCRIPT_SOURCE, renderMembershipScript, shellQuote } from "../../components/render/membership-script";

const dir = mkdtempSync(join(tmpdir(), "membership-script-"));
const script = join(dir, "kube-ha-etcd");
writeFileSync(script, renderMembershipScript(), { mode: 0o755 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync("bash", [script, ...args], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", KUBE_HA_ETCD_ENV_FILE: join(dir, "none"), ...env },
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the membership script", () => {
  it("is components/render/scripts/kube-ha-etcd.sh as it is on disk, only its DEFAULT_ lines filled in", () => {
    const source = readFileSync(join(__dirname, "../../components", MEMBERSHIP_SCRIPT_SOURCE), "utf8").split("\n");
    const rendered = renderMembershipScript({ configDir: "/test/etcd" }).split("\n");
    expect(rendered).toHaveLength(source.length);
    const differing = rendered.map((line, i) => [line, source[i]]).filter(([line, was]) => line !== was);
    expect(differing.length).toBeGreaterThan(0);
    for (const [line] of differing) expect(line).toMatch(/^DEFAULT_[A-Z_]+=/);
    expect(rendered).toContain("DEFAULT_CONFIG_DIR='/test/etcd'");
  });

  it("passes shellcheck as rendered (fails when shellcheck is missing)", () => {
    execFileSync("shellcheck", ["-s", "bash", script], { stdio: "pipe" });
  });

  it("fills in the machine's defaults, and a test's start hook when given one", () => {
    const rendered = renderMembershipScript();
    expect(rendered).toContain("DEFAULT_CONFIG_DIR='/etc/kube-ha/etcd'\n");
    expect(rendered).toContain("DEFAULT_ETCDCTL='/usr/local/bin/etcdctl'\n");
    expect(rendered).toContain("DEFAULT_START_CMD='systemctl daemon-reload && systemctl enable --now --no-block kube-ha-etcd.service'\n");
    expect(renderMembershipScript({ startCommand: "echo it's started" })).toContain(`DEFAULT_START_CMD=${shellQuote("echo it's started")}\n`);
  });

  it("documents its commands, inputs and exit codes in --help", () => {
    const r = run(["--help"]);
    expect(r.code).toBe(MEMBERSHIP_EXIT.ok);
    for (const word of ["bootstrap", "join", "remove NAME", "status", "ETCD_ENDPOINTS", "KUBE_HA_ETCD_NAME", "KUBE_HA_ETCD_START", "KUBE_HA_ETCD_TIMEOUT"]) {
      expect(r.stdout).toContain(word);
    }
    for (const [code, meaning] of [[0, "done"], [2, "refused"], [3, "unhealthy"], [64, "usage"], [69, "missing"]] as const) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${code}\\s+.*${meaning}`, "m"));
    }
  });

  it("answers a bad command line with exit 64 and what to do", () => {
    expect(run([]).code).toBe(MEMBERSHIP_EXIT.usage);
    const unknown = run(["frobnicate"]);
    expect(unknown.code).toBe(MEMBERSHIP_EXIT.usage);
    expect(unknown.stderr).toContain("use bootstrap, join, remove NAME or status");
    expect(run(["remove"]).code).toBe(MEMBERSHIP_EXIT.usage);
    expect(run(["--bogus", "status"]).code).toBe(MEMBERSHIP_EXIT.usage);
    expect(run(["status"], { KUBE_HA_ETCD_TIMEOUT: "soon" }).stderr).toContain("positive whole seconds");
  });

  it("exits 69 with the fix when etcdctl is missing", () => {
    const r = run(["status"], { KUBE_HA_ETCDCTL: "/nonexistent/etcdctl" });
    expect(r.code).toBe(MEMBERSHIP_EXIT.missing);
    expect(r.stderr).toContain("install etcdctl");
  });

  it("refuses to join without knowing who it is, before touching the cluster", () => {
    const pki = join(dir, "pki");
    mkdirSync(join(pki, "etcd"), { recursive: true });
    for (const f of ["ca.crt", "server.crt", "server.key"]) writeFileSync(join(pki, "etcd", f), "x");
    const r = run(["join"], { KUBE_HA_PKI_DIR: pki, KUBE_HA_ETCDCTL: "true" });
    expect(r.code).toBe(MEMBERSHIP_EXIT.usage);
    expect(r.stderr).toContain("KUBE_HA_ETCD_NAME is not set");
  });

  it("reads the member's identity from its env file, the environment winning", () => {
    const pki = join(dir, "pki");
    const envFile = join(dir, "member.env");
    writeFileSync(envFile, "KUBE_HA_ETCD_NAME=from-file\nKUBE_HA_ETCD_PEER_URL=http://not-https\n");
    const r = run(["join"], { KUBE_HA_PKI_DIR: pki, KUBE_HA_ETCDCTL: "true", KUBE_HA_ETCD_ENV_FILE: envFile, KUBE_HA_ETCD_NAME: "from-env" });
    expect(r.code).toBe(MEMBERSHIP_EXIT.usage);
    expect(r.stderr).toContain("KUBE_HA_ETCD_PEER_URL must be https://ADDRESS:PORT, got 'http://not-https'");
  });
});

/**
 * A stand-in etcdctl that answers from canned files, so the script's reading
 * of etcdctl's output is tested without etcd: `member list` prints
 * $FAKE_ETCDCTL_DIR/member-list (then `added`, the member `member add`
 * wrote), `endpoint status -w fields` prints status-<port> for the endpoint
 * asked, any other endpoint-status format is an error (the script must not
 * depend on columns), health is fine unless down-<port> exists. It accepts
 * every membership change, as no strict-reconfig-check would: a refusal seen
 * in a test is the script's own — unless refuse-remove exists, whose text
 * `member remove` prints as etcd's error. With FAKE_ETCDCTL_CALLS set, every call's
 * arguments are appended there.
 */
const FAKE_ETCDCTL = `#!/usr/bin/env bash
ep="" prev="" name="" peer=""
for a in "$@"; do
  case $a in --endpoints=*) ep=\${a#*=} ;; --peer-urls=*) peer=\${a#*=} ;; esac
  [ "$prev" != add ] || name=$a
  prev=$a
done
[ -z "\${FAKE_ETCDCTL_CALLS:-}" ] || echo "$*" >>"$FAKE_ETCDCTL_CALLS"
case " $* " in
  *" member list -w simple "*) cat "$FAKE_ETCDCTL_DIR/member-list"; if [ -r "$FAKE_ETCDCTL_DIR/added" ]; then cat "$FAKE_ETCDCTL_DIR/added"; fi ;;
  *" endpoint status -w fields "*)
    f="$FAKE_ETCDCTL_DIR/status-\${ep##*:}"
    if [ -r "$f" ]; then cat "$f"; else echo "Error: context deadline exceeded" >&2; exit 1; fi ;;
  *" endpoint status "*) echo "Error: this fake etcdctl answers endpoint status only with -w fields" >&2; exit 1 ;;
  *" endpoint health "*)
    if [ -e "$FAKE_ETCDCTL_DIR/down-\${ep##*:}" ]; then echo "Error: unhealthy cluster" >&2; exit 1; fi
    echo "$ep is healthy: successfully committed proposal" ;;
  *" alarm list "*) ;;
  *" member add "*)
    learner=false
    case " $* " in *" --learner "*) learner=true ;; esac
    echo "8e9e05c52164694d, unstarted, , $peer, , $learner" >"$FAKE_ETCDCTL_DIR/added"
    printf 'Member 8e9e05c52164694d added to cluster 1\\n\\nETCD_NAME="%s"\\nETCD_INITIAL_CLUSTER="%s"\\nETCD_INITIAL_CLUSTER_STATE="existing"\\n' \\
      "$name" "$(cat "$FAKE_ETCDCTL_DIR/initial-cluster"),$name=$peer" ;;
  *" member promote "*) echo "Member \${*: -1} promoted in cluster 1" ;;
  *" member remove "*)
    if [ -r "$FAKE_ETCDCTL_DIR/refuse-remove" ]; then cat "$FAKE_ETCDCTL_DIR/refuse-remove" >&2; exit 1; fi
    echo "Member \${*: -1} removed from cluster 1" ;;
  *) echo "Error: the fake etcdctl does not know: $*" >&2; exit 1 ;;
esac
`;

/** etcdctl 3.4's `endpoint status -w fields` for one endpoint (the layout etcd 3.5 keeps). */
function fields34(o: { member: string; leader: string; db: number; index: number; applied: number; port: number }): string {
  return [
    `"ClusterID" : 15102930681064869166`,
    `"MemberID" : ${o.member}`,
    `"Revision" : 7`,
    `"RaftTerm" : 2`,
    `"Version" : "3.4.23"`,
    `"DBSize" : ${o.db}`,
    `"Leader" : ${o.leader}`,
    `"IsLearner" : false`,
    `"RaftIndex" : ${o.index}`,
    `"RaftTerm" : 2`,
    `"RaftAppliedIndex" : ${o.applied}`,
    `"Errors" : []`,
    `"Endpoint" : "https://127.0.0.1:${o.port}"`,
    "",
    "",
  ].join("\n");
}

describe("the membership script reads etcdctl's endpoint status by field name, not by column", () => {
  const servers: Server[] = [];
  const ports: number[] = [];
  const fake = join(dir, "fake-etcdctl");
  const answers = join(dir, "fake-answers");
  const pki = join(dir, "fake-pki");
  const LEADER = "3718482268116891318";
  const FOLLOWER = "11400393045366497617";

  beforeAll(async () => {
    // reachable() opens a TCP connection to each client URL first: listen on loopback.
    for (let i = 0; i < 3; i++) {
      const server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
    writeFileSync(fake, FAKE_ETCDCTL, { mode: 0o755 });
    mkdirSync(answers, { recursive: true });
    mkdirSync(join(pki, "etcd"), { recursive: true });
    for (const f of ["ca.crt", "server.crt", "server.key"]) writeFileSync(join(pki, "etcd", f), "x");
    const ids = ["339ab3ebe6b236b6", "9e3c3bd2a4d9e7d1", "5a1d0c8e4f3b2a19"];
    writeFileSync(
      join(answers, "member-list"),
      ["m1", "m2", "m3"].map((n, i) => `${ids[i]}, started, ${n}, https://127.0.0.${11 + i}:2380, https://127.0.0.1:${ports[i]}, false`).join("\n") + "\n",
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  const status = () =>
    run(["status"], {
      KUBE_HA_ETCDCTL: fake,
      FAKE_ETCDCTL_DIR: answers,
      KUBE_HA_PKI_DIR: pki,
      ETCD_ENDPOINTS: ports.map((p) => `https://127.0.0.1:${p}`).join(","),
      KUBE_HA_ETCD_TIMEOUT: "5",
      KUBE_HA_ETCD_DIAL_TIMEOUT: "1",
    });

  it("finds the leader, DB size and raft index in etcd 3.4's layout and in a reordered layout with extra fields", () => {
    writeFileSync(join(answers, `status-${ports[0]}`), fields34({ member: LEADER, leader: LEADER, db: 20480, index: 42, applied: 42, port: ports[0]! }));
    // A later release may add fields (DBSizeInUse, StorageVersion, …) and move them: only the names count.
    const reordered = fields34({ member: FOLLOWER, leader: LEADER, db: 1_310_720, index: 41, applied: 40, port: ports[1]! })
      .split("\n")
      .filter((l) => l !== "")
      .reverse();
    writeFileSync(join(answers, `status-${ports[1]}`), [`"StorageVersion" : "3.6.0"`, `"DBSizeInUse" : 16384`, ...reordered, ""].join("\n"));
    writeFileSync(join(answers, `status-${ports[2]}`), fields34({ member: "42", leader: LEADER, db: 999, index: 43, applied: 43, port: ports[2]! }));
    const r = status();
    expect(r.code, r.stderr).toBe(MEMBERSHIP_EXIT.ok);
    expect(r.stdout).toMatch(new RegExp(`^m1\\s+voter\\s+yes\\s+yes\\s+20 kB\\s+42\\s+https://127.0.0.1:${ports[0]}$`, "m"));
    expect(r.stdout).toMatch(new RegExp(`^m2\\s+voter\\s+yes\\s+-\\s+1.3 MB\\s+41\\s+https://127.0.0.1:${ports[1]}$`, "m"));
    expect(r.stdout).toMatch(/^m3\s+voter\s+yes\s+-\s+999 B\s+43\s/m);
    expect(r.stdout).toContain("3 voting members, 3 healthy; quorum 2; tolerates 1 more failure(s)");
  });

  it("treats an endpoint status it cannot read as a member that did not answer, never as the leader", () => {
    writeFileSync(join(answers, `status-${ports[0]}`), `"Version" : "3.4.23"\n"Endpoint" : "https://127.0.0.1:${ports[0]}"\n`);
    writeFileSync(join(answers, `status-${ports[1]}`), fields34({ member: FOLLOWER, leader: FOLLOWER, db: 4096, index: 9, applied: 9, port: ports[1]! }));
    rmSync(join(answers, `status-${ports[2]}`), { force: true });
    const r = status();
    expect(r.code).toBe(MEMBERSHIP_EXIT.unavailable);
    expect(r.stdout).toMatch(/^m1\s+voter\s+no\s+-\s+-\s+-\s/m);
    expect(r.stdout).toMatch(/^m2\s+voter\s+yes\s+yes\s+4.1 kB\s+9\s/m);
    expect(r.stdout).toMatch(/^m3\s+voter\s+no\s+-\s/m);
    expect(r.stdout).toContain("3 voting members, 1 healthy; quorum 2; tolerates 0 more failure(s)");
  });
});

describe("the membership script's own safety: join adds a learner, remove checks quorum itself", () => {
  const servers: Server[] = [];
  const ports: number[] = [];
  const fake = join(dir, "fake-etcdctl-membership");
  const answers = join(dir, "membership-answers");
  const pki = join(dir, "membership-pki");
  const config = join(dir, "membership-config");
  const calls = join(dir, "membership-calls");
  const ids = ["339ab3ebe6b236b6", "9e3c3bd2a4d9e7d1", "5a1d0c8e4f3b2a19"];
  const LEADER = "3718482268116891318";
  const url = (i: number) => `https://127.0.0.1:${ports[i]}`;

  beforeAll(async () => {
    // Three members and a joiner, each a loopback listener (the script dials a member before asking etcdctl).
    for (let i = 0; i < 4; i++) {
      const server = createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.push(server);
      ports.push((server.address() as AddressInfo).port);
    }
    writeFileSync(fake, FAKE_ETCDCTL, { mode: 0o755 });
    mkdirSync(answers, { recursive: true });
    mkdirSync(join(pki, "etcd"), { recursive: true });
    mkdirSync(config, { recursive: true });
    for (const f of ["ca.crt", "server.crt", "server.key"]) writeFileSync(join(pki, "etcd", f), "x");
    writeFileSync(join(config, "config.yaml"), "name: m4\n");
    writeFileSync(
      join(answers, "member-list"),
      ["m1", "m2", "m3"].map((n, i) => `${ids[i]}, started, ${n}, https://127.0.0.${11 + i}:2380, ${url(i)}, false`).join("\n") + "\n",
    );
    writeFileSync(join(answers, "initial-cluster"), ["m1", "m2", "m3"].map((n, i) => `${n}=https://127.0.0.${11 + i}:2380`).join(","));
    for (let i = 0; i < 4; i++) {
      const member = i === 0 ? LEADER : String(1000 + i);
      writeFileSync(join(answers, `status-${ports[i]}`), fields34({ member, leader: LEADER, db: 20480, index: 42, applied: 42, port: ports[i]! }));
    }
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });

  const fresh = () => {
    rmSync(calls, { force: true });
    rmSync(join(answers, "added"), { force: true });
    rmSync(join(answers, "refuse-remove"), { force: true });
    for (const p of ports) rmSync(join(answers, `down-${p}`), { force: true });
  };
  const etcdctlCalls = () => (existsSync(calls) ? readFileSync(calls, "utf8") : "").split("\n").filter((l) => l.length > 0);
  const env = (extra: Record<string, string>) => ({
    KUBE_HA_ETCDCTL: fake,
    FAKE_ETCDCTL_DIR: answers,
    FAKE_ETCDCTL_CALLS: calls,
    KUBE_HA_PKI_DIR: pki,
    ETCD_ENDPOINTS: [0, 1, 2].map(url).join(","),
    KUBE_HA_ETCD_TIMEOUT: "5",
    KUBE_HA_ETCD_DIAL_TIMEOUT: "1",
    ...extra,
  });

  it("join adds the new member with member add --learner, starts it, and only then promotes it", () => {
    fresh();
    const r = run(["join"], env({
      KUBE_HA_ETCD_NAME: "m4",
      KUBE_HA_ETCD_PEER_URL: "https://127.0.0.14:2380",
      KUBE_HA_ETCD_CLIENT_URL: url(3),
      KUBE_HA_ETCD_CONFIG_DIR: config,
      KUBE_HA_ETCD_DATA_DIR: join(dir, "membership-data"),
      KUBE_HA_ETCD_START: `echo "start $KUBE_HA_ETCD_NAME" >>'${calls}'`,
    }));
    expect(r.code, r.stderr).toBe(MEMBERSHIP_EXIT.ok);
    const changes = etcdctlCalls().filter((c) => /member (add|promote|remove)|^start /.test(c)).map((c) => c.replace(/^.* member /, "member "));
    expect(changes).toEqual([
      "member add m4 --learner --peer-urls=https://127.0.0.14:2380",
      "start m4",
      "member promote 8e9e05c52164694d",
    ]);
    expect(readFileSync(join(config, "initial-cluster.yaml"), "utf8")).toContain("initial-cluster-state: 'existing'");
  });

  it("remove refuses (exit 2, its own message, no member remove) when the healthy voters left would be below quorum", () => {
    fresh();
    writeFileSync(join(answers, `down-${ports[2]}`), "");
    const r = run(["remove", "m2"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(r.code, r.stderr).toBe(MEMBERSHIP_EXIT.refused);
    expect(r.stderr).toContain("removing m2 would leave 1 healthy of 2 voting members, below quorum 2: repair or replace the unhealthy members first");
    expect(etcdctlCalls().some((c) => c.includes("member remove"))).toBe(false);
  });

  it("remove goes ahead through the same stand-in when every voter is healthy (so the refusal above is the script's own)", () => {
    fresh();
    const r = run(["remove", "m2"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(r.code, r.stderr).toBe(MEMBERSHIP_EXIT.ok);
    expect(r.stderr).toContain("removing voting member m2: 2 healthy voters remain of 2 (quorum 2)");
    const removes = etcdctlCalls().filter((c) => c.includes("member remove"));
    expect(removes).toHaveLength(1);
    expect(removes[0]).toMatch(new RegExp(`--endpoints=${url(0)},${url(2)} .*member remove ${ids[1]}$`));
  });

  it("remove reports etcd's own quorum refusal (strict reconfig check) as refused, exit 2, after a few re-checks — not unavailable after the timeout", () => {
    fresh();
    writeFileSync(join(answers, "refuse-remove"), "Error: etcdserver: unhealthy cluster\n");
    const r = run(["remove", "m2"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0), KUBE_HA_ETCD_TIMEOUT: "60", KUBE_HA_ETCD_BACKOFF_MAX: "1" }));
    expect(r.code, r.stderr).toBe(MEMBERSHIP_EXIT.refused);
    expect(r.stderr).toContain("etcd refused to remove m2: etcdserver: unhealthy cluster");
    expect(r.stderr).not.toContain("gave up after");
    // It looked again (a fresh member list and quorum check) before giving up, four times in all.
    expect(etcdctlCalls().filter((c) => c.includes("member remove")).length).toBe(4);
    expect(etcdctlCalls().filter((c) => c.includes("member list")).length).toBeGreaterThan(1);
  });

  it("remove NAME never calls a member without a name (a crashed join) 'already removed': it refuses, naming its peer URL, until --peer-url picks it", () => {
    fresh();
    writeFileSync(join(answers, "added"), "8e9e05c52164694d, unstarted, , https://127.0.0.14:2380, , true\n");
    const alone = run(["remove", "m4"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(alone.code, alone.stderr).toBe(MEMBERSHIP_EXIT.refused);
    expect(alone.stderr).not.toContain("already removed");
    expect(alone.stderr).toContain("m4 not found, but unstarted members have no name yet: https://127.0.0.14:2380; if one is m4's, add --peer-url URL");
    expect(alone.stderr).toContain("https://127.0.0.14:2380");
    expect(etcdctlCalls().some((c) => c.includes("member remove"))).toBe(false);

    const byUrl = run(["remove", "m4", "--peer-url", "https://127.0.0.14:2380"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(byUrl.code, byUrl.stderr).toBe(MEMBERSHIP_EXIT.ok);
    expect(etcdctlCalls().filter((c) => c.includes("member remove"))[0]).toMatch(/member remove 8e9e05c52164694d$/);
  });

  it("remove NAME --peer-url URL matches by name first, by URL only a member without a name: another member's URL removes nothing", () => {
    fresh();
    const other = run(["remove", "m4", "--peer-url", "https://127.0.0.12:2380"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(other.code, other.stderr).toBe(MEMBERSHIP_EXIT.ok);
    expect(other.stderr).toContain("member m4 is not in the cluster (already removed)");
    expect(etcdctlCalls().some((c) => c.includes("member remove"))).toBe(false);
    writeFileSync(join(answers, "added"), "8e9e05c52164694d, unstarted, , https://127.0.0.14:2380, , true\n");
    const byName = run(["remove", "m3", "--peer-url", "https://127.0.0.14:2380"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(byName.code, byName.stderr).toBe(MEMBERSHIP_EXIT.ok);
    expect(etcdctlCalls().filter((c) => c.includes("member remove"))).toEqual([expect.stringMatching(new RegExp(`member remove ${ids[2]}$`))]);
    // A name already gone, with nothing unnamed left, is still success.
    rmSync(join(answers, "added"), { force: true });
    expect(run(["remove", "m9"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) })).stderr).toContain("member m9 is not in the cluster (already removed)");
  });

  it("status exits 3 and says joins are blocked while a learner is pending, named or not", () => {
    fresh();
    writeFileSync(join(answers, "added"), "8e9e05c52164694d, unstarted, , https://127.0.0.14:2380, , true\n");
    const unnamed = run(["status"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(unnamed.code).toBe(MEMBERSHIP_EXIT.unavailable);
    expect(unnamed.stdout).toContain("JOINS BLOCKED by (unstarted https://127.0.0.14:2380): re-run join there, or remove --peer-url https://127.0.0.14:2380");
    writeFileSync(join(answers, "added"), `8e9e05c52164694d, started, m4, https://127.0.0.14:2380, ${url(3)}, true\n`);
    const named = run(["status"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(named.code).toBe(MEMBERSHIP_EXIT.unavailable);
    expect(named.stdout).toContain("JOINS BLOCKED by m4: re-run join there, or remove --peer-url https://127.0.0.14:2380");
    rmSync(join(answers, "added"), { force: true });
    const clear = run(["status"], env({ KUBE_HA_ETCD_CLIENT_URL: url(0) }));
    expect(clear.code, clear.stdout + clear.stderr).toBe(MEMBERSHIP_EXIT.ok);
    expect(clear.stdout).not.toContain("JOINS BLOCKED");
  });
});
