/**
 * A small switched network made of network namespaces, for real-binary
 * tests of things that need several hosts on one L2 segment (VRRP, ARP,
 * load balancers): a Linux bridge in a namespace of its own, and one
 * namespace per host joined to it by a veth pair (`eth0` in the host, `p<i>`
 * on the bridge). Nothing is created in the machine's own namespace, so the
 * host's network never sees it; the subnet is a random 10.x.y.0/24 per run
 * and the namespace names carry the process id, so two runs of the suite
 * never collide. Needs root or password-less sudo (test/support/netns.ts).
 *
 * Cleanup: destroy() kills every process this network started and everything
 * still running in its namespaces, then deletes them; it also runs when the
 * process exits or is interrupted, so a failing or aborted test leaves
 * nothing behind.
 */
import { type ChildProcess, type SpawnOptions, execFileSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { type Netns, createNetns } from "./netns";

export interface TestHost {
  name: string;
  /** The host's address on the test subnet (on its `eth0`). */
  address: string;
  ns: Netns;
  /** The host's port on the bridge (in the bridge's namespace). */
  bridgePort: string;
}

export interface TestNetwork {
  /** e.g. 10.37.201.0 */
  subnetBase: string;
  prefix: 24;
  /** `10.x.y.<n>` on this network's subnet. */
  address(n: number): string;
  hosts: Record<string, TestHost>;
  host(name: string): TestHost;
  /** Starts a long-running process in a host's namespace, in its own process group; destroy() kills it. */
  spawn(host: string, file: string, args: string[], opts?: SpawnOptions): ChildProcess;
  /** Runs a command in a host's namespace synchronously (bounded by timeoutMs); throws on failure. */
  run(host: string, file: string, args: string[], timeoutMs?: number): string;
  /** Unplugs / plugs a host's cable: its bridge port goes down / up (the host sees no carrier). */
  linkDown(host: string): void;
  linkUp(host: string): void;
  destroy(): void;
}

export interface TestNetworkOptions {
  /** Host names, each becoming a namespace with address `.firstHost + index`. */
  hosts: string[];
  /** Default 11. */
  firstHost?: number;
  /**
   * The subnet, `10.x.y.0` (/24); default a random one. Two networks may
   * share one: they never touch (a bench runs two configurations side by
   * side on the same addresses).
   */
  subnetBase?: string;
}

const live = new Set<TestNetwork>();
let hooked = false;

/** Destroys every live test network when the process ends, however it ends. */
function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const destroyAll = () => {
    for (const n of [...live]) n.destroy();
  };
  process.once("exit", destroyAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      destroyAll();
      process.exit(128 + (signal === "SIGINT" ? 2 : signal === "SIGTERM" ? 15 : 1));
    });
  }
}

function ipPrefix(): string[] {
  return process.getuid?.() === 0 ? [] : ["sudo", "-n"];
}

export function createTestNetwork(opts: TestNetworkOptions): TestNetwork {
  if (opts.hosts.length === 0 || opts.hosts.length > 20) throw new Error("a test network has 1–20 hosts");
  if (new Set(opts.hosts).size !== opts.hosts.length) throw new Error("test network host names must be unique");
  hookExit();
  if (opts.subnetBase !== undefined && !/^10\.(\d{1,3})\.(\d{1,3})\.0$/.test(opts.subnetBase)) throw new Error(`subnetBase: wants 10.x.y.0, got ${opts.subnetBase}`);
  const base = opts.subnetBase?.replace(/\.0$/, "") ?? `10.${randomInt(0, 256)}.${randomInt(0, 256)}`;
  const first = opts.firstHost ?? 11;
  const namespaces: Netns[] = [];
  const processes: ChildProcess[] = [];
  const hosts: Record<string, TestHost> = {};
  const sudo = ipPrefix();
  const runIn = (ns: Netns, file: string, args: string[], timeoutMs = 10_000): string => {
    const [cmd, ...rest] = [...sudo, "ip", "netns", "exec", ns.name, file, ...args] as [string, ...string[]];
    return execFileSync(cmd, rest, { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs, encoding: "utf8" });
  };

  let destroyed = false;
  const network: TestNetwork = {
    subnetBase: `${base}.0`,
    prefix: 24,
    address: (n) => {
      if (!Number.isInteger(n) || n < 1 || n > 254) throw new Error(`no host ${n} on a /24`);
      return `${base}.${n}`;
    },
    hosts,
    host(name) {
      const h = hosts[name];
      if (!h) throw new Error(`no host ${name} on this test network`);
      return h;
    },
    spawn(host, file, args, spawnOpts = {}) {
      const child = network.host(host).ns.spawn(file, args, { detached: true, ...spawnOpts });
      processes.push(child);
      return child;
    },
    run(host, file, args, timeoutMs) {
      return runIn(network.host(host).ns, file, args, timeoutMs);
    },
    linkDown(host) {
      bridge.ip("link", "set", network.host(host).bridgePort, "down");
    },
    linkUp(host) {
      bridge.ip("link", "set", network.host(host).bridgePort, "up");
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      live.delete(network);
      for (const p of processes) {
        if (p.pid === undefined || p.exitCode !== null || p.signalCode !== null) continue;
        try {
          process.kill(-p.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      // Each namespace's destroy also kills whatever still runs inside it.
      for (const ns of namespaces.reverse()) ns.destroy();
    },
  };
  live.add(network);

  const bridge = createNetns("khbr");
  namespaces.push(bridge);
  try {
    bridge.ip("link", "add", "br0", "type", "bridge", "stp_state", "0", "forward_delay", "0");
    bridge.ip("link", "set", "br0", "up");
    opts.hosts.forEach((name, i) => {
      const ns = createNetns(`kh${i}`);
      namespaces.push(ns);
      const port = `p${i}`;
      const address = `${base}.${first + i}`;
      // The veth is made inside the bridge's namespace, its far end moved straight into the host's: no name ever exists on the machine itself.
      bridge.ip("link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", ns.name);
      bridge.ip("link", "set", port, "master", "br0");
      bridge.ip("link", "set", port, "up");
      ns.ip("addr", "add", `${address}/24`, "dev", "eth0");
      ns.ip("link", "set", "eth0", "up");
      hosts[name] = { name, address, ns, bridgePort: port };
    });
  } catch (e) {
    network.destroy();
    throw e;
  }
  return network;
}

/**
 * Polls `probe` every `everyMs` until it returns a value other than
 * undefined, at most `timeoutMs` (and so a bounded number of times).
 * Returns the value and the milliseconds it took; throws `what` on timeout.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number, everyMs = 50): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const maxRounds = Math.ceil(timeoutMs / everyMs) + 1;
  for (let round = 0; round < maxRounds && Date.now() - started <= timeoutMs; round++) {
    const value = await probe();
    if (value !== undefined) return { value, ms: Date.now() - started };
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
