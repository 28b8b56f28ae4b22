import { describe, expect, it } from "vitest";
import { renderBootScript } from "../../components/render/boot-script";
import { dataDiskDevicePath } from "../../components/render/data-disk";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import type { Cloud } from "../../components/spec/schema";
import { FIXTURE_LB, fixtureBootInput, fixtureBootScript, fixturePlan } from "../support/boot-script-fixture";

const CLOUDS: Cloud[] = ["gcp", "aws"];
const SECRET_LOOKING = [/-----BEGIN/, /PRIVATE KEY/, /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/, /client-key-data/, /^\s*(- )?token:\s*\S/im, /AKIA[0-9A-Z]{16}/];

describe.each(CLOUDS)("the %s boot script", (cloud) => {
  const script = fixtureBootScript(cloud);
  const plan = fixturePlan(cloud);
  const me = plan.masters[0]!;

  it("is a strict bash script that runs main", () => {
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("\nset -euo pipefail\n");
    expect(script.trimEnd().endsWith('main "$@"')).toBe(true);
  });

  it("contains nothing that looks like a key, a certificate, a token or a kubeconfig credential", () => {
    for (const pattern of SECRET_LOOKING) expect(script).not.toMatch(pattern);
  });

  it("is byte-identical for an existing replica when replicas are added or removed", () => {
    for (const count of [1, 5, 7]) {
      const other = fixturePlan(cloud, count, count > 5 ? { allowLargeControlPlane: true } : {});
      expect(renderBootScript(fixtureBootInput(other, cloud, me.name))).toBe(script);
    }
  });

  it("stays byte-identical for an existing replica with the real etcd parts when replicas are added", () => {
    const withRealEtcd = (count: number) => {
      const p = fixturePlan(cloud, count);
      return renderBootScript({ ...fixtureBootInput(p, cloud, me.name), etcd: renderEtcdBootParts(p, me.name) });
    };
    const three = withRealEtcd(3);
    expect(withRealEtcd(5)).toBe(three);
    for (const pattern of SECRET_LOOKING) expect(three).not.toMatch(pattern);
  });

  it("installs the pinned etcd release, checked by SHA-256, before the member starts", () => {
    expect(script).toMatch(/readonly ETCD_RELEASE_SHA256='[0-9a-f]{64}'/);
    expect(script).toContain("sha256sum -c");
    const main = script.slice(script.indexOf("\nmain() {"));
    expect(main.indexOf("install_etcd_binaries")).toBeLessThan(main.indexOf("run_etcd_member"));
  });

  it("names no other replica and no other replica's address", () => {
    for (const other of fixturePlan(cloud, 5).masters.filter((m) => m.name !== me.name)) {
      expect(script).not.toMatch(new RegExp(`\\b${other.name}\\b`));
      expect(script).not.toContain(other.address);
    }
  });

  it("installs kubeadm, kubelet and kubectl at exactly the plan's version and holds them", () => {
    expect(script).toContain(`readonly K8S_PACKAGE_VERSION='${plan.kubernetes.version}-1.1'`);
    expect(script).toContain(`readonly K8S_APT_REPO='https://pkgs.k8s.io/core:/stable:/v1.${plan.kubernetes.minor}/deb/'`);
    expect(script).toContain('"kubeadm=$K8S_PACKAGE_VERSION" "kubelet=$K8S_PACKAGE_VERSION" "kubectl=$K8S_PACKAGE_VERSION"');
    expect(script).toContain("apt-mark hold kubeadm kubelet kubectl");
    expect(script).toMatch(/install_os_packages .*\bcontainerd\b/);
  });

  it("mounts the etcd disk found by its stable device name", () => {
    const disk = fixtureBootInput(plan, cloud, me.name).etcdDisk!;
    expect(script).toContain(`readonly ETCD_DEVICE='${dataDiskDevicePath(disk)}'`);
    expect(script).toContain("readonly ETCD_MOUNT='/var/lib/etcd'");
    expect(script).toMatch(/\n {2}mount_etcd_disk\n/);
  });

  it("fetches this replica's key material by its secret name and writes keys with mode 0600", () => {
    expect(script).toContain(`readonly KUBE_HA_SECRET_ID='prod-${me.name}-pki'`);
    expect(script).toMatch(cloud === "gcp" ? /secretmanager\.googleapis\.com/ : /secretsmanager get-secret-value/);
    expect(script).toContain("*.key) mode=0600");
  });

  it("finds peers through the cloud API by cluster and role, never from a list in the script", () => {
    expect(script).toContain("readonly KUBE_HA_CLUSTER='prod'");
    expect(script).toMatch(cloud === "gcp" ? /aggregated\/instances\?filter=/ : /ec2 describe-instances/);
    expect(script).toContain("kube-ha-cluster");
    expect(script).toContain("kube-ha-role");
  });

  it("writes the etcd parts it is given and runs their fragment after deciding peers", () => {
    const order = ["mount_etcd_disk", "write_key_material", "find_etcd_peers", "write_etcd_files", "run_etcd_member", "control_plane_node"];
    const main = script.slice(script.indexOf("\nmain() {"));
    const positions = order.map((step) => main.indexOf(`  ${step}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(script).toContain("write_file '/etc/kube-ha/etcd/etcd.conf.yml' 0600 <<'KUBE_HA_EOF'\nname: ");
    expect(script).toContain('echo "join ${ETCD_ENDPOINTS:-}"');
  });

  it("inits or joins with kubeadm only when the node is not already a control-plane node", () => {
    expect(script).toMatch(/if \[ -f \/etc\/kubernetes\/admin\.conf \] \|\| \[ -f \/etc\/kubernetes\/kubelet\.conf \]; then/);
    expect(script).toContain('kubeadm init --config "$KUBEADM_INIT"');
    expect(script).toContain('kubeadm join --config "$KUBEADM_JOIN"');
    expect(script).toContain("--org kubeadm:cluster-admins");
    expect(script).toContain("kubeadm token create");
  });

  it("carries the kubeadm configuration with the endpoint, and the endpoint host for the join detour", () => {
    expect(script).toContain(`controlPlaneEndpoint: ${FIXTURE_LB[cloud]}:6443`);
    expect(script).toContain(`readonly API_ENDPOINT_HOST='${FIXTURE_LB[cloud]}'`);
  });
});

describe("boot script inputs", () => {
  it("differ between clouds only where the cloud matters", () => {
    const gcp = fixtureBootScript("gcp");
    const aws = fixtureBootScript("aws");
    expect(gcp).toContain("metadata.google.internal");
    expect(gcp).not.toContain("aws_cli");
    expect(aws).toContain("aws_cli");
    expect(aws).not.toContain("metadata.google.internal");
    expect(aws).toMatch(/install_os_packages .*\bawscli\b/);
  });

  it("refuses an etcd member without its etcd parts or disk", () => {
    const plan = fixturePlan("gcp");
    const input = fixtureBootInput(plan, "gcp", plan.masters[0]!.name);
    expect(() => renderBootScript({ ...input, etcd: undefined })).toThrow(/needs its etcd parts/);
    expect(() => renderBootScript({ ...input, etcdDisk: undefined })).toThrow(/needs its etcd parts/);
  });

  it("refuses a disk of the other cloud", () => {
    const plan = fixturePlan("gcp");
    const input = fixtureBootInput(plan, "gcp", plan.masters[0]!.name);
    expect(() => renderBootScript({ ...input, etcdDisk: { cloud: "aws", volumeId: "vol-0abc" } })).toThrow(/aws disk/);
  });

  it("keeps a here-document delimiter that appears in a file's content from ending the file early", () => {
    const plan = fixturePlan("gcp");
    const input = fixtureBootInput(plan, "gcp", plan.masters[0]!.name);
    const tricky = { ...input, etcd: { files: [{ path: "/etc/x", content: "a\nKUBE_HA_EOF\nb\n", mode: 0o644 }], run: "true" } };
    expect(renderBootScript(tricky)).toContain("write_file '/etc/x' 0644 <<'KUBE_HA_EOF_1'\na\nKUBE_HA_EOF\nb\nKUBE_HA_EOF_1\n");
  });

  it("renders an external-topology master without etcd steps and an etcd VM without kubeadm", () => {
    const plan = fixturePlan("gcp", 3, { etcdTopology: "external", etcdZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] });
    const master = renderBootScript({ cloud: "gcp", plan, replicaName: plan.masters[0]!.name, endpointAddress: "34.1.1.1" });
    expect(master).not.toContain("run_etcd_member");
    expect(master).toContain("control_plane_node");
    const etcdVm = renderBootScript(fixtureBootInput(plan, "gcp", plan.etcdNodes[0]!.name));
    expect(etcdVm).toContain("run_etcd_member");
    expect(etcdVm).toContain("readonly ETCD_ROLE='etcd'");
    expect(etcdVm).not.toContain("kubeadm");
  });
});
