import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderBootScript } from "../../components/render/boot-script";
import { renderEtcdBootParts } from "../../components/render/etcd-boot";
import type { Cloud } from "../../components/spec/schema";
import { fixtureBootInput, fixtureBootScript, fixturePlan } from "../support/boot-script-fixture";

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

  it.each<Cloud>(["gcp", "aws"])("passes for a %s master (GCP startup-script / AWS user-data)", async (cloud) => {
    expect(await shellcheck(dir, `${cloud}-master.sh`, fixtureBootScript(cloud))).toBe("");
  });

  it.each<Cloud>(["gcp", "aws"])("passes for a %s master with the real etcd parts embedded", async (cloud) => {
    const plan = fixturePlan(cloud);
    const name = plan.masters[0]!.name;
    const script = renderBootScript({ ...fixtureBootInput(plan, cloud, name), etcd: renderEtcdBootParts(plan, name) });
    expect(await shellcheck(dir, `${cloud}-master-real-etcd.sh`, script)).toBe("");
  });

  it.each<Cloud>(["gcp", "aws"])("passes for a %s dedicated etcd VM of the external topology", async (cloud) => {
    const zones = fixturePlan(cloud).masters.map((m) => m.zone);
    const plan = fixturePlan(cloud, 3, { etcdTopology: "external", etcdZones: zones });
    const script = renderBootScript(fixtureBootInput(plan, cloud, plan.etcdNodes[0]!.name));
    expect(await shellcheck(dir, `${cloud}-etcd.sh`, script)).toBe("");
  });

  it("reports a real finding, so a clean result means something", async () => {
    expect(await shellcheck(dir, "bad.sh", "#!/bin/bash\necho $UNQUOTED_VAR\n")).toMatch(/SC2086/);
  });
});
