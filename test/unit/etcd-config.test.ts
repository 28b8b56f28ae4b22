import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import {
  apiserverEtcdEndpointsFor,
  etcdConfigFor,
  etcdEndpointsFor,
  parseEtcdVersion,
  renderEtcdConfig,
  supportsTlsMinVersion,
  TLS12_CIPHER_SUITES,
} from "../../components/render/etcd-config";
import { PATHS } from "../../components/render/paths";
import { parseClusterSpec } from "../../components/spec/validate";

const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const stacked = planControlPlane(
  parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: zones, etcd: { heartbeatIntervalMs: 300, electionTimeoutMs: 3000 } }),
);

function configOf(version: string, opts = {}) {
  const name = stacked.etcd.members[1]!.name;
  return { name, member: stacked.etcd.members[1]!, doc: parse(renderEtcdConfig(stacked, name, { etcdVersion: version, ...opts })) as Record<string, any> };
}

describe("etcd member configuration", () => {
  it("names the member, keeps its data on the etcd disk and serves peers and clients on the replica's address", () => {
    const { name, member, doc } = configOf("3.5.21");
    expect(doc.name).toBe(name);
    expect(doc["data-dir"]).toBe(PATHS.etcdDataDir);
    expect(doc["data-dir"].startsWith(`${PATHS.etcdDataMount}/`)).toBe(true);
    expect(doc["listen-peer-urls"]).toBe(`https://${member.address}:2380`);
    expect(doc["initial-advertise-peer-urls"]).toBe(`https://${member.address}:2380`);
    expect(doc["listen-client-urls"]).toBe(`https://${member.address}:2379,https://127.0.0.1:2379`);
    expect(doc["advertise-client-urls"]).toBe(`https://${member.address}:2379`);
  });

  it("requires client certificates from clients and peers, with the member's own certs from the kubeadm PKI layout; peers trust only the etcd peer CA", () => {
    const { doc } = configOf("3.5.21");
    expect(doc["client-transport-security"]).toEqual({
      "cert-file": "/etc/kubernetes/pki/etcd/server.crt",
      "key-file": "/etc/kubernetes/pki/etcd/server.key",
      "trusted-ca-file": "/etc/kubernetes/pki/etcd/ca.crt",
      "client-cert-auth": true,
      "auto-tls": false,
    });
    expect(doc["peer-transport-security"]).toEqual({
      "cert-file": "/etc/kubernetes/pki/etcd/peer.crt",
      "key-file": "/etc/kubernetes/pki/etcd/peer.key",
      "trusted-ca-file": "/etc/kubernetes/pki/etcd/peer-ca.crt",
      "client-cert-auth": true,
      "auto-tls": false,
    });
  });

  it("sets tls-min-version TLS1.2 for etcd 3.5 and only strong TLS 1.2 cipher suites for 3.4, which has no such key", () => {
    const v35 = configOf("3.5.21").doc;
    const v34 = configOf("3.4.23").doc;
    expect(v35["tls-min-version"]).toBe("TLS1.2");
    expect(v34).not.toHaveProperty("tls-min-version");
    for (const doc of [v34, v35]) {
      expect(doc["cipher-suites"]).toEqual([...TLS12_CIPHER_SUITES]);
      for (const suite of doc["cipher-suites"]) expect(suite).toMatch(/^TLS_ECDHE_(ECDSA|RSA)_WITH_AES_(128|256)_GCM_SHA(256|384)$/);
    }
    expect(supportsTlsMinVersion(parseEtcdVersion("3.5.7"))).toBe(false);
    expect(supportsTlsMinVersion(parseEtcdVersion("3.5.8"))).toBe(true);
    expect(supportsTlsMinVersion(parseEtcdVersion("3.6.0"))).toBe(true);
    expect(() => parseEtcdVersion("3.5")).toThrow(/MAJOR.MINOR.PATCH/);
  });

  it("takes heartbeat, election timeout, quota and compaction from the plan, and serves metrics on the plan's separate port", () => {
    const { doc, member } = configOf("3.5.21");
    expect(doc["heartbeat-interval"]).toBe(300);
    expect(doc["election-timeout"]).toBe(3000);
    expect(doc["quota-backend-bytes"]).toBe(stacked.etcd.quotaBackendBytes);
    expect(doc["auto-compaction-mode"]).toBe("periodic");
    expect(doc["auto-compaction-retention"]).toBe(`${stacked.etcd.autoCompactionRetentionHours}h`);
    expect(doc["listen-metrics-urls"]).toBe(member.metricsUrl);
    expect(new URL(doc["listen-metrics-urls"]).port).toBe(String(stacked.etcd.metricsPort));
    expect(doc["listen-client-urls"]).not.toContain(`:${stacked.etcd.metricsPort}`);
    expect(doc["strict-reconfig-check"]).toBe(true);
    expect(doc["enable-v2"]).toBe(false);
  });

  it("never lists peers: initial-cluster is left to the membership script, so another member's arrival changes nothing", () => {
    const three = renderEtcdConfig(stacked, "master-b", { etcdVersion: "3.5.21" });
    const five = planControlPlane(
      parseClusterSpec({
        cloud: "gcp",
        region: "europe-west1",
        replicaZones: [...zones, "europe-west1-b", "europe-west1-c"],
        etcd: { heartbeatIntervalMs: 300, electionTimeoutMs: 3000 },
      }),
    );
    const doc = parse(three) as Record<string, unknown>;
    expect(doc).not.toHaveProperty("initial-cluster");
    expect(doc).not.toHaveProperty("initial-cluster-state");
    expect(renderEtcdConfig(five, "master-b", { etcdVersion: "3.5.21" })).toBe(three);
  });

  it("can drop the 127.0.0.1 listener and point at other directories (several members on one test host)", () => {
    const { doc } = configOf("3.4.23", { listenLocalhost: false, dataDir: "/tmp/d", pkiDir: "/tmp/p" });
    expect(doc["listen-client-urls"]).not.toContain("127.0.0.1");
    expect(doc["data-dir"]).toBe("/tmp/d");
    expect(doc["client-transport-security"]["cert-file"]).toBe("/tmp/p/etcd/server.crt");
  });

  it("names the plan's members when asked for one that does not exist", () => {
    expect(() => etcdConfigFor(stacked, "master-z")).toThrow(/no etcd member named master-z.*master-b/);
  });

  it("renders the dedicated etcd VMs of the external topology with the same renderer", () => {
    const external = planControlPlane(
      parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: zones, etcdTopology: "external", etcdZones: zones }),
    );
    const vm = external.etcdNodes[0]!;
    const doc = parse(renderEtcdConfig(external, vm.name)) as Record<string, any>;
    expect(doc.name).toBe(vm.name);
    expect(doc["advertise-client-urls"]).toBe(`https://${vm.address}:2379`);
    expect(apiserverEtcdEndpointsFor(external, external.masters[0]!.name)).toEqual(external.etcdNodes.map((n) => `https://${n.address}:2379`));
  });

  it("gives a stacked master's apiserver only its local member, and lists every member for other clients", () => {
    expect(apiserverEtcdEndpointsFor(stacked, stacked.masters[0]!.name)).toEqual(["https://127.0.0.1:2379"]);
    expect(etcdEndpointsFor(stacked)).toEqual(stacked.masters.map((m) => `https://${m.address}:2379`));
  });
});
