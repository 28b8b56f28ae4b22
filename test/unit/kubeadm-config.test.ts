import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { masterCertSpecs } from "../../components/plan/cert-specs";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { renderKubeadmConfig } from "../../components/render/kubeadm-config";
import { parseClusterSpec } from "../../components/spec/validate";
import { ETCD_VERSION, MAX_KUBERNETES_MINOR, MIN_KUBERNETES_MINOR } from "../../components/spec/versions";

const ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const LB = "34.120.1.2";

function plan(extra: Record<string, unknown> = {}, zones = ZONES) {
  return planControlPlane(parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: zones, ...extra }, { stackName: "prod" }));
}

type Doc = Record<string, any>;
function docs(yamlText: string): Doc[] {
  return parseAllDocuments(yamlText).map((d) => {
    expect(d.errors).toEqual([]);
    return d.toJS() as Doc;
  });
}
function kind(list: Doc[], k: string): Doc {
  const found = list.filter((d) => d.kind === k);
  expect(found).toHaveLength(1);
  return found[0]!;
}

describe("kubeadm configuration for a master", () => {
  const p = plan();
  const master = p.masters[1]!;
  const rendered = renderKubeadmConfig(p, master.name, LB);
  const init = docs(rendered.init);
  const cluster = kind(init, "ClusterConfiguration");

  it("is kubeadm.k8s.io/v1beta4: init holds InitConfiguration + ClusterConfiguration, join holds JoinConfiguration", () => {
    expect(init.map((d) => d.kind)).toEqual(["InitConfiguration", "ClusterConfiguration"]);
    const join = docs(rendered.join);
    expect(join.map((d) => d.kind)).toEqual(["JoinConfiguration"]);
    for (const d of [...init, ...join]) expect(d.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
  });

  it("uses the LB address on 6443 as controlPlaneEndpoint and pins the Kubernetes version", () => {
    expect(cluster.controlPlaneEndpoint).toBe(`${LB}:6443`);
    expect(cluster.kubernetesVersion).toBe(`v${p.kubernetes.version}`);
    expect(cluster.clusterName).toBe("prod");
  });

  it("prefers the LB DNS name for controlPlaneEndpoint when one is given, and names both in certSANs", () => {
    const withDns = plan({ apiServerDnsName: "api.prod.example.com" });
    const c = kind(docs(renderKubeadmConfig(withDns, withDns.masters[0]!.name, LB).init), "ClusterConfiguration");
    expect(c.controlPlaneEndpoint).toBe("api.prod.example.com:6443");
    expect(c.apiServer.certSANs).toEqual(expect.arrayContaining([LB, "api.prod.example.com"]));
  });

  it("lists only the cluster-wide LB names in certSANs, which every replica's apiserver cert carries", () => {
    // kubeadm keeps ClusterConfiguration in the cluster and checks each joiner's existing
    // apiserver.crt against its certSANs: a replica's own address there would fail other joins.
    expect(cluster.apiServer.certSANs).toEqual([LB]);
    for (const m of p.masters) {
      const sans = masterCertSpecs(p, m.name, LB).apiserver;
      expect([...sans.ipAddresses, ...sans.dnsNames]).toEqual(expect.arrayContaining(cluster.apiServer.certSANs));
      // The node's own name and advertise address, which kubeadm adds itself, are in its cert too.
      expect(sans.ipAddresses).toContain(m.address);
      expect(sans.dnsNames).toContain(m.name);
    }
  });

  it("points the apiserver at its own local etcd member only, with the PKI paths of kubeadm's layout", () => {
    expect(cluster.etcd.local).toBeUndefined();
    expect(cluster.etcd.external).toEqual({
      endpoints: ["https://127.0.0.1:2379"],
      caFile: "/etc/kubernetes/pki/etcd/ca.crt",
      certFile: "/etc/kubernetes/pki/apiserver-etcd-client.crt",
      keyFile: "/etc/kubernetes/pki/apiserver-etcd-client.key",
    });
    const text = rendered.init + rendered.join;
    for (const other of p.masters.filter((m) => m !== master)) expect(text).not.toContain(other.address);
  });

  it("points the apiserver at the dedicated etcd VMs' client URLs with external etcd", () => {
    const ext = plan({ etcdTopology: "external", etcdZones: ZONES });
    const c = kind(docs(renderKubeadmConfig(ext, ext.masters[0]!.name, LB).init), "ClusterConfiguration");
    expect(c.etcd.external.endpoints).toEqual(ext.etcdNodes.map((n) => `https://${n.address}:2379`));
  });

  it("turns leader election on explicitly for kube-scheduler and kube-controller-manager", () => {
    for (const component of [cluster.scheduler, cluster.controllerManager]) {
      expect(component.extraArgs).toContainEqual({ name: "leader-elect", value: "true" });
    }
  });

  it("sets the pod and service networks and the DNS domain from the plan", () => {
    expect(cluster.networking).toEqual({ podSubnet: p.kubernetes.podCidr, serviceSubnet: p.kubernetes.serviceCidr, dnsDomain: "cluster.local" });
  });

  it("registers the node under the replica name and advertises the replica's address on init and join", () => {
    const initCfg = kind(init, "InitConfiguration");
    const join = kind(docs(rendered.join), "JoinConfiguration");
    for (const reg of [initCfg.nodeRegistration, join.nodeRegistration]) {
      expect(reg.name).toBe(master.name);
      expect(reg.kubeletExtraArgs).toContainEqual({ name: "node-ip", value: master.address });
    }
    expect(initCfg.localAPIEndpoint).toEqual({ advertiseAddress: master.address, bindPort: 6443 });
    expect(join.controlPlane.localAPIEndpoint).toEqual({ advertiseAddress: master.address, bindPort: 6443 });
  });

  it("joins by file discovery of a kubeconfig minted at join time, so no token is in the configuration", () => {
    const join = kind(docs(rendered.join), "JoinConfiguration");
    expect(join.discovery).toEqual({ file: { kubeConfigPath: "/run/kube-ha/discovery.conf" } });
    expect(rendered.join + rendered.init).not.toMatch(/token|BEGIN|PRIVATE/i);
  });

  it("enables ControlPlaneKubeletLocalMode on 1.32, where it is off by default, and leaves the default from 1.33", () => {
    const old = plan({ kubernetesVersion: "1.32.4" });
    const c32 = kind(docs(renderKubeadmConfig(old, old.masters[0]!.name, LB).init), "ClusterConfiguration");
    expect(c32.featureGates).toEqual({ ControlPlaneKubeletLocalMode: true });
    expect(cluster.featureGates).toBeUndefined();
  });

  it("renders the same documents for a replica whether the cluster has 3 or 5 masters", () => {
    const five = plan({}, [...ZONES, "europe-west1-b", "europe-west1-c"]);
    expect(renderKubeadmConfig(five, master.name, LB)).toEqual(rendered);
  });

  it("refuses a replica that is not a master of the plan", () => {
    expect(() => renderKubeadmConfig(p, "master-z", LB)).toThrow(/no master named master-z/);
  });
});

describe("the external etcd kubeadm is pointed at", () => {
  // kubeadm's ExternalEtcdVersion preflight: cmd/kubeadm/app/constants/constants.go MinExternalEtcdVersion,
  // "3.5.24-0" on release-1.32, 1.33 and 1.34 (backports #135019, #135018, #134861) and on 1.35.
  const MIN_EXTERNAL_ETCD: Record<number, [number, number, number]> = { 32: [3, 5, 24], 33: [3, 5, 24], 34: [3, 5, 24], 35: [3, 5, 24] };

  it("is a release every supported kubeadm minor accepts in its external-etcd preflight", () => {
    const pinned = ETCD_VERSION.split(".").map(Number) as [number, number, number];
    for (let minor = MIN_KUBERNETES_MINOR; minor <= MAX_KUBERNETES_MINOR; minor++) {
      const min = MIN_EXTERNAL_ETCD[minor];
      expect(min, `no MinExternalEtcdVersion recorded for 1.${minor}`).toBeDefined();
      const cmp = pinned.map((v, i) => v - min![i]!).find((d) => d !== 0) ?? 0;
      expect(cmp, `etcd ${ETCD_VERSION} is older than kubeadm 1.${minor}'s minimum ${min!.join(".")}`).toBeGreaterThanOrEqual(0);
    }
    expect(pinned.slice(0, 2)).toEqual([3, 5]);
  });
});
