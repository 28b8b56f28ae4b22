import { describe, expect, it } from "vitest";
import {
  adminCertSpec,
  allowedUses,
  caCertSpecs,
  etcdMemberCertSpecs,
  masterCertSpecs,
  replicaCertSpecs,
} from "../../components/plan/cert-specs";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { parseClusterSpec } from "../../components/spec/validate";

const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];

function plan(count: number, extra: Record<string, unknown> = {}) {
  return planControlPlane(
    parseClusterSpec({
      cloud: "gcp",
      region: "europe-west1",
      replicas: Array.from({ length: count }, (_, i) => ({ name: `master-${i + 1}`, zone: zones[i % 3] })),
      allowEvenReplicaCount: true,
      ...extra,
    }),
  );
}

describe("CA cert specs", () => {
  it("are four self-signed ten-year CAs that may sign certificates, etcd's peers with a CA of their own", () => {
    const cas = caCertSpecs();
    expect(Object.values(cas).map((c) => c.commonName)).toEqual(["kubernetes", "etcd-ca", "etcd-peer-ca", "front-proxy-ca"]);
    for (const ca of Object.values(cas)) {
      expect(ca).toMatchObject({ isCa: true, issuer: "self", validityHours: 87_600, extendedKeyUsages: [] });
      expect(ca.keyUsages).toEqual(expect.arrayContaining(["cert_signing", "crl_signing", "digital_signature"]));
    }
  });
});

describe("etcd member cert specs", () => {
  const p = plan(3);
  const m2 = p.masters[1]!;
  const { server, peer } = etcdMemberCertSpecs(p, "master-2");

  it("name the member, localhost, its address and 127.0.0.1 on the server cert", () => {
    expect(server.dnsNames).toEqual(["master-2", "localhost"]);
    expect(server.ipAddresses).toEqual([m2.address, "127.0.0.1"]);
    expect(server.commonName).toBe("master-2");
  });

  it("name only the member and its address on the peer cert", () => {
    expect(peer.dnsNames).toEqual(["master-2"]);
    expect(peer.ipAddresses).toEqual([m2.address]);
  });

  it("carry serverAuth and clientAuth, one-year; the server cert signed by the etcd CA, the peer cert by the etcd peer CA", () => {
    for (const c of [server, peer]) {
      expect(c.extendedKeyUsages).toEqual(["server_auth", "client_auth"]);
      expect(c).toMatchObject({ isCa: false, validityHours: 8760 });
      expect(allowedUses(c)).toEqual(["digital_signature", "key_encipherment", "server_auth", "client_auth"]);
    }
    expect(server.issuer).toBe("etcd-ca");
    expect(peer.issuer).toBe("etcd-peer-ca");
  });

  it("leave the etcd peer CA signing peer certs only: the apiserver's etcd client cert stays with the etcd CA", () => {
    const issuers = p.masters.flatMap((m) => replicaCertSpecs(p, m.name, "203.0.113.10")).filter((c) => c.issuer === "etcd-peer-ca");
    expect([...new Set(issuers.map((c) => c.id))]).toEqual(["etcd-peer"]);
    expect(masterCertSpecs(p, "master-1", "203.0.113.10").apiserverEtcdClient.issuer).toBe("etcd-ca");
  });

  it("refuse a member that is not in the plan", () => {
    expect(() => etcdMemberCertSpecs(p, "master-9")).toThrow(/master-9/);
  });
});

describe("apiserver serving cert spec", () => {
  it("lists exactly the LB address and DNS name, the replica, the service IP, the kubernetes names and loopback", () => {
    const p = plan(3, { apiServerDnsName: "api.prod.example.com", clusterDomain: "prod.internal" });
    const m1 = p.masters[0]!;
    const { apiserver } = masterCertSpecs(p, "master-1", "203.0.113.10");
    expect(apiserver.dnsNames).toEqual([
      "api.prod.example.com",
      "master-1",
      "kubernetes",
      "kubernetes.default",
      "kubernetes.default.svc",
      "kubernetes.default.svc.prod.internal",
      "localhost",
    ]);
    expect(apiserver.ipAddresses).toEqual(["203.0.113.10", m1.address, "10.96.0.1", "127.0.0.1"]);
    expect(apiserver).toMatchObject({ commonName: "kube-apiserver", issuer: "kubernetes-ca", extendedKeyUsages: ["server_auth"] });
  });

  it("puts an LB host name (AWS NLB) among the DNS names, and omits the DNS name when none is set", () => {
    const p = plan(1);
    const { apiserver } = masterCertSpecs(p, "master-1", "kube-ha-123.elb.eu-west-1.amazonaws.com");
    expect(apiserver.dnsNames[0]).toBe("kube-ha-123.elb.eu-west-1.amazonaws.com");
    expect(apiserver.dnsNames).toHaveLength(7);
    expect(apiserver.ipAddresses).toEqual([p.masters[0]!.address, "10.96.0.1", "127.0.0.1"]);
  });

  it("uses the first address of the configured service range", () => {
    const p = plan(1, { serviceCidr: "172.20.0.0/16" });
    expect(masterCertSpecs(p, "master-1", "198.51.100.7").apiserver.ipAddresses).toContain("172.20.0.1");
  });
});

describe("client cert specs", () => {
  const p = plan(3);
  const specs = masterCertSpecs(p, "master-3", "203.0.113.10");

  it("apiserver→etcd client is kube-apiserver-etcd-client, clientAuth only, signed by the etcd CA", () => {
    expect(specs.apiserverEtcdClient).toMatchObject({
      commonName: "kube-apiserver-etcd-client",
      organizations: [],
      extendedKeyUsages: ["client_auth"],
      issuer: "etcd-ca",
      dnsNames: [],
      ipAddresses: [],
      validityHours: 8760,
    });
  });

  it("apiserver→kubelet client is kube-apiserver-kubelet-client in kubeadm:cluster-admins, signed by the Kubernetes CA", () => {
    expect(specs.apiserverKubeletClient).toMatchObject({
      commonName: "kube-apiserver-kubelet-client",
      organizations: ["kubeadm:cluster-admins"],
      extendedKeyUsages: ["client_auth"],
      issuer: "kubernetes-ca",
    });
  });

  it("admin is kubernetes-admin in kubeadm:cluster-admins with clientAuth", () => {
    expect(adminCertSpec()).toMatchObject({
      commonName: "kubernetes-admin",
      organizations: ["kubeadm:cluster-admins"],
      extendedKeyUsages: ["client_auth"],
      issuer: "kubernetes-ca",
      isCa: false,
    });
  });
});

describe("per-replica specs", () => {
  it("a stacked master has etcd server, etcd peer, apiserver and both apiserver clients", () => {
    expect(replicaCertSpecs(plan(3), "master-1", "203.0.113.10").map((s) => s.id)).toEqual([
      "etcd-server",
      "etcd-peer",
      "apiserver",
      "apiserver-etcd-client",
      "apiserver-kubelet-client",
    ]);
  });

  it("with external etcd, masters get apiserver certs and etcd VMs get only etcd member certs", () => {
    const p = plan(3, { etcdTopology: "external", etcdZones: zones });
    expect(replicaCertSpecs(p, "master-1", "203.0.113.10").map((s) => s.id)).toEqual([
      "apiserver",
      "apiserver-etcd-client",
      "apiserver-kubelet-client",
    ]);
    const etcdVm = p.etcdNodes[0]!;
    expect(replicaCertSpecs(p, etcdVm.name, "203.0.113.10").map((s) => s.id)).toEqual(["etcd-server", "etcd-peer"]);
  });

  it("existing replicas' specs do not change when replicas are added", () => {
    const three = plan(3);
    const five = plan(5);
    for (const m of three.masters) {
      expect(replicaCertSpecs(five, m.name, "203.0.113.10")).toEqual(replicaCertSpecs(three, m.name, "203.0.113.10"));
    }
    expect(five.masters.slice(0, 3).map((m) => m.address)).toEqual(three.masters.map((m) => m.address));
  });
});
