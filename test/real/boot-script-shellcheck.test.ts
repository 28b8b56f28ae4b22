import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLATFORMS } from "../../components/platforms";
import { renderBootProgram, renderBootScript } from "../../components/render/boot-script";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import { renderMembershipScript } from "../../components/render/membership-script";
import { compactShell } from "../../components/render/shell-compact";
import { CONTAINERD_VERSION, RUNC_VERSION } from "../../components/spec/defaults";
import type { Cloud } from "../../components/spec/schema";
import { bashFunction, fixtureBootInput, fixtureBootProgram, fixtureBootScript, fixturePlan } from "../support/boot-script-fixture";

const run = promisify(execFile);

/** The boot program's own one-line `log` function (it writes to stderr). */
function realLog(program: string): string {
  const line = /^log\(\) \{.*\}$/m.exec(program)?.[0];
  if (!line) throw new Error("no one-line log() in the boot program");
  return line;
}

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
    const master = renderBootProgram({ parts: PLATFORMS[cloud].bootParts, plan, replicaName: plan.masters[0]!.name, endpointAddress: "34.1.1.1" });
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
    const files = { "ca.crt": "CA-1\n", "etcd/ca.crt": "ETCD-CA-1\n", "etcd/server.crt": "ETCD-1\n", "apiserver.crt": "LEAF-1\n", "apiserver.key": "LEAF-KEY-1\n", "sa.key": "SA-1\n" };

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
    await write({ ...files, "apiserver.crt": "LEAF-2\n", "apiserver.key": "LEAF-KEY-2\n", "etcd/server.crt": "ETCD-2\n", "etcd/ca.crt": "ETCD-CA-2\n" });
    expect((await bash(script, env)).code).toBe(0);
    expect(await lastApplied()).toBe("etcd=true api=true");

    // A leaf changed on the machine (kubeadm certs renew) is put back to the store's copy.
    await writeFile(join(pki, "apiserver.crt"), "RENEWED-ON-THE-MACHINE\n");
    expect((await bash(script, env)).code).toBe(0);
    expect(await readFile(join(pki, "apiserver.crt"), "utf8")).toBe("LEAF-2\n");
  });

  it("write_key_material logs what it did and never a key: nothing of the fetched material reaches stdout or stderr", async () => {
    const pki = join(dir, "pki-quiet");
    const material = join(dir, "material-quiet.json");
    const secrets = {
      "ca.key": "-----BEGIN EC PRIVATE KEY-----\nQ0EtS0VZLXNob3VsZC1uZXZlci1iZS1wcmludGVk\n-----END EC PRIVATE KEY-----\n",
      "sa.key": "-----BEGIN RSA PRIVATE KEY-----\nU0EtS0VZLW5ldmVyLWluLWEtbG9n\n-----END RSA PRIVATE KEY-----\n",
      "apiserver.key": "-----BEGIN EC PRIVATE KEY-----\nTEVBRi1LRVktbm90LWluLWpvdXJuYWw=\n-----END EC PRIVATE KEY-----\n",
    };
    await writeFile(material, JSON.stringify({ ...secrets, "ca.crt": "-----BEGIN CERTIFICATE-----\nQ0EtQ0VSVA==\n-----END CERTIFICATE-----\n" }));
    const script = [
      "set -euo pipefail",
      realLog(program),
      `fetch_key_material() { cat '${material}'; }`,
      'apply_new_keys() { log "apply_new_keys $*"; }',
      bashFunction(program, "write_key_material"),
      "write_key_material",
      "write_key_material",
    ].join("\n");
    const r = await bash(script, { PKI_DIR: pki, KUBE_HA_SECRET_ID: "prod-master-b-pki" });
    expect(r.code, r.err).toBe(0);
    // The real log ran (so a printed key would have been seen) ...
    expect(r.err).toContain("[kube-ha] key material under");
    expect(r.err).toContain(": 4 written, 0 kept");
    expect(r.err).toContain(": 0 written, 4 kept");
    // ... and no line of any key, nor any key file's content, is in what the function printed.
    const printed = `${r.out}\n${r.err}`;
    for (const [file, key] of Object.entries(secrets)) {
      expect(await readFile(join(pki, file), "utf8")).toBe(key);
      for (const line of key.split("\n").filter((l) => l.length > 0 && !l.startsWith("-----"))) expect(printed, file).not.toContain(line);
    }
    expect(printed).not.toContain("PRIVATE KEY");
  });

  it("find_etcd_peers lets only the first replica by name found a cluster, and only when no member answers in either round", async () => {
    const listed = join(dir, "discovered");
    const next = join(dir, "discovered-after-settling");
    const sleeps = join(dir, "sleeps");
    const script = [
      "set -euo pipefail",
      realLog(program),
      `discover_replicas() { [ "$1" = "$ETCD_ROLE" ] && cat '${listed}'; }`,
      'etcd_member_answers() { case " $ANSWERING " in *" $1 "*) return 0 ;; *) return 1 ;; esac; }',
      `sleep() { echo "$1" >>'${sleeps}'; if [ -f '${next}' ]; then mv '${next}' '${listed}'; fi; }`,
      bashFunction(program, "find_etcd_peers"),
      "find_etcd_peers",
      'echo "may=$KUBE_HA_MAY_BOOTSTRAP endpoints=$ETCD_ENDPOINTS"',
    ].join("\n");
    const three = "master-b 10.10.16.10\nmaster-c 10.10.32.10\nmaster-d 10.10.48.10\n";
    const decide = async (replica: string, answering: string[], afterSettling?: string) => {
      await writeFile(listed, three);
      await rm(sleeps, { force: true });
      if (afterSettling !== undefined) await writeFile(next, afterSettling);
      else await rm(next, { force: true });
      const r = await bash(script, { ETCD_ROLE: "master", KUBE_HA_REPLICA: replica, SETTLE_SECONDS: "60", ANSWERING: answering.join(" ") });
      expect(r.code, r.err).toBe(0);
      const slept = (await readFile(sleeps, "utf8").catch(() => "")).split("\n").filter((l) => l.length > 0);
      return { out: r.out.trim(), slept };
    };

    // First by name, nobody answers, still so after settling: it may found the cluster.
    expect(await decide("master-b", [])).toEqual({ out: "may=true endpoints=https://10.10.32.10:2379,https://10.10.48.10:2379", slept: ["60"] });
    // Not first by name: never, even with nobody answering (the split-brain guard).
    expect(await decide("master-c", [])).toEqual({ out: "may=false endpoints=https://10.10.16.10:2379,https://10.10.48.10:2379", slept: [] });
    expect(await decide("master-d", [])).toMatchObject({ out: expect.stringMatching(/^may=false /) });
    // First by name but a peer answers: a cluster exists, join it.
    expect(await decide("master-b", ["10.10.48.10"])).toEqual({ out: "may=false endpoints=https://10.10.32.10:2379,https://10.10.48.10:2379", slept: [] });
    // First in round 1, but while settling an earlier-named replica appears: no.
    expect(await decide("master-b", [], `master-a 10.10.0.10\n${three}`)).toMatchObject({ out: expect.stringMatching(/^may=false /), slept: ["60"] });
  });

  it("kubelet_uses_local_apiserver points a master's kubelet at https://$KUBE_HA_ADDRESS:6443 and restarts it once", async () => {
    const root = join(dir, "kubelet-root");
    const conf = join(root, "kubelet.conf");
    const calls = join(root, "calls");
    const stubs = join(root, "bin");
    await mkdir(stubs, { recursive: true });
    // A kubectl that reads and sets the first cluster's server in the file, like the real one does.
    await writeFile(
      join(stubs, "kubectl"),
      [
        "#!/bin/bash",
        `echo "kubectl $*" >>'${calls}'`,
        'conf=$2; shift 2',
        'case "$*" in',
        "  \"config view -o jsonpath={.clusters[0].cluster.server}\") sed -n 's/^    server: //p' \"$conf\" | head -n 1 ;;",
        "  \"config view -o jsonpath={.clusters[0].name}\") sed -n 's/^  name: //p' \"$conf\" | head -n 1 ;;",
        '  "config set-cluster "*) [ "$3" = kubernetes ] && [ "$4" = --server ] && sed -i "s|^    server: .*|    server: $5|" "$conf" ;;',
        '  *) echo "unexpected kubectl $*" >&2; exit 1 ;;',
        "esac",
        "",
      ].join("\n"),
    );
    await writeFile(join(stubs, "systemctl"), `#!/bin/bash\necho "systemctl $*" >>'${calls}'\n`);
    await chmod(join(stubs, "kubectl"), 0o755);
    await chmod(join(stubs, "systemctl"), 0o755);
    const fn = bashFunction(program, "kubelet_uses_local_apiserver").replaceAll("/etc/kubernetes/kubelet.conf", conf);
    const script = ["set -euo pipefail", realLog(program), bashFunction(program, "kubeconfig_server"), fn, "kubelet_uses_local_apiserver"].join("\n");
    const env = { PATH: `${stubs}:${process.env["PATH"] ?? "/usr/bin:/bin"}`, KUBE_HA_ADDRESS: "10.10.16.10" };
    const kubeletConf = (server: string) =>
      ["apiVersion: v1", "clusters:", "- cluster:", "    certificate-authority-data: Q0E=", `    server: ${server}`, "  name: kubernetes", "kind: Config", ""].join("\n");
    const restarts = async () => (await readFile(calls, "utf8").catch(() => "")).split("\n").filter((l) => l === "systemctl restart kubelet").length;

    // No kubelet.conf yet (kubeadm has not run): nothing to do.
    expect((await bash(script, env)).code).toBe(0);
    expect(await restarts()).toBe(0);

    // kubeadm wrote the LB's address: rewritten to the local apiserver, kubelet restarted.
    await writeFile(conf, kubeletConf("https://34.120.1.2:6443"));
    const r = await bash(script, env);
    expect(r.code, r.err).toBe(0);
    expect(await readFile(conf, "utf8")).toBe(kubeletConf("https://10.10.16.10:6443"));
    expect(await restarts()).toBe(1);
    expect(r.err).toContain("[kube-ha] kubelet now talks to the local apiserver");

    // Already local (every later boot): left alone, no restart.
    expect((await bash(script, env)).code).toBe(0);
    expect(await restarts()).toBe(1);
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

  it("install_container_runtime installs runc and containerd only from downloads matching the pinned SHA-256 of the machine's architecture, and downloads nothing once they are installed", async () => {
    const root = join(dir, "runtime");
    const releases = join(root, "releases");
    const stubs = join(root, "stubs");
    const calls = join(root, "curl-calls");
    await mkdir(join(releases, "pkg", "bin"), { recursive: true });
    await mkdir(stubs, { recursive: true });
    // Stand-ins for the release files: a runc and a containerd that report the pinned versions.
    await writeFile(join(releases, "runc.arm64"), `#!/bin/bash\nprintf 'runc version ${RUNC_VERSION}\\ncommit: v${RUNC_VERSION}-0-g1\\n'\n`);
    await writeFile(join(releases, "pkg", "bin", "containerd"), `#!/bin/bash\necho 'containerd github.com/containerd/containerd/v2 v${CONTAINERD_VERSION} 0123abcd'\n`);
    await writeFile(join(releases, "pkg", "bin", "ctr"), "#!/bin/bash\n");
    await run("tar", ["-czf", join(releases, "containerd-arm64.tar.gz"), "-C", join(releases, "pkg"), "bin"]);
    const sha = async (file: string) => (await run("sha256sum", [file])).stdout.split(" ")[0]!;
    const good = { runc: await sha(join(releases, "runc.arm64")), containerd: await sha(join(releases, "containerd-arm64.tar.gz")) };
    await writeFile(join(stubs, "dpkg"), "#!/bin/bash\necho arm64\n");
    // curl -fsSL --retry 5 -o DEST URL: serves the stand-ins by URL and records each call.
    await writeFile(join(stubs, "curl"), `#!/bin/bash\necho "\${@: -1}" >>'${calls}'\ncp "${releases}/\$(basename "\${@: -1}")" "\${@: -2:1}"\n`);
    for (const f of ["dpkg", "curl"]) await chmod(join(stubs, f), 0o755);

    const fn = [bashFunction(program, "fetch_release"), bashFunction(program, "install_container_runtime")]
      .join("\n")
      .replaceAll("/usr/local/sbin/runc", `${root}/sbin/runc`)
      .replaceAll("/usr/local/bin", `${root}/bin`);
    const script = ["set -euo pipefail", "log() { echo \"log: $*\" >&2; }", "RUNTIME_CHANGED=false", fn, "install_container_runtime", 'echo "changed=$RUNTIME_CHANGED"'].join("\n");
    await mkdir(join(root, "bin"), { recursive: true });
    const env = (sums: { runc: string; containerd: string }) => ({
      PATH: `${stubs}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      RUNC_VERSION,
      CONTAINERD_VERSION,
      RUNC_RELEASE_URL: "https://example.invalid/runc.ARCH",
      CONTAINERD_RELEASE_URL: "https://example.invalid/containerd-ARCH.tar.gz",
      RUNC_SHA256_AMD64: "0".repeat(64),
      RUNC_SHA256_ARM64: sums.runc,
      CONTAINERD_SHA256_AMD64: "0".repeat(64),
      CONTAINERD_SHA256_ARM64: sums.containerd,
    });
    const curlCalls = async () => (await readFile(calls, "utf8").catch(() => "")).split("\n").filter((l) => l.length > 0);
    const exists = (p: string) => stat(p).then(() => true, () => false);

    // A containerd tarball that does not match its pinned SHA-256 is refused before anything is unpacked.
    const refused = await bash(script, env({ ...good, containerd: "f".repeat(64) }));
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain("no https://example.invalid/containerd-arm64.tar.gz matching its pinned SHA-256: refusing it");
    expect(await exists(join(root, "bin", "containerd"))).toBe(false);
    expect(await curlCalls()).toEqual(["https://example.invalid/runc.arm64", "https://example.invalid/containerd-arm64.tar.gz"]);

    // With the right sums: the arm64 files, installed and executable.
    const first = await bash(script, env(good));
    expect(first, first.err).toMatchObject({ code: 0, out: "changed=true\n" });
    expect((await curlCalls()).slice(2)).toEqual(["https://example.invalid/containerd-arm64.tar.gz"]);
    expect((await run(join(root, "bin", "containerd"), ["--version"])).stdout).toContain(` v${CONTAINERD_VERSION} `);
    expect((await run(join(root, "sbin", "runc"), ["--version"])).stdout).toMatch(new RegExp(`^runc version ${RUNC_VERSION.replaceAll(".", "\\.")}\n`));
    expect(await exists(join(root, "bin", "ctr"))).toBe(true);

    // A reboot: both report their pinned versions, so nothing is downloaded and nothing changes.
    const again = await bash(script, env(good));
    expect(again).toMatchObject({ code: 0, out: "changed=false\n" });
    expect(await curlCalls()).toHaveLength(3);
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
