/**
 * Cloud end-to-end: a real stack grown 1 → 3, a replica replaced, then
 * destroyed — kube-up's HA-master scenario against a real cloud. Opt-in: it
 * needs the `pulumi` and `kubectl` CLIs, cloud credentials and these
 * variables, and costs money for about an hour:
 *
 *   KUBE_HA_E2E_CLOUD=gcp|aws   KUBE_HA_E2E_REGION=europe-west1
 *   KUBE_HA_E2E_ZONES=europe-west1-b,europe-west1-c,europe-west1-d
 *   KUBE_HA_E2E_GCP_PROJECT=my-project          (gcp only)
 *   KUBE_HA_E2E_ALLOWED_CIDR=<your address>/32  (who may reach 6443)
 *
 * The Pulumi backend is whatever `pulumi` is logged in to (PULUMI_BACKEND_URL,
 * PULUMI_CONFIG_PASSPHRASE for a local one). Without all of that the suite is
 * skipped, with the reason in its title; it is never counted as verification
 * on machines that cannot reach a cloud.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const REPO = path.join(__dirname, "..", "..");
const env = process.env;
const onPath = (bin: string) => spawnSync("sh", ["-c", `command -v ${bin}`]).status === 0;

function missing(): string[] {
  const m: string[] = [];
  if (!onPath("pulumi")) m.push("the pulumi CLI");
  if (!onPath("kubectl")) m.push("kubectl");
  for (const v of ["KUBE_HA_E2E_CLOUD", "KUBE_HA_E2E_REGION", "KUBE_HA_E2E_ZONES", "KUBE_HA_E2E_ALLOWED_CIDR"]) if (!env[v]) m.push(v);
  if (env.KUBE_HA_E2E_CLOUD === "gcp" && !env.KUBE_HA_E2E_GCP_PROJECT) m.push("KUBE_HA_E2E_GCP_PROJECT");
  return m;
}
const absent = missing();
const title = absent.length
  ? `cloud end-to-end (skipped: needs ${absent.join(", ")}; see the comment at the top of this file)`
  : `cloud end-to-end on ${env.KUBE_HA_E2E_CLOUD} ${env.KUBE_HA_E2E_REGION}`;

describe.skipIf(absent.length > 0)(title, () => {
  const cloud = env.KUBE_HA_E2E_CLOUD!;
  const zones = (env.KUBE_HA_E2E_ZONES ?? "").split(",").map((z) => z.trim());
  const stack = `e2e-${Date.now().toString(36)}`;
  // Made by the test itself: describe bodies also run when the suite is skipped.
  let work = "";
  const kubeconfig = () => path.join(work, "admin.conf");

  const run = (cmd: string, args: string[], extra: Record<string, string> = {}) =>
    execFileSync(cmd, args, { cwd: work, env: { ...env, ...extra }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], timeout: 45 * 60_000 });
  const kubeHa = (...args: string[]) => run(process.execPath, [path.join(REPO, "bin", "kube-ha.js"), ...args, "--stack", stack]);
  // kube-ha installs no CNI, so Nodes stay NotReady; the apiserver static pods (host network) are Ready once
  // their local etcd member serves, i.e. after it was promoted.
  const readyApiservers = () =>
    run("kubectl", ["--kubeconfig", kubeconfig(), "get", "pods", "-n", "kube-system", "-l", "component=kube-apiserver", "-o", "jsonpath={range .items[*]}{.metadata.name}={.status.conditions[?(@.type==\"Ready\")].status} {end}"])
      .trim()
      .split(/\s+/)
      .filter((e) => e.endsWith("=True")).length;
  async function waitForApiservers(n: number) {
    const until = Date.now() + 30 * 60_000;
    while (Date.now() < until) {
      try {
        if (readyApiservers() === n) return;
      } catch {
        // the endpoint may be briefly unavailable while replicas change
      }
      await new Promise((r) => setTimeout(r, 20_000));
    }
    throw new Error(`timed out waiting for ${n} Ready kube-apiserver pods`);
  }

  afterAll(() => {
    if (!work) return;
    spawnSync(process.execPath, [path.join(REPO, "bin", "kube-ha.js"), "destroy", "--yes", "--stack", stack], { cwd: work, env, stdio: "inherit", timeout: 45 * 60_000 });
    spawnSync("pulumi", ["stack", "rm", "--yes", stack], { cwd: work, env, stdio: "inherit" });
    fs.rmSync(work, { recursive: true, force: true });
  });

  it("builds one master behind the load balancer, grows to 3 across zones and replaces one, losing nothing", async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-e2e-"));
    for (const f of ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json", "tsconfig.build.json", "components"]) {
      fs.cpSync(path.join(REPO, f), path.join(work, f), { recursive: true });
    }
    fs.symlinkSync(path.join(REPO, "node_modules"), path.join(work, "node_modules"));
    fs.mkdirSync(path.join(work, "stacks"));
    const lines = [
      "config:",
      ...(cloud === "gcp" ? [`  gcp:project: ${env.KUBE_HA_E2E_GCP_PROJECT}`, `  gcp:region: ${env.KUBE_HA_E2E_REGION}`] : [`  aws:region: ${env.KUBE_HA_E2E_REGION}`]),
      `  kube-ha:cloud: ${cloud}`,
      `  kube-ha:region: ${env.KUBE_HA_E2E_REGION}`,
      "  kube-ha:replicaZones:",
      `    - ${zones[0]}`,
      "  kube-ha:apiServerAllowedCidrs:",
      `    - ${env.KUBE_HA_E2E_ALLOWED_CIDR}`,
    ];
    fs.writeFileSync(path.join(work, "stacks", `Pulumi.${stack}.yaml`), `${lines.join("\n")}\n`);
    run("pulumi", ["stack", "init", stack]);

    run("pulumi", ["up", "--yes", "--stack", stack]);
    fs.writeFileSync(kubeconfig(), run("pulumi", ["stack", "output", "adminKubeconfig", "--show-secrets", "--stack", stack]), { mode: 0o600 });
    expect(run("kubectl", ["--kubeconfig", kubeconfig(), "get", "--raw", "/readyz"]).trim()).toBe("ok");
    await waitForApiservers(1);
    run("kubectl", ["--kubeconfig", kubeconfig(), "create", "configmap", "e2e-before", "--from-literal=k=v"]);

    kubeHa("add-replica", "--zone", zones[1]!, "--zone", zones[2]!);
    await waitForApiservers(3);
    run("kubectl", ["--kubeconfig", kubeconfig(), "create", "configmap", "e2e-after-grow", "--from-literal=k=v"]);

    const second = path.basename(zones[1]!).slice(-1);
    kubeHa("replace-replica", "--name", `master-${second}`);
    await waitForApiservers(3);
    for (const cm of ["e2e-before", "e2e-after-grow"]) {
      expect(run("kubectl", ["--kubeconfig", kubeconfig(), "get", "configmap", cm, "-o", "jsonpath={.data.k}"])).toBe("v");
    }
  }, 3 * 60 * 60_000);
});
