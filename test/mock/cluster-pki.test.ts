import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ClusterPki } from "../../components/pki/cluster-pki";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import type { ControlPlanePlan } from "../../components/plan/types";
import { pkiFileNames } from "../../components/preview/replica-files";
import { parseClusterSpec } from "../../components/spec/validate";
import { type MockRegistry, type RecordedResource, installMocks, valueOf } from "../support/pulumi-mocks";

const T = {
  key: "tls:index/privateKey:PrivateKey",
  selfSigned: "tls:index/selfSignedCert:SelfSignedCert",
  csr: "tls:index/certRequest:CertRequest",
  signed: "tls:index/locallySignedCert:LocallySignedCert",
  pki: "kube-ha:index:ClusterPki",
};
const LB = "203.0.113.10";
const ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const LEAVES = ["etcd-server", "etcd-peer", "apiserver", "apiserver-etcd-client", "apiserver-kubelet-client"];

function plan(count: number) {
  return planControlPlane(
    parseClusterSpec({
      cloud: "gcp",
      region: "europe-west1",
      clusterName: "prod",
      replicas: Array.from({ length: count }, (_, i) => ({ name: `master-${i + 1}`, zone: ZONES[i % 3] })),
      allowEvenReplicaCount: true,
      apiServerDnsName: "api.prod.example.com",
    }),
  );
}

async function settle(pki: ClusterPki): Promise<Record<string, Record<string, string>>> {
  const files: Record<string, Record<string, string>> = {};
  for (const [name, out] of Object.entries(pki.replicaFiles)) files[name] = await valueOf(out);
  await valueOf(pki.adminKubeconfig);
  return files;
}

let reg: MockRegistry;
let three: ClusterPki;
let four: ClusterPki;
let threeFiles: Record<string, Record<string, string>>;
let externalFiles: Record<string, Record<string, string>>;
let externalPlan: ControlPlanePlan;

const mine = (prefix: string) => (r: RecordedResource) => r.name === prefix || r.name.startsWith(`${prefix}-`);

beforeAll(async () => {
  reg = await installMocks();
  three = new ClusterPki("three", { plan: plan(3), endpointAddress: LB });
  four = new ClusterPki("four", { plan: plan(4), endpointAddress: pulumi.output(LB) });
  externalPlan = planControlPlane(
    parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: ZONES, etcdTopology: "external", etcdZones: ZONES }),
  );
  const external = new ClusterPki("ext", { plan: externalPlan, endpointAddress: LB });
  threeFiles = await settle(three);
  await settle(four);
  externalFiles = await settle(external);
});

describe("ClusterPki on the mock runtime", () => {
  it("records registrations without mock errors or duplicate names", () => {
    expect(reg.errors).toEqual([]);
    expect(reg.resources.length).toBeGreaterThan(50);
    expect(reg.duplicates()).toEqual([]);
  });

  it("registers four CAs, the service-account key and five leaf certs per replica, all children of the component", () => {
    const rs = reg.resources.filter(mine("three"));
    const names = (type: string) => rs.filter((r) => r.type === type).map((r) => r.name).sort();
    expect(rs.filter((r) => r.type === T.pki).map((r) => r.name)).toEqual(["three"]);
    expect(names(T.selfSigned)).toEqual(["three-etcd-ca", "three-etcd-peer-ca", "three-front-proxy-ca", "three-kubernetes-ca"]);
    const perReplica = ["master-1", "master-2", "master-3"].flatMap((m) => LEAVES.map((l) => `three-${m}-${l}`));
    expect(names(T.signed)).toEqual([...perReplica, "three-admin"].sort());
    expect(names(T.csr)).toEqual([...perReplica, "three-admin"].map((n) => `${n}-csr`).sort());
    expect(names(T.key)).toEqual(
      [...perReplica, "three-admin", "three-etcd-ca", "three-etcd-peer-ca", "three-front-proxy-ca", "three-kubernetes-ca"].map((n) => `${n}-key`).concat("three-sa").sort(),
    );
    for (const r of rs.filter((x) => x.type !== T.pki)) expect(r.parent, r.name).toBe("three");
  });

  it("makes the CAs ten-year certificate-signing CAs and the SA key RSA", () => {
    for (const ca of ["three-etcd-ca", "three-etcd-peer-ca", "three-front-proxy-ca", "three-kubernetes-ca"]) {
      expect(reg.named(ca)!.inputs).toMatchObject({ isCaCertificate: true, validityPeriodHours: 87_600 });
      expect(reg.named(ca)!.inputs.allowedUses).toEqual(expect.arrayContaining(["cert_signing", "crl_signing"]));
    }
    expect(reg.named("three-kubernetes-ca")!.inputs.subject).toEqual({ commonName: "kubernetes" });
    expect(reg.named("three-sa")!.inputs).toMatchObject({ algorithm: "RSA", rsaBits: 2048 });
    expect(reg.named("three-master-1-etcd-peer-key")!.inputs).toMatchObject({ algorithm: "ECDSA", ecdsaCurve: "P256" });
  });

  it("puts the LB address and DNS name, the replica, the service IP and the kubernetes names on each apiserver CSR", () => {
    for (const m of plan(3).masters) {
      const csr = reg.named(`three-${m.name}-apiserver-csr`)!.inputs;
      expect(csr.subject).toEqual({ commonName: "kube-apiserver" });
      expect(csr.dnsNames).toEqual([
        "api.prod.example.com",
        m.name,
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        "kubernetes.default.svc.cluster.local",
        "localhost",
      ]);
      expect(csr.ipAddresses).toEqual([LB, m.address, "10.96.0.1", "127.0.0.1"]);
      expect(reg.named(`three-${m.name}-apiserver`)!.inputs.allowedUses).toEqual(["digital_signature", "key_encipherment", "server_auth"]);
    }
  });

  it("gives etcd server and peer certs the member's names and addresses with serverAuth and clientAuth", () => {
    const m2 = plan(3).masters[1]!;
    expect(reg.named("three-master-2-etcd-server-csr")!.inputs).toMatchObject({
      dnsNames: ["master-2", "localhost"],
      ipAddresses: [m2.address, "127.0.0.1"],
    });
    expect(reg.named("three-master-2-etcd-peer-csr")!.inputs).toMatchObject({ dnsNames: ["master-2"], ipAddresses: [m2.address] });
    for (const c of ["etcd-server", "etcd-peer"]) {
      expect(reg.named(`three-master-2-${c}`)!.inputs.allowedUses).toEqual(["digital_signature", "key_encipherment", "server_auth", "client_auth"]);
    }
  });

  it("signs each leaf with its CA: etcd peer certs by the etcd peer CA, the etcd server cert and client by the etcd CA, the rest by the Kubernetes CA", () => {
    const signer = (name: string) => String(reg.named(name)!.inputs.caCertPem);
    expect(signer("three-master-1-etcd-peer")).toContain("fake-three-etcd-peer-ca\n");
    expect(String(reg.named("three-master-1-etcd-peer")!.inputs.caPrivateKeyPem)).toContain("fake-three-etcd-peer-ca-key\n");
    expect(signer("three-master-1-etcd-server")).toContain("fake-three-etcd-ca\n");
    expect(signer("three-master-1-apiserver-etcd-client")).toContain("fake-three-etcd-ca\n");
    expect(signer("three-master-1-apiserver")).toContain("fake-three-kubernetes-ca\n");
    expect(signer("three-master-1-apiserver-kubelet-client")).toContain("fake-three-kubernetes-ca\n");
    expect(signer("three-admin")).toContain("fake-three-kubernetes-ca\n");
    expect(reg.named("three-admin-csr")!.inputs.subject).toEqual({ commonName: "kubernetes-admin", organization: "kubeadm:cluster-admins" });
  });

  it("passes every private key to other resources only as a secret and never in a plain input", () => {
    const keyInputs = ["privateKeyPem", "caPrivateKeyPem"];
    let seen = 0;
    for (const r of reg.resources) {
      for (const k of keyInputs) {
        if (r.inputs[k] === undefined) continue;
        seen++;
        expect(r.secretInputs, `${r.name}.${k}`).toContain(k);
      }
      const plain = JSON.stringify(Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.secretInputs.includes(k))));
      expect(plain, r.name).not.toContain("PRIVATE KEY");
    }
    expect(seen).toBeGreaterThan(60);
  });

  it("exposes every private key of the component as a secret output", async () => {
    const keyResources = reg.resources.filter(mine("three")).filter((r) => r.type === T.key).map((r) => r.name).sort();
    expect(Object.keys(three.privateKeyPems).sort()).toEqual(keyResources);
    for (const [name, pem] of Object.entries(three.privateKeyPems)) {
      expect(await pulumi.isSecret(pem), name).toBe(true);
      expect(await valueOf(pem), name).toContain(`fake-${name}\n`);
    }
  });

  it("makes every replica's file map and the admin kubeconfig secret", async () => {
    expect(await pulumi.isSecret(three.adminKubeconfig)).toBe(true);
    for (const out of Object.values(three.replicaFiles)) expect(await pulumi.isSecret(out)).toBe(true);
    expect(await pulumi.isSecret(three.kubernetesCaCertPem)).toBe(false);
  });

  it("gives each replica kubeadm's shared CA files and keys (never the etcd CA key) plus only its own leaf certs", () => {
    expect(Object.keys(threeFiles).sort()).toEqual(["master-1", "master-2", "master-3"]);
    const files = threeFiles["master-2"]!;
    expect(Object.keys(files).sort()).toEqual(
      [
        "ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "etcd/ca.crt", "etcd/peer-ca.crt", "sa.pub", "sa.key",
        "apiserver.crt", "apiserver.key", "apiserver-etcd-client.crt", "apiserver-etcd-client.key",
        "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key",
        "etcd/server.crt", "etcd/server.key", "etcd/peer.crt", "etcd/peer.key",
      ].sort(),
    );
    expect(files["ca.key"]).toContain("fake-three-kubernetes-ca-key\n");
    expect(files["sa.key"]).toContain("fake-three-sa\n");
    expect(files["etcd/peer.key"]).toContain("fake-three-master-2-etcd-peer-key\n");
    expect(files["apiserver.crt"]).toContain("fake-three-master-2-apiserver\n");
    expect(JSON.stringify(files)).not.toMatch(/master-[13]/);
  });

  it("ships the etcd CA and etcd peer CA keys to no machine: kubeadm uses external etcd here and every etcd leaf is issued in Pulumi", async () => {
    for (const [replica, files] of Object.entries({ ...threeFiles, ...externalFiles })) {
      expect(Object.keys(files), replica).not.toContain("etcd/ca.key");
      expect(Object.keys(files), replica).not.toContain("etcd/peer-ca.key");
      expect(JSON.stringify(files), replica).not.toMatch(/fake-(three|ext)-etcd-(peer-)?ca-key/);
    }
    // The peer CA's key lives only in state, as a secret.
    expect(await pulumi.isSecret(three.privateKeyPems["three-etcd-peer-ca-key"]!)).toBe(true);
    expect(await pulumi.isSecret(three.etcdPeerCaCertPem)).toBe(false);
  });

  it("the offline preview's placeholder list (render) is exactly what ClusterPki ships to each replica", () => {
    const plans = { three: plan(3), ext: externalPlan };
    for (const [pki, files] of [["three", threeFiles], ["ext", externalFiles]] as const) {
      const p = plans[pki];
      for (const replica of [...p.masters, ...p.etcdNodes]) {
        expect(pkiFileNames(replica), `${pki} ${replica.name}`).toEqual(Object.keys(files[replica.name]!).sort());
      }
    }
  });

  it("re-issues every leaf 720 hours (30 days) before it expires, and never a CA on its own", () => {
    const signed = reg.resources.filter(mine("three")).filter((r) => r.type === T.signed);
    expect(signed).toHaveLength(LEAVES.length * 3 + 1);
    for (const leaf of signed) expect(leaf.inputs["earlyRenewalHours"], leaf.name).toBe(720);
    const cas = reg.resources.filter(mine("three")).filter((r) => r.type === T.selfSigned);
    expect(cas).toHaveLength(4);
    for (const ca of cas) expect(ca.inputs, ca.name).not.toHaveProperty("earlyRenewalHours");
  });

  it("with external etcd, etcd VMs get only the etcd CA cert and their own member certs, masters no etcd CA key", () => {
    const names = Object.keys(externalFiles);
    const etcdVm = names.find((n) => !n.startsWith("master"))!;
    expect(names).toHaveLength(6);
    expect(Object.keys(externalFiles[etcdVm]!).sort()).toEqual(["etcd/ca.crt", "etcd/peer-ca.crt", "etcd/peer.crt", "etcd/peer.key", "etcd/server.crt", "etcd/server.key"]);
    const master = externalFiles[names.find((n) => n.startsWith("master"))!]!;
    expect(Object.keys(master)).not.toContain("etcd/ca.key");
    expect(Object.keys(master)).not.toContain("etcd/server.key");
    expect(Object.keys(master)).toContain("apiserver-etcd-client.key");
  });

  it("writes an admin kubeconfig for the LB DNS name on 6443 with the Kubernetes CA and the admin cert and key", async () => {
    const doc = parse(await valueOf(three.adminKubeconfig));
    const unb64 = (v: string) => Buffer.from(v, "base64").toString("utf8");
    expect(doc["current-context"]).toBe("kubernetes-admin@prod");
    expect(doc.clusters[0].cluster.server).toBe("https://api.prod.example.com:6443");
    expect(unb64(doc.clusters[0].cluster["certificate-authority-data"])).toContain("fake-three-kubernetes-ca\n");
    expect(unb64(doc.users[0].user["client-certificate-data"])).toContain("fake-three-admin\n");
    expect(unb64(doc.users[0].user["client-key-data"])).toContain("fake-three-admin-key\n");
  });

  it("adding a fourth replica only adds resources: every existing resource keeps identical inputs", () => {
    const normalise = (r: RecordedResource, prefix: string) =>
      JSON.stringify({ type: r.type, inputs: r.inputs, secret: r.secretInputs }).replaceAll(prefix, "<pki>");
    const byName = (prefix: string) =>
      new Map(reg.resources.filter(mine(prefix)).map((r) => [r.name.replace(prefix, "<pki>"), normalise(r, prefix)]));
    const before = byName("three");
    const after = byName("four");
    for (const [name, inputs] of before) expect(after.get(name), name).toBe(inputs);
    const added = [...after.keys()].filter((n) => !before.has(n)).sort();
    expect(added.every((n) => n.startsWith("<pki>-master-4-"))).toBe(true);
    expect(added).toHaveLength(LEAVES.length * 3);
    expect(Object.keys(four.replicaFiles)).toEqual(["master-1", "master-2", "master-3", "master-4"]);
  });
});
