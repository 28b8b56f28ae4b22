import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJoinWaitScript } from "../../components/membership/join-wait-script";
import { type RemovalScriptInput, renderRemovalDeleteScript } from "../../components/membership/removal-scripts";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { gcpBootParts } from "../../components/platforms/gcp/boot-parts";
import { gcpRemovalTransport } from "../../components/platforms/gcp/removal";
import { renderBootScript } from "../../components/render/boot-script";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import { renderMembershipScript } from "../../components/render/membership-script";
import { parseClusterSpec } from "../../components/spec/validate";

/**
 * The packaged library finds its shell files: the real build (tsc with
 * tsconfig.build.json, then build/copy-shell.mjs — what `npm run build`
 * runs) into a temporary outDir, and a child `node` that requires the
 * compiled modules from there and renders the membership script, a
 * removal script, a boot script (the boot program's and GCP's shell files)
 * and a join-wait script. Before the copy step the same child fails, naming the
 * missing file: the compiled modules read nothing from the sources.
 * The build type-checks the library: about 30 s on an idle machine.
 */

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "../..");
const BUILD_TIMEOUT_MS = 150_000;

const SPEC = { cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] } as const;
const BOOT = { endpointAddress: "34.120.1.2", etcdDevice: "/dev/disk/by-id/google-kube-ha-etcd" };
const JOIN_WAIT = { replica: "master-b", nodeName: "master-b", allowedCidrs: ["203.0.113.0/24"] };

/** A GCP master's boot script, rendered from the sources (the child renders the same from the build). */
function bootScript(): string {
  const plan = planControlPlane(parseClusterSpec(SPEC, { stackName: "prod" }));
  const name = plan.masters[0]!.name;
  return renderBootScript({ ...BOOT, parts: gcpBootParts, plan, replicaName: name, etcd: renderEtcdBootParts(plan, name) });
}

const input: Omit<RemovalScriptInput, "transport"> = {
  replica: "master-c",
  etcdMember: true,
  peerUrl: "https://10.0.0.12:2380",
  nodeName: "master-c",
  selector: { "kube-ha-cluster": "prod", "kube-ha-role": "master" },
};

/** Runs in the child: the compiled library only (the package's main, and two of its modules). */
const CHILD = `
const path = require("node:path");
const out = process.argv[1];
const lib = require(path.join(out, "components/index.js"));
const { renderMembershipScript } = require(path.join(out, "components/render/membership-script.js"));
const { renderRemovalDeleteScript } = require(path.join(out, "components/membership/removal-scripts.js"));
const { renderEtcdBootParts } = require(path.join(out, "components/render/etcd-boot.js"));
const { renderJoinWaitScript } = require(path.join(out, "components/membership/join-wait-script.js"));
const [input, SPEC, BOOT, JOIN_WAIT] = JSON.parse(process.argv[2]);
const plan = lib.planControlPlane(lib.parseClusterSpec(SPEC, { stackName: "prod" }));
const name = plan.masters[0].name;
process.stdout.write(JSON.stringify({
  membership: renderMembershipScript(),
  removal: renderRemovalDeleteScript({ ...input, transport: lib.gcpRemovalTransport }),
  boot: lib.renderBootScript({ ...BOOT, parts: lib.gcpBootParts, plan, replicaName: name, etcd: renderEtcdBootParts(plan, name) }),
  joinWait: renderJoinWaitScript(JOIN_WAIT),
}));
`;

interface Built {
  membership: string;
  removal: string;
  boot: string;
  joinWait: string;
}

let outDir: string;

async function renderWithBuilt(): Promise<Built> {
  const { stdout } = await run(process.execPath, ["-e", CHILD, outDir, JSON.stringify([input, SPEC, BOOT, JOIN_WAIT])], {
    cwd: os.tmpdir(),
    // The compiled modules' dependencies (@pulumi/*) come from this checkout, as an installed package's would from its node_modules.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_PATH: path.join(ROOT, "node_modules") },
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as Built;
}

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-build-"));
  await run(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json", "--outDir", outDir], {
    cwd: ROOT,
    timeout: BUILD_TIMEOUT_MS,
  });
}, BUILD_TIMEOUT_MS + 10_000);

afterAll(() => {
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe("the built library", () => {
  it("without the copy step, fails naming the shell file it cannot find and what copies it", async () => {
    const failed = await renderWithBuilt().then(
      () => "",
      (e: { stderr?: string }) => e.stderr ?? String(e),
    );
    expect(failed).toMatch(/cannot read its shell file \S*components\/render\/scripts\/kube-ha-etcd\.sh.*npm run build/);
  }, 70_000);

  it("after the copy step, renders the membership, removal, boot and join-wait scripts from the .sh files copied beside its modules", async () => {
    const { stdout } = await run(process.execPath, [path.join(ROOT, "build/copy-shell.mjs"), outDir], { cwd: ROOT, timeout: 30_000 });
    expect(stdout).toMatch(/copied \d+ shell file\(s\)/);
    for (const sh of [
      "render/scripts/kube-ha-etcd.sh",
      "membership/removal-delete.sh",
      "platforms/gcp/removal-transport.sh",
      "render/boot-program.sh",
      "platforms/gcp/boot-peer-discovery.sh",
      "membership/join-wait.sh",
    ]) {
      expect(fs.existsSync(path.join(outDir, "components", sh)), sh).toBe(true);
    }
    const built = await renderWithBuilt();
    expect(built.membership).toBe(renderMembershipScript());
    expect(built.removal).toBe(renderRemovalDeleteScript({ ...input, transport: gcpRemovalTransport }));
    expect(built.removal).toContain("gcloud compute ssh");
    expect(built.boot).toBe(bootScript());
    expect(built.boot).toContain("discover_replicas() {");
    expect(built.joinWait).toBe(renderJoinWaitScript(JOIN_WAIT));
  }, 70_000);
});
