import { execFileSync } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { type TestNetwork, createTestNetwork, waitFor } from "../support/test-network";

/**
 * The namespace test network (test/support/test-network.ts) the on-premises
 * load-balancer tests run in: hosts on one bridge reach each other, the
 * machine's own namespace never sees the subnet or the interfaces, a cable can be pulled, and destroy() leaves no namespace.
 */

const networks: TestNetwork[] = [];
afterAll(() => networks.forEach((n) => n.destroy()));

function netnsList(): string {
  return execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
}

/** A TCP server on port 7 of `host` that accepts and hangs up, for reachability probes. */
function listen(net: TestNetwork, host: string): void {
  const server = net.spawn(host, process.execPath, ["-e", `require("net").createServer((s) => s.end()).listen(7, "${net.host(host).address}", () => console.log("up"))`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Bounded: the server prints "up" at once or the first probe fails the test.
  server.stdout!.once("data", () => undefined);
}

/** Milliseconds one TCP connect from `from` to `to`:7 took (one round trip); undefined when it did not connect within 1 s. */
function connectMs(net: TestNetwork, from: string, to: string): number | undefined {
  const script = `const t = process.hrtime.bigint(); const s = require("net").connect(7, "${net.host(to).address}");
s.setTimeout(1000, () => process.exit(1)); s.on("error", () => process.exit(1));
s.on("connect", () => { console.log(Number(process.hrtime.bigint() - t) / 1e6); process.exit(0); });`;
  try {
    return Number(net.run(from, process.execPath, ["-e", script], 5000));
  } catch {
    return undefined;
  }
}

async function connected(net: TestNetwork, from: string, to: string): Promise<number> {
  const r = await waitFor(`${from} to reach ${to}`, () => connectMs(net, from, to), 5000, 100);
  return r.value;
}

describe("the namespace test network", () => {
  it("joins the hosts on one private subnet that the machine itself never sees, and cleans up", async () => {
    const net = createTestNetwork({ hosts: ["a", "b", "c"] });
    networks.push(net);
    expect(net.host("a").address).toMatch(/^10\.\d+\.\d+\.11$/);
    listen(net, "b");
    listen(net, "c");
    // connected() fails the test when no connection gets through within 5 s.
    await connected(net, "a", "c");
    await connected(net, "c", "b");
    expect(execFileSync("ip", ["-o", "addr"], { encoding: "utf8" })).not.toContain(`${net.host("a").address}/`);
    const names = Object.values(net.hosts).map((h) => h.ns.name);
    expect(netnsList()).toContain(names[0]);
    net.destroy();
    for (const name of names) expect(netnsList()).not.toContain(name);
  });

  it("unplugs a host's cable and plugs it back", async () => {
    const net = createTestNetwork({ hosts: ["a", "b"] });
    networks.push(net);
    listen(net, "b");
    await connected(net, "a", "b");
    net.linkDown("b");
    expect(connectMs(net, "a", "b")).toBeUndefined();
    net.linkUp("b");
    await connected(net, "a", "b");
    net.destroy();
  });

});
