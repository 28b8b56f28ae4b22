import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { planAwsControlPlane } from "../../components/platforms/aws/args";
import { awsBootParts } from "../../components/platforms/aws/boot-parts";
import { awsUserData } from "../../components/platforms/aws/boot";
import { ebsVolumeDevicePath } from "../../components/platforms/aws/data-disk";
import { gcpBootParts } from "../../components/platforms/gcp/boot-parts";
import { gcpDiskDevicePath } from "../../components/platforms/gcp/data-disk";
import { USER_DATA_LIMIT_BYTES, decodeUserData } from "../../components/platforms/aws/user-data";
import { CONTAINERD_RELEASE_SHA256, ETCD_RELEASE_SHA256, RELEASE_ARCHES, RUNC_RELEASE_SHA256 } from "../../components/render/binary-releases";
import { renderContainerdConfig, renderContainerdUnit } from "../../components/render/container-runtime";
import { renderBootProgram, renderBootScript } from "../../components/render/boot-script";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import { renderMembershipScript } from "../../components/render/membership-script";
import { PATHS } from "../../components/render/paths";
import { compactShell } from "../../components/render/shell-compact";
import { MAX_CLUSTER_NAME, MAX_REPLICA_NAME } from "../../components/spec/names";
import type { Cloud } from "../../components/spec/schema";
import { CONTAINERD_VERSION, RUNC_VERSION } from "../../components/spec/defaults";
import { ETCD_VERSION } from "../../components/spec/versions";
import {
  FIXTURE_ETCD_DEVICE,
  FIXTURE_LB,
  bashFunction,
  fixtureBootInput,
  fixtureBootProgram,
  fixtureBootScript,
  fixturePlan,
} from "../support/boot-script-fixture";

const CLOUDS: Cloud[] = ["gcp", "aws"];
const SECRET_LOOKING = [/-----BEGIN/, /PRIVATE KEY/, /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/, /client-key-data/, /^\s*(- )?token:\s*\S/im, /AKIA[0-9A-Z]{16}/];
const mainOf = (program: string) => program.slice(program.indexOf("\nmain() {"));

describe.each(CLOUDS)("the %s boot script", (cloud) => {
  const script = fixtureBootScript(cloud);
  const program = fixtureBootProgram(cloud);
  const plan = fixturePlan(cloud);
  const me = plan.masters[0]!;

  it("is a strict bash script that installs the boot program and starts its unit", () => {
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("\nset -euo pipefail\n");
    expect(script).toContain(`write_file '${PATHS.bootProgram}' 0700 <<'`);
    expect(script.trimEnd().endsWith("systemctl start --no-block kube-ha-boot.service")).toBe(true);
    expect(program.startsWith("#!/bin/bash\nset -euo pipefail\n")).toBe(true);
    expect(program.trimEnd().endsWith('main "$@"')).toBe(true);
    expect(script).toContain(program);
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

  it("installs the pinned etcd release for the machine's architecture, each checked by its own SHA-256", () => {
    for (const arch of RELEASE_ARCHES) {
      expect(program).toContain(`readonly ETCD_SHA256_${arch.toUpperCase()}='${ETCD_RELEASE_SHA256[ETCD_VERSION]![arch]}'`);
    }
    expect(program).toContain(`readonly ETCD_RELEASE_URL='https://github.com/etcd-io/etcd/releases/download/v${ETCD_VERSION}/etcd-v${ETCD_VERSION}-linux-ARCH.tar.gz'`);
    const fetch = bashFunction(program, "fetch_release");
    expect(fetch).toContain("arch=$(dpkg --print-architecture)");
    expect(fetch).toContain("amd64) sha=$2 ;;");
    expect(fetch).toContain("arm64) sha=$3 ;;");
    expect(fetch).toContain('"${1/ARCH/$arch}"');
    expect(fetch).toContain("sha256sum -c");
    expect(bashFunction(program, "install_etcd_binaries")).toContain('fetch_release "$ETCD_RELEASE_URL" "$ETCD_SHA256_AMD64" "$ETCD_SHA256_ARM64" "$scratch/etcd.tar.gz"');
    expect(mainOf(program).indexOf("install_etcd_binaries")).toBeLessThan(mainOf(program).indexOf("run_etcd_member"));
  });

  it("installs containerd and runc from their pinned releases for the machine's architecture (issue 9, item 3), not from the OS", () => {
    for (const arch of RELEASE_ARCHES) {
      expect(program).toContain(`readonly CONTAINERD_SHA256_${arch.toUpperCase()}='${CONTAINERD_RELEASE_SHA256[CONTAINERD_VERSION]![arch]}'`);
      expect(program).toContain(`readonly RUNC_SHA256_${arch.toUpperCase()}='${RUNC_RELEASE_SHA256[RUNC_VERSION]![arch]}'`);
    }
    expect(program).toContain(`readonly CONTAINERD_RELEASE_URL='https://github.com/containerd/containerd/releases/download/v${CONTAINERD_VERSION}/containerd-${CONTAINERD_VERSION}-linux-ARCH.tar.gz'`);
    expect(program).toContain(`readonly RUNC_RELEASE_URL='https://github.com/opencontainers/runc/releases/download/v${RUNC_VERSION}/runc.ARCH'`);
    const install = bashFunction(program, "install_container_runtime");
    expect(install).toContain('fetch_release "$RUNC_RELEASE_URL" "$RUNC_SHA256_AMD64" "$RUNC_SHA256_ARM64" "$scratch/runc"');
    expect(install).toContain('fetch_release "$CONTAINERD_RELEASE_URL" "$CONTAINERD_SHA256_AMD64" "$CONTAINERD_SHA256_ARM64" "$scratch/containerd.tar.gz"');
    // Verified (fetch_release) before unpacked.
    expect(install.indexOf('fetch_release "$CONTAINERD_RELEASE_URL"')).toBeLessThan(install.indexOf("tar -xzf"));
    expect(mainOf(program)).not.toMatch(/install_os_packages .*\bcontainerd\b/);
    const steps = ["install_kubernetes_packages", "install_container_runtime", "configure_container_runtime", "control_plane_node"];
    const positions = steps.map((step) => mainOf(program).indexOf(`\n${step}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("configures containerd with the systemd cgroup driver in its own unit, restarting it only when something changed", () => {
    const configure = bashFunction(program, "configure_container_runtime");
    expect(configure).toContain(`write_file '/etc/containerd/config.toml' 0644 <<'KUBE_HA_EOF'\n${renderContainerdConfig()}KUBE_HA_EOF`);
    expect(configure).toContain(`write_file '/etc/systemd/system/containerd.service' 0644 <<'KUBE_HA_EOF'\n${renderContainerdUnit()}KUBE_HA_EOF`);
    expect(renderContainerdConfig()).toContain("[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]\nSystemdCgroup = true\n");
    expect(renderContainerdConfig()).toMatch(/^version = 3\n/);
    expect(renderContainerdUnit()).toContain("ExecStart=/usr/local/bin/containerd\n");
    expect(renderContainerdUnit()).toContain("Delegate=yes\n");
    expect(configure).toMatch(/if \[ "\$RUNTIME_CHANGED" = true \] \|\| \[ "\$before" != .*\]; then\n\s*systemctl daemon-reload\n\s*systemctl enable containerd.service\n\s*systemctl restart containerd.service\n\s*fi\n/);
    expect(configure).not.toContain("containerd config default");
  });

  it("names no other replica and no other replica's address", () => {
    for (const other of fixturePlan(cloud, 5).masters.filter((m) => m.name !== me.name)) {
      expect(script).not.toMatch(new RegExp(`\\b${other.name}\\b`));
      expect(script).not.toContain(other.address);
    }
  });

  it("installs kubeadm, kubelet and kubectl at exactly the plan's version and holds them", () => {
    expect(program).toContain(`readonly K8S_PACKAGE_VERSION='${plan.kubernetes.version}-1.1'`);
    expect(program).toContain(`readonly K8S_APT_REPO='https://pkgs.k8s.io/core:/stable:/v1.${plan.kubernetes.minor}/deb/'`);
    expect(program).toContain('"kubeadm=$K8S_PACKAGE_VERSION" "kubelet=$K8S_PACKAGE_VERSION" "kubectl=$K8S_PACKAGE_VERSION"');
    expect(program).toContain("apt-mark hold kubeadm kubelet kubectl");
  });

  it("mounts the etcd disk found by its stable device name", () => {
    expect(program).toContain(`readonly ETCD_DEVICE='${FIXTURE_ETCD_DEVICE[cloud]}'`);
    expect(program).toContain("readonly ETCD_MOUNT='/var/lib/etcd'");
    expect(mainOf(program)).toMatch(/\nmount_etcd_disk\n/);
  });

  it("fetches this replica's key material by its secret name and writes keys with mode 0600", () => {
    expect(program).toContain(`readonly KUBE_HA_SECRET_ID='prod-${me.name}-pki'`);
    expect(program).toMatch(cloud === "gcp" ? /secretmanager\.googleapis\.com/ : /secretsmanager get-secret-value/);
    expect(program).toContain("*.key) mode=0600");
  });

  it("rewrites every file that differs from the secret store's — CAs, sa.* and leaf certificates alike — then restarts what uses them", () => {
    const body = bashFunction(program, "write_key_material");
    expect(body).toContain('if [ -e "$dest" ] && cmp -s "$tmp" "$dest"; then');
    expect(body).not.toMatch(/ca\.\* \| \*\/ca\.\*/);
    expect(body.indexOf("cmp -s")).toBeLessThan(body.indexOf('mv -f "$tmp" "$dest"'));
    expect(body).toContain('apply_new_keys "$etcd" "$api"');
    const apply = bashFunction(program, "apply_new_keys");
    expect(apply).toContain("systemctl try-restart kube-ha-etcd.service");
    expect(apply).toContain("ps -q --name '^kube-(apiserver|controller-manager)$'");
    expect(apply).toContain('crictl --runtime-endpoint unix:///run/containerd/containerd.sock stop "$id"');
  });

  it("finds peers through the cloud API by cluster and role, never from a list in the script", () => {
    expect(program).toContain("readonly KUBE_HA_CLUSTER='prod'");
    expect(program).toMatch(cloud === "gcp" ? /aggregated\/instances\?maxResults=500/ : /ec2 describe-instances/);
    expect(program).toContain("kube-ha-cluster");
    expect(program).toContain("kube-ha-role");
  });

  it("writes the etcd parts it is given and runs their fragment after deciding peers and noting a founding", () => {
    const order = ["mount_etcd_disk", "write_key_material", "find_etcd_peers", "note_etcd_founding", "write_etcd_files", "run_etcd_member", "control_plane_node"];
    const positions = order.map((step) => mainOf(program).indexOf(`\n${step}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(program).toContain("write_file '/etc/kube-ha/etcd/etcd.conf.yml' 0600 <<'KUBE_HA_EOF'\nname: ");
    expect(program).toContain('echo "join ${ETCD_ENDPOINTS:-}"');
  });

  it("runs kubeadm init only on the replica whose etcd member founded a new cluster, never on KUBE_HA_MAY_BOOTSTRAP alone", () => {
    const note = bashFunction(program, "note_etcd_founding");
    expect(note).toContain('[ ! -d "$ETCD_DATA_DIR/member" ] || return 0');
    expect(note).toContain('if [ "$KUBE_HA_MAY_BOOTSTRAP" = true ]; then : >"$FOUNDER_MARKER"; else rm -f "$FOUNDER_MARKER"; fi');
    expect(bashFunction(program, "may_init")).toBe('may_init() {\n[ -f "$FOUNDER_MARKER" ]\n}');
    expect(program).not.toContain("first_master_by_name");
    const node = bashFunction(program, "control_plane_node");
    expect(node).toMatch(/elif may_init; then\nkubeadm_init\n/);
    expect(node.indexOf(': >"$CONTROL_PLANE_DONE"')).toBeLessThan(node.indexOf('rm -f "$FOUNDER_MARKER"'));
  });

  it("inits or joins only when the node has not finished an earlier init or join", () => {
    expect(bashFunction(program, "control_plane_node")).toMatch(/if \[ -f "\$CONTROL_PLANE_DONE" \]; then\nlog "already a control-plane node"/);
    expect(program).toContain('kubeadm init --config "$KUBEADM_INIT"');
    expect(program).toContain('kubeadm join --config "$KUBEADM_JOIN"');
    expect(program).toContain("--org kubeadm:cluster-admins");
    expect(program).toContain("kubeadm token create");
  });

  it("mints the join credentials against the ready peer itself, and detours kubeadm's own calls with SNAT to this replica", () => {
    const join = bashFunction(program, "kubeadm_join");
    const steps = [
      'kubeconfig_server "$RUN_DIR/joiner.conf" "$peer"',
      "token=$(kubeadm token create --kubeconfig \"$RUN_DIR/joiner.conf\"",
      'kubeconfig_server "$KUBEADM_DISCOVERY" "$peer"',
      'detour_on "$peer"',
      'kubeadm join --config "$KUBEADM_JOIN"',
    ].map((s) => join.indexOf(s));
    expect(steps.every((p) => p >= 0)).toBe(true);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    expect(bashFunction(program, "kubeconfig_server")).toContain('set-cluster "$cluster" --server "https://$2:6443"');
    const detour = bashFunction(program, "detour_on");
    expect(detour).toContain("iptables -t nat -A POSTROUTING -j KUBE-HA-DETOUR-SNAT");
    expect(detour).toContain(
      'iptables -t nat -A KUBE-HA-DETOUR-SNAT -p tcp -d "$1" --dport 6443 -m conntrack --ctstate DNAT \\\n-j SNAT --to-source "$KUBE_HA_ADDRESS"',
    );
    expect(bashFunction(program, "detour_off")).toContain("iptables -t nat -F KUBE-HA-DETOUR-SNAT");
  });

  it("cleans up a failed kubeadm attempt before the next one, without kubeadm reset and without touching etcd", () => {
    const clean = bashFunction(program, "clean_partial_attempt");
    expect(clean).toContain("rm -f /etc/kubernetes/manifests/*.yaml /etc/kubernetes/*.conf /var/lib/kubelet/config.yaml");
    expect(clean).toContain("crictl --runtime-endpoint \"$CRI_SOCKET\" rmp --all --force");
    expect(clean).not.toMatch(/\/var\/lib\/etcd|ETCD_|\/etc\/kubernetes\/pki|kube-ha-etcd/);
    expect(program).not.toMatch(/kubeadm reset/);
    const node = bashFunction(program, "control_plane_node");
    expect(node.indexOf("clean_partial_attempt")).toBeLessThan(node.indexOf("for attempt in"));
    expect(node).toMatch(/log "no peer apiserver became ready: [^"]*"\nreturn 1/);
  });

  it("carries the kubeadm configuration with the endpoint, and the endpoint host for the join detour", () => {
    expect(program).toContain(`controlPlaneEndpoint: ${FIXTURE_LB[cloud]}:6443`);
    expect(program).toContain(`readonly API_ENDPOINT_HOST='${FIXTURE_LB[cloud]}'`);
  });
});

describe("kube-ha-boot.service", () => {
  const script = fixtureBootScript("gcp");
  const unit = script.slice(script.indexOf("write_file '/etc/systemd/system/kube-ha-boot.service' 0644"));

  it("runs the boot program as a oneshot that systemd restarts after a failure, with no start limit", () => {
    for (const line of ["Type=oneshot", "RemainAfterExit=yes", `ExecStart=${PATHS.bootProgram}`, "Restart=on-failure", "RestartSec=30s", "StartLimitIntervalSec=0"]) {
      expect(unit).toContain(`\n${line}\n`);
    }
  });

  it("is (re)written and started by every run of the startup-script, after the program it runs", () => {
    expect(script.indexOf(`write_file '${PATHS.bootProgram}'`)).toBeLessThan(script.indexOf("write_file '/etc/systemd/system/kube-ha-boot.service'"));
    expect(script).toMatch(/\nsystemctl daemon-reload\nsystemctl start --no-block kube-ha-boot\.service\n$/);
  });
});

describe("boot script inputs", () => {
  it("differ between clouds only where the cloud matters", () => {
    const gcp = fixtureBootProgram("gcp");
    const aws = fixtureBootProgram("aws");
    expect(gcp).toContain("metadata.google.internal");
    expect(gcp).not.toContain("aws_cli");
    expect(aws).toContain("aws_cli");
    expect(aws).not.toContain("metadata.google.internal");
  });

  it("installs the AWS CLI v2 as a snap on AWS (noble has no awscli apt package), before anything calls it", () => {
    const aws = fixtureBootProgram("aws");
    expect(aws).not.toMatch(/install_os_packages .*\bawscli\b/);
    expect(bashFunction(aws, "install_cloud_cli")).toContain("snap wait system seed.loaded && snap install aws-cli --classic && return 0");
    expect(bashFunction(aws, "install_cloud_cli")).toContain("[ -x /snap/bin/aws ] && return 0");
    expect(bashFunction(aws, "aws_cli")).toContain('/snap/bin/aws --region "$KUBE_HA_REGION"');
    const main = mainOf(aws);
    expect(main.indexOf("\ninstall_cloud_cli\n")).toBeGreaterThan(0);
    expect(main.indexOf("\ninstall_cloud_cli\n")).toBeLessThan(main.indexOf("\nwrite_key_material\n"));
    expect(fixtureBootProgram("gcp")).not.toContain("install_cloud_cli");
  });

  it("lists GCP instances page by page and matches the kube-ha labels and RUNNING status itself, without a server-side filter", () => {
    const discover = bashFunction(fixtureBootProgram("gcp"), "discover_replicas");
    expect(discover).not.toContain("filter=");
    expect(discover).toContain('page=$(gcp_api "$base${next:+&pageToken=$next}")');
    expect(discover).toContain("next=$(jq -r '.nextPageToken // empty | @uri' <<<\"$page\")");
    expect(discover).toContain('select(.status == "RUNNING" and .labels["kube-ha-cluster"] == $c and .labels["kube-ha-role"] == $r)');
    expect(discover).toMatch(/\[ "\$pages" -lt 20 \] \|\| \{/);
  });

  it("refuses an etcd member without its etcd parts or disk", () => {
    const plan = fixturePlan("gcp");
    const input = fixtureBootInput(plan, "gcp", plan.masters[0]!.name);
    expect(() => renderBootScript({ ...input, etcd: undefined })).toThrow(/needs its etcd parts/);
    expect(() => renderBootScript({ ...input, etcdDevice: undefined })).toThrow(/needs its etcd parts/);
  });

  it("finds each platform's etcd disk at a stable by-id path, and refuses a device name or volume id that is not one", () => {
    expect(gcpDiskDevicePath("kube-ha-etcd")).toBe("/dev/disk/by-id/google-kube-ha-etcd");
    expect(ebsVolumeDevicePath("vol-0abc12")).toBe("/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc12");
    expect(() => gcpDiskDevicePath("Kube_HA")).toThrow(/not a GCP device name/);
    expect(() => ebsVolumeDevicePath("vol-XYZ")).toThrow(/not an EBS volume id/);
  });

  it("keeps a here-document delimiter that appears in a file's content from ending the file early", () => {
    const plan = fixturePlan("gcp");
    const input = fixtureBootInput(plan, "gcp", plan.masters[0]!.name);
    const tricky = { ...input, etcd: { files: [{ path: "/etc/x", content: "a\nKUBE_HA_EOF\nb\n", mode: 0o644 }], run: "true" } };
    expect(renderBootProgram(tricky)).toContain("write_file '/etc/x' 0644 <<'KUBE_HA_EOF_1'\na\nKUBE_HA_EOF\nb\nKUBE_HA_EOF_1\n");
    expect(renderBootScript(tricky)).toContain(renderBootProgram(tricky));
  });

  it("renders an external-topology master that inits only on a blank etcd, and an etcd VM without kubeadm", () => {
    const plan = fixturePlan("gcp", 3, { etcdTopology: "external", etcdZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] });
    const master = renderBootProgram({ parts: gcpBootParts, plan, replicaName: plan.masters[0]!.name, endpointAddress: "34.1.1.1" });
    expect(master).not.toContain("run_etcd_member");
    expect(master).toContain("control_plane_node");
    const mayInit = bashFunction(master, "may_init");
    expect(mayInit).toContain("if ! first_master_by_name || ! etcd_is_blank; then return 1; fi");
    expect(master).toContain(`readonly ETCD_CLIENT_URLS='${plan.etcd.members.map((m) => m.clientUrl).join(",")}'`);
    expect(master).toContain(`readonly ETCD_REGISTRY_RANGE='{"key":"${btoa("/registry/")}","range_end":"${btoa("/registry0")}","count_only":true}'`);
    const etcdVm = renderBootProgram(fixtureBootInput(plan, "gcp", plan.etcdNodes[0]!.name));
    expect(etcdVm).toContain("run_etcd_member");
    expect(etcdVm).toContain("readonly ETCD_ROLE='etcd'");
    expect(etcdVm).not.toContain("kubeadm");
  });
});

describe("compact transport of the boot program", () => {
  it("drops comment lines, blank lines and indentation, but keeps the shebang, shellcheck directives, here-documents and multi-line strings", () => {
    const source = [
      "#!/bin/bash",
      "# a comment",
      "",
      "f() {",
      "  # indented comment",
      "  # shellcheck disable=SC2016",
      "  echo 'one # not a comment",
      "    still the same string'",
      "  cat <<'EOF'",
      "  # kept: here-document body",
      "",
      "EOF",
      "  x=1 # inline comment stays",
      "}",
      "",
    ].join("\n");
    expect(compactShell(source)).toBe(
      [
        "#!/bin/bash",
        "f() {",
        "# shellcheck disable=SC2016",
        "echo 'one # not a comment",
        "    still the same string'",
        "cat <<'EOF'",
        "  # kept: here-document body",
        "",
        "EOF",
        "x=1 # inline comment stays",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("ships the membership script compacted inside the boot program", () => {
    const plan = fixturePlan("aws");
    const name = plan.masters[0]!.name;
    const program = renderBootProgram({ ...fixtureBootInput(plan, "aws", name), etcd: renderEtcdBootParts(plan, name) });
    const full = renderMembershipScript();
    expect(program).toContain(compactShell(full));
    expect(program).not.toContain(full);
    expect(compactShell(full).length).toBeLessThan(full.length * 0.95);
  });

  // EC2 refuses user data over 16 KiB (16384 bytes, before base64); encodeUserData throws before the cloud
  // would. Measured with issue 9 (containerd + runc pinned, the membership script's crashed-join and quorum
  // fixes): 16,261 bytes for aws-ha, 16,321 with every name at its longest and a long DNS name — 63 bytes
  // of headroom. The next growth of the boot program (etcd snapshots, issue 14) must first move the
  // membership script out of user-data (e.g. into the replica's secret). Until then a stack whose boot
  // script would not fit is refused at plan time (components/platforms/aws/user-data-budget.ts).
  it.each([
    ["the aws-ha stack", "prod", (i: number) => `master-${"abc"[i]}`, undefined],
    ["the longest names allowed", "kube-prod-eu-west-1-blue", (i: number) => `master-eu-west-1${"abc"[i]}-000000`, "kube-api.prod.eu-west-1.internal.example-company.com"],
  ] as const)("keeps the gzipped AWS user-data of %s (3 masters) inside EC2's 16 KiB", async (_what, clusterName, nameOf, dns) => {
    const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
    const { plan } = planAwsControlPlane("x", {
      clusterName,
      region: "eu-west-1",
      replicas: ZONES.map((zone, i) => ({ name: nameOf(i), zone })),
      ...(dns ? { apiServerDnsName: dns } : {}),
    });
    expect(clusterName.length).toBeLessThanOrEqual(MAX_CLUSTER_NAME);
    expect(plan.masters.every((m) => m.name.length === MAX_REPLICA_NAME) || clusterName === "prod").toBe(true);
    const endpointAddress = `internal-${clusterName}-api-0123456789abcdef.elb.eu-west-1.amazonaws.com`;
    for (const replica of plan.masters) {
      const ud = await new Promise<{ userData?: string; userDataBase64?: string }>((r) =>
        awsUserData({ plan, replica, etcdVolumeId: "vol-0123456789abcdef0", endpointAddress }).apply((v) => r(v)),
      );
      const gz = Buffer.from(ud.userDataBase64!, "base64");
      expect(gz.length, replica.name).toBeLessThanOrEqual(USER_DATA_LIMIT_BYTES);
      const doc = parse(gunzipSync(gz).toString("utf8").replace(/^#cloud-config\n/, "")) as { write_files: { content: string }[] };
      expect(doc.write_files[0]!.content).toContain(`readonly KUBE_HA_REPLICA='${replica.name}'`);
      expect(decodeUserData(ud).startsWith("#cloud-config\n")).toBe(true);
      // Without compaction the same program would not fit this bound.
      const uncompacted = renderBootProgram(
        { parts: awsBootParts, plan, replicaName: replica.name, endpointAddress, etcdDevice: FIXTURE_ETCD_DEVICE.aws, etcd: renderEtcdBootParts(plan, replica.name) },
        { compact: false },
      );
      expect(gzipSync(uncompacted, { level: 9 }).length).toBeGreaterThan(gz.length);
    }
  });
});
