import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { ETCD_FILES } from "../../components/render/etcd-config";
import { ETCD_BINARY, ETCD_START_COMMAND, ETCD_UNIT_NAME, renderEtcdUnit } from "../../components/render/etcd-unit";
import { parseClusterSpec } from "../../components/spec/validate";

const plan = planControlPlane(
  parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] }),
);
const unit = renderEtcdUnit(plan, plan.masters[0]!.name);

/** `Key=value` lines of one [Section]. */
function section(text: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current = "";
  for (const line of text.split("\n")) {
    const header = /^\[(.+)\]$/.exec(line);
    if (header) current = header[1]!;
    else if (current === name && line.includes("=")) out[line.slice(0, line.indexOf("="))] = line.slice(line.indexOf("=") + 1);
  }
  return out;
}

describe("etcd systemd unit", () => {
  it("runs the pinned etcd binary on the member config the membership script assembles", () => {
    expect(section(unit, "Service").ExecStart).toBe(`${ETCD_BINARY} --config-file ${ETCD_FILES.memberConfig}`);
    expect(section(unit, "Unit").ConditionPathExists).toBe(ETCD_FILES.memberConfig);
  });

  it("waits for the etcd data disk and restarts etcd whenever it stops", () => {
    expect(section(unit, "Unit").RequiresMountsFor).toBe("/var/lib/etcd");
    expect(section(unit, "Service").Restart).toBe("always");
    expect(section(unit, "Install").WantedBy).toBe("multi-user.target");
  });

  it("is started without blocking, since a founding member is not ready until its peers are", () => {
    expect(section(unit, "Service").Type).toBe("notify");
    expect(ETCD_START_COMMAND).toContain(`--no-block ${ETCD_UNIT_NAME}`);
  });
});
