import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import type { ControlPlanePlan } from "../../components/plan/types";
import { renderEtcdBootParts, renderMemberEnv } from "../../components/render/etcd-boot";
import { ETCD_FILES } from "../../components/render/etcd-config";
import { ETCD_UNIT_PATH } from "../../components/render/etcd-unit";
import { PATHS } from "../../components/render/paths";
import { parseClusterSpec } from "../../components/spec/validate";

const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const planOf = (n: number): ControlPlanePlan =>
  planControlPlane(parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: [...zones, ...zones].slice(0, n) }));
const three = planOf(3);
const name = three.masters[0]!.name;
const parts = renderEtcdBootParts(three, name);

describe("renderEtcdBootParts", () => {
  it("writes the config, the member's identity, the systemd unit and an executable membership script", () => {
    const byPath = Object.fromEntries(parts.files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).toEqual([ETCD_FILES.config, ETCD_FILES.memberEnv, PATHS.membershipScript, ETCD_UNIT_PATH].sort());
    expect(byPath[PATHS.membershipScript]!.mode).toBe(0o755);
    expect(byPath[ETCD_FILES.config]!.mode).toBe(0o644);
    expect(byPath[PATHS.membershipScript]!.content.startsWith("#!/usr/bin/env bash\n")).toBe(true);
  });

  it("tells the membership script who this member is", () => {
    const m = three.etcd.members[0]!;
    expect(renderMemberEnv(three, name).split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
      `KUBE_HA_ETCD_NAME=${m.name}`,
      `KUBE_HA_ETCD_PEER_URL=${m.peerUrl}`,
      `KUBE_HA_ETCD_CLIENT_URL=${m.clientUrl}`,
    ]);
  });

  it("bootstraps only where KUBE_HA_MAY_BOOTSTRAP is true and joins everywhere else", () => {
    expect(parts.run).toMatch(/if \[ "\$\{KUBE_HA_MAY_BOOTSTRAP:-false\}" = true \]; then\n\s+'\/usr\/local\/bin\/kube-ha-etcd' bootstrap\nelse\n\s+'\/usr\/local\/bin\/kube-ha-etcd' join\nfi/);
    expect(parts.run).toContain("ETCD_ENDPOINTS");
  });

  it("is the same for a member whether the cluster has 3 or 5 members (adding a replica changes nothing here)", () => {
    expect(renderEtcdBootParts(planOf(5), name)).toEqual(parts);
  });

  it("carries no key material: certificates come from the secret store at boot", () => {
    const all = parts.files.map((f) => f.content).join("\n") + parts.run;
    expect(all).not.toMatch(/PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  it("is bash that shellcheck accepts (fails when shellcheck is missing)", () => {
    const dir = mkdtempSync(join(tmpdir(), "etcd-boot-"));
    try {
      const file = join(dir, "run.sh");
      writeFileSync(file, `#!/usr/bin/env bash\nset -euo pipefail\n${parts.run}`);
      execFileSync("shellcheck", ["-s", "bash", file], { stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a member the plan does not have", () => {
    expect(() => renderEtcdBootParts(three, "master-q")).toThrow(/no etcd member named master-q/);
  });
});
