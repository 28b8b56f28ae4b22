import { describe, expect, it } from "vitest";
import { parseClusterSpec } from "../../components/spec/validate";
import { planControlPlane } from "../../components/plan/control-plane-plan";

describe("a three-zone GCP stack", () => {
  it("plans three masters in three zones with quorum 2", () => {
    const plan = planControlPlane(
      parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] }),
    );
    expect(plan.masters.map((m) => m.zone)).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
    expect(plan.etcd.quorum).toBe(2);
  });
});
