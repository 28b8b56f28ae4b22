import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJoinWaitScript } from "../../components/membership/join-wait-script";
import { type Netns, createNetns } from "../support/netns";

/**
 * The join-wait script (run on the machine running `pulumi up`) against real
 * endpoints in a network namespace of this test's own, with real curl and a
 * stub kubectl that never gets an answer: patient while something answers on
 * the endpoint (a booting master refuses connections), quick to fail — and
 * saying why — when every connection attempt vanishes (a firewall dropping
 * this machine) or the endpoint's name does not resolve.
 *
 * In the namespace: 192.0.2.50 is reached over a veth with nothing behind it,
 * so every packet to it is dropped (a silent endpoint); 127.0.0.1:1 refuses; 127.0.0.2:6443
 * accepts and hangs up.
 */

const ALLOWED = ["203.0.113.0/24", "198.51.100.0/24"];
const SILENT = "https://192.0.2.50:6443";
const REFUSING = "https://127.0.0.1:1";
const ANSWERING = "https://127.0.0.2:6443";
const UNRESOLVED = "https://kube-ha-join-wait-test.invalid:6443";

let ns: Netns;
let dir: string;
let answering: ChildProcess | undefined;

const kubeconfig = (server: string) =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: ${server}\n    certificate-authority-data: Q0E=\n`;

beforeAll(async () => {
  ns = createNetns("khjw");
  // 192.0.2.50 sits behind a veth whose far end has no such host: frames to its
  // (static, made-up) MAC address are dropped, so connections time out.
  ns.ip("link", "add", "drop0", "type", "veth", "peer", "name", "drop1");
  ns.ip("addr", "add", "192.0.2.1/24", "dev", "drop0");
  ns.ip("link", "set", "drop0", "up");
  ns.ip("link", "set", "drop1", "up");
  ns.ip("neigh", "add", "192.0.2.50", "lladdr", "02:00:00:00:00:50", "dev", "drop0", "nud", "permanent");
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-join-wait-"));
  const bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  // kubectl never reaches an apiserver; sleep is short so bounded rounds pass quickly.
  fs.writeFileSync(
    path.join(bin, "kubectl"),
    `#!/bin/bash\necho "kubectl $*" >>"${dir}/kubectl.log"\necho "Unable to connect to the server: dial tcp: i/o timeout" >&2\nexit 1\n`,
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(bin, "sleep"), `#!/bin/bash\n/bin/sleep 0.2\n`, { mode: 0o755 });
  answering = ns.spawn(process.execPath, ["-e", "require('net').createServer((s) => s.destroy()).listen(6443, '127.0.0.2', () => console.log('up'))"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("the answering server did not start")), 10_000);
    answering!.stdout!.once("data", () => {
      clearTimeout(t);
      resolve();
    });
  });
  for (const tool of ["curl", "bash"]) {
    const r = await ns.exec("bash", ["-c", `command -v ${tool}`]);
    if (r.code !== 0) throw new Error(`${tool} is missing: the join-wait test needs it`);
  }
});

afterAll(() => {
  answering?.kill("SIGKILL");
  ns?.destroy();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function waitFor(server: string, opts: { rounds: number; runnerAddress: string; unreachableSeconds?: number; scheme?: "external" | "internal" }) {
  const script = renderJoinWaitScript({
    replica: "master-c",
    nodeName: "master-c",
    rounds: opts.rounds,
    allowedCidrs: ALLOWED,
    scheme: opts.scheme ?? "external",
    ...(opts.unreachableSeconds ? { unreachableSeconds: opts.unreachableSeconds } : {}),
  });
  fs.rmSync(path.join(dir, "kubectl.log"), { force: true });
  const r = await ns.exec("/bin/bash", ["-c", script], {
    env: {
      PATH: `${dir}/bin:/usr/bin:/bin`,
      KUBE_HA_ADMIN_KUBECONFIG: kubeconfig(server),
      KUBE_HA_RUNNER_ADDRESS: opts.runnerAddress,
    },
    timeoutMs: 90_000,
  });
  const log = fs.existsSync(path.join(dir, "kubectl.log")) ? fs.readFileSync(path.join(dir, "kubectl.log"), "utf8") : "";
  return { ...r, polls: log.split("\n").filter((l) => l.includes(" get pod ")).length };
}

describe("the join wait, against real endpoints in a network namespace", () => {
  it("fails at the first silent poll, naming this machine's address, when that address is not in apiServerAllowedCidrs", async () => {
    const r = await waitFor(SILENT, { rounds: 50, runnerAddress: "198.18.0.7" });
    expect(r.code).toBe(1);
    expect(r.polls).toBe(1);
    expect(r.stderr).toContain("this machine's address 198.18.0.7 is not in apiServerAllowedCidrs (203.0.113.0/24 198.51.100.0/24)");
    expect(r.stderr).toContain("Add 198.18.0.7/32");
    expect(r.stderr).toContain("KUBE_HA_SKIP_JOIN_WAIT=true");
    expect(r.ms).toBeLessThan(30_000);
  });

  it("keeps waiting through silence when this machine's address is allowed (the master may be booting)", async () => {
    const r = await waitFor(SILENT, { rounds: 2, runnerAddress: "198.51.100.23", unreachableSeconds: 1 });
    expect(r.code).toBe(1);
    expect(r.polls).toBe(2);
    expect(r.stderr).not.toContain("cannot reach");
    expect(r.stderr).toContain("has not joined");
  });

  it("gives up after the silent window when it cannot tell this machine's address (or the LB is internal)", async () => {
    for (const opts of [{ runnerAddress: "unknown" }, { runnerAddress: "203.0.113.9", scheme: "internal" as const }]) {
      const r = await waitFor(SILENT, { rounds: 50, unreachableSeconds: 4, ...opts });
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain("no connection to it got through for 4 s (every attempt silent)");
      expect(r.polls).toBeLessThan(5);
    }
  });

  it("is patient while the endpoint refuses or accepts connections, however long, until its bounded polls run out", async () => {
    for (const server of [REFUSING, ANSWERING]) {
      const r = await waitFor(server, { rounds: 4, runnerAddress: "198.18.0.7", unreachableSeconds: 1 });
      expect(r.code, server).toBe(1);
      expect(r.polls, server).toBe(4);
      expect(r.stderr, server).not.toContain("cannot reach");
      expect(r.stderr, server).toContain("master-c has not joined: kube-apiserver-master-c is not Ready after 4 polls");
    }
  });

  it("says the endpoint's name does not resolve, after the window", async () => {
    const r = await waitFor(UNRESOLVED, { rounds: 200, runnerAddress: "203.0.113.9", unreachableSeconds: 2 });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("its name does not resolve here (for 2 s)");
    expect(r.stderr).toContain("loadBalancerAddress");
  });
});
