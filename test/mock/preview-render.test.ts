import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { main } from "../../components/cli/main";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { READABLE_BOOT_PROGRAM, replicaFiles } from "../../components/preview/replica-files";
import { parseClusterSpec } from "../../components/spec/validate";
import { compactShell } from "../../components/render/shell-compact";

const REPO = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-render-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(argv: string[]) {
  let out = "";
  let err = "";
  const code = await main(argv, { cwd: REPO, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), "utf8");
const mode = (dir: string, file: string) => fs.statSync(path.join(dir, file)).mode & 0o777;

describe("kube-ha render --stack gcp-ha --replica master-c --out DIR", () => {
  const out = path.join(tmp, "master-c");
  let result: { code: number; out: string; err: string };
  beforeAll(async () => {
    result = await cli(["render", "--stack", "gcp-ha", "--replica", "master-c", "--out", out]);
  });

  it("writes the boot script exactly as the component hands it to the instance", () => {
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const script = read(out, "startup-script.sh");
    expect(script.startsWith("#!/bin/bash\n")).toBe(true);
    expect(script).toContain("master-c");
    expect(script).not.toMatch(/PRIVATE KEY|\[secret\]/);
    expect(mode(out, "startup-script.sh")).toBe(0o755);
  });

  it("writes the boot program readable, uncompacted, next to it: the very program the startup script installs", () => {
    const readable = read(out, "boot-program.sh");
    expect(mode(out, "boot-program.sh")).toBe(0o755);
    expect(readable.startsWith("#!/bin/bash\n# kube-ha boot program: master master-c of cluster")).toBe(true);
    // Comments and indentation kept: the installed copy has them stripped.
    expect(readable).toMatch(/^# write_kubeadm_config: /m);
    expect(readable).toMatch(/^ {2}\S/m);
    const installed = compactShell(readable);
    expect(installed.length).toBeLessThan(readable.length);
    expect(read(out, "startup-script.sh")).toContain(`<<'${heredocDelimiterOf(read(out, "startup-script.sh"), "/usr/local/sbin/kube-ha-boot")}'\n${installed}`);
  });

  it("names both boot files in README.txt, saying which is installed and which to read", () => {
    const readme = read(out, "README.txt");
    expect(readme).toMatch(/^ {2}startup-script\.sh is what the instance receives, byte for byte\./m);
    expect(readme).toMatch(/^ {2}boot-program\.sh is that same program before compaction/m);
    expect(readme).toMatch(/^ {2}startup-script\.sh {2}GCP startup-script of instance /m);
    expect(readme).toMatch(/^ {2}boot-program\.sh {2}\/usr\/local\/sbin\/kube-ha-boot before compaction/m);
  });

  it("writes the etcd member's config, unit, membership script and start step", () => {
    const config = read(out, "rootfs/etc/kube-ha/etcd/config.yaml");
    expect(config).toMatch(/^name: master-c$/m);
    expect(config).toContain("https://10.10.32.10:2380");
    expect(fs.existsSync(path.join(out, "rootfs/etc/systemd/system/kube-ha-etcd.service"))).toBe(true);
    expect(read(out, "rootfs/usr/local/bin/kube-ha-etcd").startsWith("#!")).toBe(true);
    expect(mode(out, "rootfs/usr/local/bin/kube-ha-etcd")).toBe(0o755);
    expect(read(out, "etcd-start.sh")).toContain("'/usr/local/bin/kube-ha-etcd' join");
  });

  it("writes the kubeadm configuration naming the load balancer as the control-plane endpoint", () => {
    const docs = parseAllDocuments(read(out, "rootfs/etc/kube-ha/kubeadm.yaml")).map((d) => d.toJS() as Record<string, unknown>);
    expect(docs.map((d) => d["kind"])).toEqual(["InitConfiguration", "ClusterConfiguration"]);
    expect(docs[1]!["controlPlaneEndpoint"]).toMatch(/^203\.0\.113\.\d+:6443$/);
    expect(read(out, "rootfs/etc/kube-ha/kubeadm-join.yaml")).toContain("kind: JoinConfiguration");
  });

  it("writes key files only as placeholders that say where the real ones come from", () => {
    const pki = path.join(out, "rootfs/etc/kubernetes/pki");
    for (const f of ["ca.crt", "ca.key", "apiserver.key", "etcd/peer.key", "etcd/server.crt", "sa.key"]) {
      const text = read(pki, f);
      expect(text).toContain("PLACEHOLDER");
      expect(text).toContain('"gcp-ha-master-c-pki"');
      expect(text).not.toContain("BEGIN");
    }
    expect(mode(pki, "ca.key")).toBe(0o600);
    expect(read(out, "README.txt")).toContain("offline placeholder");
  });
});

describe("kube-ha render --stack aws-ha --replica master-b --out DIR", () => {
  const out = path.join(tmp, "aws-master-b");
  let result: { code: number; out: string; err: string };
  beforeAll(async () => {
    result = await cli(["render", "--stack", "aws-ha", "--replica", "master-b", "--out", out]);
  });

  it("writes the user-data as received and the readable boot program it installs, for the replica's own etcd volume", () => {
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const userData = read(out, "user-data");
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const installer = (parse(userData) as { write_files: { content: string }[] }).write_files[0]!.content;
    const readable = read(out, "boot-program.sh");
    expect(readable).toMatch(/^# kube-ha boot program: master master-b of cluster/m);
    expect(readable).toMatch(/nvme-Amazon_Elastic_Block_Store_vol[0-9a-f]+/);
    expect(installer).toContain(`\n${compactShell(readable)}`);
    expect(read(out, "README.txt")).toContain("user-data is what the instance receives, byte for byte.");
  });
});

describe("the readable boot program, without a recorded etcd disk", () => {
  const plan = planControlPlane(parseClusterSpec({ cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a"] }));
  const boot = { fileName: "user-data", content: "#cloud-config\n", what: "user-data" };

  it("is left out, and README.txt says why, rather than naming a disk the instance does not have", () => {
    const files = replicaFiles({ plan, replicaName: plan.masters[0]!.name, endpointAddress: "api.example.com", boot });
    expect(files.map((f) => f.path)).not.toContain(READABLE_BOOT_PROGRAM);
    expect(files.find((f) => f.path === "README.txt")!.content).toContain(`(no ${READABLE_BOOT_PROGRAM}: the etcd data disk of ${plan.masters[0]!.name} was not recorded`);
  });

  it("is written once the disk is known", () => {
    const files = replicaFiles({
      plan,
      replicaName: plan.masters[0]!.name,
      endpointAddress: "api.example.com",
      boot: { ...boot, etcdDevice: "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0" },
    });
    expect(files.find((f) => f.path === READABLE_BOOT_PROGRAM)!.content).toContain("nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0");
  });
});

describe("kube-ha render refusals", () => {
  it("--with-secrets says what it cannot do offline, exits 2 and writes nothing", async () => {
    const dir = path.join(tmp, "with-secrets");
    const { code, err } = await cli(["render", "--replica", "master-b", "--out", dir, "--with-secrets"]);
    expect(code).toBe(2);
    expect(err).toContain("exists only after `pulumi up`");
    expect(err).toContain("will not write fake keys");
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("an unknown replica lists the stack's replicas", async () => {
    const dir = path.join(tmp, "unknown");
    const { code, err } = await cli(["render", "--replica", "master-z", "--out", dir]);
    expect(code).toBe(2);
    expect(err).toContain('no replica "master-z": its replicas are master-b, master-c, master-d');
    expect(fs.existsSync(dir)).toBe(false);
  });

  it("--replica and --out are required", async () => {
    const { code, err } = await cli(["render", "--stack", "gcp-ha"]);
    expect(code).not.toBe(0);
    expect(err).toContain("--replica");
  });
});

/** The here-document delimiter the installer writes `path` with (write_file PATH MODE <<'EOF'). */
function heredocDelimiterOf(script: string, target: string): string {
  const m = new RegExp(`^write_file '?${target.replace(/[/.]/g, "\\$&")}'? \\d+ <<'([^']+)'$`, "m").exec(script);
  expect(m, `write_file ${target}`).not.toBeNull();
  return m![1]!;
}
