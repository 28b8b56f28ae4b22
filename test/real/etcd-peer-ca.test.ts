import { readFileSync } from "node:fs";
import { request } from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MEMBERSHIP_EXIT } from "../../components/render/membership-script";
import { cleanup, joinMember, member, membersSeen, runScript, startCluster, startWriter, verifyAllAcknowledged, type TestCluster } from "../support/etcd-cluster";

/**
 * etcd's peer port (2380) trusts only the etcd peer CA (issue 9, item 10):
 * the apiserver's etcd client certificate — signed by the etcd CA, which
 * the client port trusts — is refused there, while members (whose peer
 * certificates the peer CA signs) still found the cluster, join it as
 * learners and replicate writes.
 */

// Members on 127.0.0.131-134.
let cluster: TestCluster;

beforeAll(async () => {
  cluster = await startCluster({ firstHost: 131, size: 4, founders: 3 });
}, 120_000);
afterAll(async () => {
  await cleanup(cluster);
});

interface Credentials {
  cert: string;
  key: string;
}

/**
 * GET `path` on `url` presenting `creds` as the TLS client certificate. The
 * server's certificate is not checked (the question is only whether the
 * server accepts the client), so the only way to fail is to be refused.
 */
function get(url: string, path: string, creds: Credentials): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, url),
      { cert: readFileSync(creds.cert), key: readFileSync(creds.key), rejectUnauthorized: false, timeout: 5000 },
      (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", reject);
    req.end();
  });
}

describe("the etcd peer port", () => {
  it("refuses the apiserver's etcd client certificate, which the client port accepts", async () => {
    const m1 = member(cluster, "m1");
    const apiserver = cluster.pki.etcdClient;
    // The same certificate is a valid client on 2379 (what the apiserver uses it for)...
    const client = await get(m1.clientUrl, "/version", apiserver);
    expect(client.status).toBe(200);
    expect(client.body).toContain("etcdserver");
    // ...and refused in the TLS handshake on 2380.
    await expect(get(m1.peerUrl, "/members", apiserver)).rejects.toThrow(/certificate|socket hang up|ECONNRESET|alert/i);
  });

  it("serves a member's peer certificate on the same peer endpoint (so the refusal above is the CA, not the request)", async () => {
    const m2 = cluster.pki.members["m2"]!;
    const r = await get(member(cluster, "m1").peerUrl, "/members", { cert: m2.peerCert, key: m2.peerKey });
    expect(r.status).toBe(200);
    expect(r.body).toContain(member(cluster, "m2").peerUrl);
  });

  it("still lets peers work: a member joins as a learner, is promoted and replicates every acknowledged write", async () => {
    const writer = startWriter(cluster, "/test/peer-ca");
    try {
      const joined = await joinMember(cluster, "m4");
      expect(joined.code, joined.stderr).toBe(0);
      expect((await membersSeen(cluster)).filter((m) => !m.isLearner).map((m) => m.name).sort()).toEqual(["m1", "m2", "m3", "m4"]);
      const status = await runScript(cluster, "m4", ["status"]);
      expect(status.code, status.stdout + status.stderr).toBe(MEMBERSHIP_EXIT.ok);
    } finally {
      const report = await writer.stop();
      const check = await verifyAllAcknowledged(cluster, report);
      expect(check.lost).toBe(0);
      expect(check.checked).toBeGreaterThan(0);
    }
  }, 120_000);
});
