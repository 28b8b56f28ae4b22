import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBootProgram, renderBootScript } from "../../components/render/boot-script";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import { renderMembershipScript } from "../../components/render/membership-script";
import { compactShell } from "../../components/render/shell-compact";
import type { Cloud } from "../../components/spec/schema";
import { bashFunction, fixtureBootInput, fixtureBootProgram, fixtureBootScript, fixturePlan } from "../support/boot-script-fixture";

const run = promisify(execFile);

/** shellcheck's findings for a script (any severity), or "" when clean. Fails when shellcheck is missing. */
async function shellcheck(dir: string, name: string, script: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, script, { mode: 0o644 });
  try {
    await run("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", file], { timeout: 30_000 });
    return "";
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (err.code === "ENOENT") throw new Error("shellcheck is not installed: apt-get install shellcheck (.ci/run installs it)");
    return `${err.stdout ?? ""}${err.stderr ?? ""}` || String(e);
  }
}

/** Runs bash with a script on stdin-free `-c`, bounded in time; returns stdout, stderr and the exit code. */
async function bash(script: string, env: Record<string, string> = {}): Promise<{ out: string; err: string; code: number }> {
  try {
    const { stdout, stderr } = await run("bash", ["-c", script], { timeout: 20_000, env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env } });
    return { out: stdout, err: stderr, code: 0 };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: string; stderr?: string; code?: number | string };
    if (err.code === "ENOENT") throw new Error("bash is not installed");
    return { out: err.stdout ?? "", err: err.stderr ?? "", code: typeof err.code === "number" ? err.code : -1 };
  }
}

describe("shellcheck on the rendered boot scripts", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kube-ha-boot-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("finds shellcheck on the PATH", async () => {
    const { stdout } = await run("shellcheck", ["--version"], { timeout: 10_000 });
    expect(stdout).toMatch(/version: \d+\.\d+/);
  });

  it.each<Cloud>(["gcp", "aws"])("passes for a %s master: the startup-script / user-data and the boot program it installs", async (cloud) => {
    expect(await shellcheck(dir, `${cloud}-master.sh`, fixtureBootScript(cloud))).toBe("");
    expect(await shellcheck(dir, `${cloud}-master-program.sh`, fixtureBootProgram(cloud))).toBe("");
    expect(await shellcheck(dir, `${cloud}-master-program-full.sh`, fixtureBootProgram(cloud, 0, 3, false))).toBe("");
  });

  it.each<Cloud>(["gcp", "aws"])("passes for a %s master with the real etcd parts embedded", async (cloud) => {
    const plan = fixturePlan(cloud);
    const name = plan.masters[0]!.name;
    const input = { ...fixtureBootInput(plan, cloud, name), etcd: renderEtcdBootParts(plan, name) };
    expect(await shellcheck(dir, `${cloud}-master-real-etcd.sh`, renderBootScript(input))).toBe("");
    expect(await shellcheck(dir, `${cloud}-master-real-etcd-program.sh`, renderBootProgram(input))).toBe("");
  });

  it.each<Cloud>(["gcp", "aws"])("passes for a %s master and a dedicated etcd VM of the external topology", async (cloud) => {
    const zones = fixturePlan(cloud).masters.map((m) => m.zone);
    const plan = fixturePlan(cloud, 3, { etcdTopology: "external", etcdZones: zones });
    const master = renderBootProgram({ cloud, plan, replicaName: plan.masters[0]!.name, endpointAddress: "34.1.1.1" });
    expect(await shellcheck(dir, `${cloud}-external-master.sh`, master)).toBe("");
    expect(await shellcheck(dir, `${cloud}-etcd.sh`, renderBootProgram(fixtureBootInput(plan, cloud, plan.etcdNodes[0]!.name)))).toBe("");
  });

  it("passes for the compacted membership script, which bash parses and whose --help is unchanged", async () => {
    const full = renderMembershipScript();
    const compact = compactShell(full);
    expect(await shellcheck(dir, "kube-ha-etcd-compact.sh", compact)).toBe("");
    const files = { full: join(dir, "kube-ha-etcd-full"), compact: join(dir, "kube-ha-etcd") };
    await writeFile(files.full, full);
    await writeFile(files.compact, compact);
    expect((await bash(`bash -n '${files.compact}'`)).code).toBe(0);
    const [a, b] = [await bash(`bash '${files.full}' --help`), await bash(`bash '${files.compact}' --help`)];
    expect(a.out.length).toBeGreaterThan(200);
    expect(b).toEqual({ ...a, out: a.out.replaceAll("kube-ha-etcd-full", "kube-ha-etcd"), err: a.err.replaceAll("kube-ha-etcd-full", "kube-ha-etcd") });
  });

  it("reports a real finding, so a clean result means something", async () => {
    expect(await shellcheck(dir, "bad.sh", "#!/bin/bash\necho $UNQUOTED_VAR\n")).toMatch(/SC2086/);
  });
});

describe("boot program functions, run by bash", () => {
  let dir: string;
  const program = fixtureBootProgram("gcp");
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "kube-ha-fn-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("write_key_material keeps every file equal to the secret store's (CAs, sa.* and leaves) and says which components to restart", async () => {
    const pki = join(dir, "pki");
    const material = join(dir, "material.json");
    const applied = join(dir, "applied");
    const write = (files: Record<string, string>) => writeFile(material, JSON.stringify(files));
    const script = [
      "set -euo pipefail",
      "log() { :; }",
      `fetch_key_material() { cat '${material}'; }`,
      `apply_new_keys() { echo "etcd=$1 api=$2" >>'${applied}'; }`,
      bashFunction(program, "write_key_material"),
      "write_key_material",
    ].join("\n");
    const env = { PKI_DIR: pki, KUBE_HA_SECRET_ID: "prod-master-a-pki" };
    const lastApplied = async () => (await readFile(applied, "utf8")).trim().split("\n").pop();
    const files = { "ca.crt": "CA-1\n", "etcd/ca.key": "ETCD-CA-KEY-1\n", "etcd/server.crt": "ETCD-1\n", "apiserver.crt": "LEAF-1\n", "apiserver.key": "LEAF-KEY-1\n", "sa.key": "SA-1\n" };

    await write(files);
    expect((await bash(script, env)).code).toBe(0);
    expect(await readFile(join(pki, "apiserver.crt"), "utf8")).toBe("LEAF-1\n");
    expect((await stat(join(pki, "apiserver.key"))).mode & 0o777).toBe(0o600);
    expect((await stat(join(pki, "ca.crt"))).mode & 0o777).toBe(0o644);

    // Nothing changed: nothing written, nothing to restart.
    expect((await bash(script, env)).code).toBe(0);
    expect(await lastApplied()).toBe("etcd=false api=false");

    // pulumi up re-issued the apiserver's leaf (30 days before expiry): the new one replaces the one on disk.
    await write({ ...files, "apiserver.crt": "LEAF-2\n", "apiserver.key": "LEAF-KEY-2\n" });
    expect((await bash(script, env)).code).toBe(0);
    expect(await readFile(join(pki, "apiserver.crt"), "utf8")).toBe("LEAF-2\n");
    expect(await readFile(join(pki, "apiserver.key"), "utf8")).toBe("LEAF-KEY-2\n");
    expect((await stat(join(pki, "apiserver.key"))).mode & 0o777).toBe(0o600);
    expect(await lastApplied()).toBe("etcd=false api=true");

    // A renewed etcd server leaf restarts etcd only; a rotated etcd CA both (the apiserver trusts it too).
    await write({ ...files, "apiserver.crt": "LEAF-2\n", "apiserver.key": "LEAF-KEY-2\n", "etcd/server.crt": "ETCD-2\n" });
    expect((await bash(script, env)).code).toBe(0);
    expect(await readFile(join(pki, "etcd/server.crt"), "utf8")).toBe("ETCD-2\n");
    expect(await lastApplied()).toBe("etcd=true api=false");
    await write({ ...files, "apiserver.crt": "LEAF-2\n", "apiserver.key": "LEAF-KEY-2\n", "etcd/server.crt": "ETCD-2\n", "etcd/ca.key": "ETCD-CA-KEY-2\n" });
    expect((await bash(script, env)).code).toBe(0);
    expect(await lastApplied()).toBe("etcd=true api=true");

    // A leaf changed on the machine (kubeadm certs renew) is put back to the store's copy.
    await writeFile(join(pki, "apiserver.crt"), "RENEWED-ON-THE-MACHINE\n");
    expect((await bash(script, env)).code).toBe(0);
    expect(await readFile(join(pki, "apiserver.crt"), "utf8")).toBe("LEAF-2\n");
  });

  it("apply_new_keys restarts a running etcd through its unit and the apiserver's and controller-manager's containers through crictl", async () => {
    const log = join(dir, "restarts");
    const stubs = [
      "set -euo pipefail",
      "log() { :; }",
      `systemctl() { echo "systemctl $*" >>'${log}'; [ "$1" != is-active ] || [ "$ETCD_ACTIVE" = true ]; }`,
      `crictl() { echo "crictl $*" >>'${log}'; case "$*" in *" ps "*) printf 'c1\\nc2\\n' ;; esac; }`,
      bashFunction(program, "apply_new_keys"),
    ].join("\n");
    const calls = async (args: string, etcdActive: boolean) => {
      await rm(log, { force: true });
      expect((await bash(`${stubs}\napply_new_keys ${args}`, { ETCD_ACTIVE: String(etcdActive) })).code).toBe(0);
      return (await readFile(log, "utf8").catch(() => "")).trim().split("\n").filter((l) => l.length > 0);
    };
    const endpoint = "crictl --runtime-endpoint unix:///run/containerd/containerd.sock";
    expect(await calls("true true", true)).toEqual([
      "systemctl is-active --quiet kube-ha-etcd.service",
      "systemctl try-restart kube-ha-etcd.service",
      `${endpoint} ps -q --name ^kube-(apiserver|controller-manager)$`,
      `${endpoint} stop c1`,
      `${endpoint} stop c2`,
    ]);
    // First boot: etcd not running yet, so nothing to restart; nothing changed: nothing at all.
    expect(await calls("true false", false)).toEqual(["systemctl is-active --quiet kube-ha-etcd.service"]);
    expect(await calls("false false", true)).toEqual([]);
  });

  it("note_etcd_founding marks the founder only when its member starts from an empty data directory", async () => {
    const data = join(dir, "etcd-data");
    const marker = join(dir, "state", "founder");
    const script = ["set -euo pipefail", bashFunction(program, "note_etcd_founding"), "note_etcd_founding"].join("\n");
    const env = (mayBootstrap: boolean) => ({ ETCD_DATA_DIR: data, FOUNDER_MARKER: marker, KUBE_HA_MAY_BOOTSTRAP: String(mayBootstrap) });
    const exists = (p: string) => stat(p).then(() => true, () => false);

    expect((await bash(script, env(true))).code).toBe(0);
    expect(await exists(marker)).toBe(true);
    expect((await bash(script, env(false))).code).toBe(0);
    expect(await exists(marker)).toBe(false);

    // The member founded the cluster and has data; a retry (peers now answer) keeps the marker.
    expect((await bash(script, env(true))).code).toBe(0);
    await mkdir(join(data, "member"), { recursive: true });
    expect((await bash(script, env(false))).code).toBe(0);
    expect(await exists(marker)).toBe(true);
    // A member with data that never founded gets no marker.
    await rm(marker);
    expect((await bash(script, env(true))).code).toBe(0);
    expect(await exists(marker)).toBe(false);
  });

  it("clean_partial_attempt removes a failed attempt's kubeconfigs and manifests and leaves a clean node alone", async () => {
    const root = join(dir, "root");
    const clean = bashFunction(program, "clean_partial_attempt").replaceAll("/etc/kubernetes", `${root}/etc/kubernetes`).replaceAll("/var/lib/kubelet", `${root}/var/lib/kubelet`);
    const stubs = join(dir, "bin");
    await mkdir(stubs, { recursive: true });
    for (const tool of ["systemctl", "crictl"]) {
      await writeFile(join(stubs, tool), `#!/bin/bash\necho "${tool} $*" >>'${dir}/calls'\n`);
      await chmod(join(stubs, tool), 0o755);
    }
    const script = ["set -euo pipefail", "log() { :; }", "PARTIAL_ATTEMPT=false", clean, "clean_partial_attempt", 'echo "partial=$PARTIAL_ATTEMPT"'].join("\n");
    const env = { PATH: `${stubs}:${process.env["PATH"] ?? "/usr/bin:/bin"}`, CRI_SOCKET: "unix:///run/containerd/containerd.sock" };

    expect((await bash(script, env)).out).toBe("partial=false\n");
    await mkdir(join(root, "etc/kubernetes/manifests"), { recursive: true });
    await mkdir(join(root, "etc/kubernetes/pki"), { recursive: true });
    await mkdir(join(root, "var/lib/kubelet/pki"), { recursive: true });
    for (const f of ["etc/kubernetes/manifests/kube-apiserver.yaml", "etc/kubernetes/kubelet.conf", "etc/kubernetes/pki/ca.crt", "var/lib/kubelet/config.yaml"]) {
      await writeFile(join(root, f), "x\n");
    }
    expect((await bash(script, env)).out).toBe("partial=true\n");
    const exists = (p: string) => stat(join(root, p)).then(() => true, () => false);
    expect(await exists("etc/kubernetes/manifests/kube-apiserver.yaml")).toBe(false);
    expect(await exists("etc/kubernetes/kubelet.conf")).toBe(false);
    expect(await exists("var/lib/kubelet/config.yaml")).toBe(false);
    expect(await exists("var/lib/kubelet/pki")).toBe(false);
    expect(await exists("etc/kubernetes/pki/ca.crt")).toBe(true);
    expect(await readFile(join(dir, "calls"), "utf8")).toBe("systemctl stop kubelet\ncrictl --runtime-endpoint unix:///run/containerd/containerd.sock rmp --all --force\n");
  });
});
