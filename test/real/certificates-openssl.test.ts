/**
 * Real certificates minted from the cert specs: verified by openssl against
 * their CA, parsed back from the DER (node:crypto, `openssl x509 -text`) and
 * used in real TLS handshakes on loopback. Expected values are written out
 * here, not read back from the specs.
 */
import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RealPki, loopbackPlan, mintRealPki } from "../support/real-pki";

const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

let dir: string | undefined;
let minted: RealPki | undefined;
let setupError: unknown;

/** The minted PKI; a missing openssl (or any minting failure) fails each test rather than skipping it. */
function need(): RealPki {
  if (setupError !== undefined) throw setupError;
  if (!minted) throw new Error("the PKI was not minted");
  return minted;
}

function openssl(args: string[]): { ok: boolean; out: string } {
  try {
    return { ok: true, out: execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 }) };
  } catch (e) {
    const err = e as { code?: string; stdout?: string; stderr?: string };
    if (err.code === "ENOENT") throw new Error("openssl is not installed; these tests need it (apt-get install openssl)");
    return { ok: false, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

const cert = (path: string) => new X509Certificate(readFileSync(path));
const sans = (path: string) => (cert(path).subjectAltName ?? "").split(", ").filter(Boolean);
const days = (c: X509Certificate) => Math.round((Date.parse(c.validTo) - Date.parse(c.validFrom)) / 86_400_000);

beforeAll(async () => {
  try {
    dir = mkdtempSync(join(tmpdir(), "kube-ha-pki-"));
    const plan = loopbackPlan(3, { spec: { apiServerDnsName: "api.kube-ha.test" } });
    minted = await mintRealPki(dir, plan, { apiserverFor: "m1", lbAddress: "127.0.0.100", admin: true });
  } catch (e) {
    setupError = e;
  }
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("certificates minted from the cert specs", () => {
  it("needs the openssl CLI", () => {
    expect(openssl(["version"]).out).toMatch(/^OpenSSL 3\./);
  });

  it("pass openssl verify against their own CA, for the purpose they serve", () => {
    const pki = need();
    const etcdCa = pki.etcdCa.cert;
    const k8sCa = pki.kubernetesCa!.cert;
    for (const m of ["m1", "m2", "m3"]) {
      const { serverCert, peerCert } = pki.members[m]!;
      for (const purpose of ["sslserver", "sslclient"]) {
        for (const [c, ca] of [[serverCert, etcdCa], [peerCert, pki.etcdPeerCa.cert]] as const) {
          const r = openssl(["verify", "-CAfile", ca, "-purpose", purpose, c]);
          expect(r.ok, `${c} ${purpose}: ${r.out}`).toBe(true);
        }
      }
    }
    expect(openssl(["verify", "-CAfile", etcdCa, "-purpose", "sslclient", pki.etcdClient.cert]).ok).toBe(true);
    expect(openssl(["verify", "-CAfile", k8sCa, "-purpose", "sslserver", pki.apiserver!.cert]).ok).toBe(true);
    expect(openssl(["verify", "-CAfile", k8sCa, "-purpose", "sslclient", pki.admin!.cert]).ok).toBe(true);
  });

  it("fail openssl verify against the wrong CA or for a purpose they lack", () => {
    const pki = need();
    expect(openssl(["verify", "-CAfile", pki.kubernetesCa!.cert, pki.members.m1!.serverCert]).ok).toBe(false);
    expect(openssl(["verify", "-CAfile", pki.etcdCa.cert, pki.apiserver!.cert]).ok).toBe(false);
    expect(openssl(["verify", "-CAfile", pki.etcdCa.cert, "-purpose", "sslserver", pki.etcdClient.cert]).ok).toBe(false);
    expect(openssl(["verify", "-CAfile", pki.kubernetesCa!.cert, "-purpose", "sslclient", pki.apiserver!.cert]).ok).toBe(false);
    // Peers have a CA of their own: the apiserver's etcd client cert is no peer, a peer cert no etcd client.
    expect(openssl(["verify", "-CAfile", pki.etcdPeerCa.cert, "-purpose", "sslclient", pki.etcdClient.cert]).ok).toBe(false);
    expect(openssl(["verify", "-CAfile", pki.etcdCa.cert, "-purpose", "sslclient", pki.members.m1!.peerCert]).ok).toBe(false);
  });

  it("etcd server and peer certs name the member and its address, with serverAuth and clientAuth", () => {
    const pki = need();
    expect(sans(pki.members.m2!.serverCert)).toEqual(["DNS:m2", "DNS:localhost", "IP Address:127.0.0.12", "IP Address:127.0.0.1"]);
    expect(sans(pki.members.m3!.peerCert)).toEqual(["DNS:m3", "IP Address:127.0.0.13"]);
    for (const c of [pki.members.m2!.serverCert, pki.members.m3!.peerCert]) {
      expect(cert(c).keyUsage).toEqual([SERVER_AUTH, CLIENT_AUTH]);
      expect(cert(c).ca).toBe(false);
      expect(days(cert(c))).toBe(365);
    }
    expect(cert(pki.members.m2!.serverCert).subject).toBe("CN=m2");
  });

  it("the apiserver cert names the LB address and DNS name, the replica, the service IP and the kubernetes names", () => {
    const pki = need();
    const c = cert(pki.apiserver!.cert);
    expect(new Set(sans(pki.apiserver!.cert))).toEqual(
      new Set([
        "DNS:api.kube-ha.test",
        "DNS:m1",
        "DNS:kubernetes",
        "DNS:kubernetes.default",
        "DNS:kubernetes.default.svc",
        "DNS:kubernetes.default.svc.cluster.local",
        "DNS:localhost",
        "IP Address:127.0.0.100",
        "IP Address:127.0.0.11",
        "IP Address:10.96.0.1",
        "IP Address:127.0.0.1",
      ]),
    );
    expect(c.keyUsage).toEqual([SERVER_AUTH]);
    expect(c.subject).toBe("CN=kube-apiserver");
    expect(c.checkHost("kubernetes.default.svc.cluster.local")).toBe("kubernetes.default.svc.cluster.local");
    expect(c.checkIP("10.96.0.1")).toBe("10.96.0.1");
    expect(c.checkIP("127.0.0.12")).toBeUndefined();
  });

  it("client certs carry only clientAuth and kubeadm's subjects", () => {
    const pki = need();
    const etcdClient = cert(pki.etcdClient.cert);
    expect(etcdClient.subject).toBe("CN=kube-apiserver-etcd-client");
    expect(etcdClient.keyUsage).toEqual([CLIENT_AUTH]);
    expect(etcdClient.subjectAltName).toBeUndefined();
    const admin = cert(pki.admin!.cert);
    expect(admin.subject.split("\n").sort()).toEqual(["CN=kubernetes-admin", "O=kubeadm:cluster-admins"]);
    expect(admin.keyUsage).toEqual([CLIENT_AUTH]);
  });

  it("CAs are ten-year self-signed CAs with certificate and CRL signing (openssl x509 -text)", () => {
    const pki = need();
    for (const ca of [pki.etcdCa.cert, pki.etcdPeerCa.cert, pki.kubernetesCa!.cert]) {
      const c = cert(ca);
      expect(c.ca).toBe(true);
      expect(c.checkIssued(c)).toBe(true);
      expect(days(c)).toBe(3650);
      const text = openssl(["x509", "-in", ca, "-noout", "-text"]).out;
      expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
      expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Certificate Sign, CRL Sign/);
    }
    expect(cert(pki.etcdCa.cert).subject).toBe("CN=etcd-ca");
    expect(cert(pki.etcdPeerCa.cert).subject).toBe("CN=etcd-peer-ca");
    expect(cert(pki.kubernetesCa!.cert).subject).toBe("CN=kubernetes");
    const leaf = openssl(["x509", "-in", pki.members.m1!.peerCert, "-noout", "-text"]).out;
    expect(leaf).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/);
    expect(leaf).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
  });

  it("an etcd member's server cert completes mutual TLS on its own address with the apiserver's etcd client cert", async () => {
    const pki = need();
    const m2 = pki.members.m2!;
    const result = await handshake({
      host: "127.0.0.12",
      server: { cert: m2.serverCert, key: m2.serverKey, ca: pki.etcdCa.cert },
      client: { cert: pki.etcdClient.cert, key: pki.etcdClient.key, ca: pki.etcdCa.cert },
    });
    expect(result).toEqual({ clientAuthorized: true, serverSawClient: "kube-apiserver-etcd-client" });
  });

  it("a client that trusts the etcd CA rejects the apiserver cert", async () => {
    const pki = need();
    await expect(
      handshake({
        host: "127.0.0.1",
        server: { cert: pki.apiserver!.cert, key: pki.apiserver!.key, ca: pki.kubernetesCa!.cert },
        client: { cert: pki.admin!.cert, key: pki.admin!.key, ca: pki.etcdCa.cert },
      }),
    ).rejects.toThrow();
  });
});

interface Side {
  cert: string;
  key: string;
  ca: string;
}

/** One mutual-TLS handshake on loopback, bounded to 5 s; the server is always closed. */
async function handshake(opts: { host: string; server: Side; client: Side }): Promise<{ clientAuthorized: boolean; serverSawClient: string }> {
  const read = (p: string) => readFileSync(p);
  let serverSawClient = "";
  const server = tls.createServer(
    { cert: read(opts.server.cert), key: read(opts.server.key), ca: read(opts.server.ca), requestCert: true, rejectUnauthorized: true },
    (socket) => {
      serverSawClient = String(socket.getPeerCertificate().subject?.CN ?? "");
      socket.end("ok");
    },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, opts.host, () => resolve());
    });
    const port = (server.address() as { port: number }).port;
    const clientAuthorized = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("handshake timed out")), 5_000);
      const socket = tls.connect(
        { host: opts.host, port, cert: read(opts.client.cert), key: read(opts.client.key), ca: read(opts.client.ca) },
        () => {
          const ok = socket.authorized;
          socket.on("data", () => {});
          socket.on("end", () => {
            clearTimeout(timer);
            resolve(ok);
          });
        },
      );
      socket.on("error", (e) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      });
    });
    return { clientAuthorized, serverSawClient };
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
