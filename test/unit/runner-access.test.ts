import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { parseClusterSpec } from "../../components/spec/validate";

const plan = (cidrs: string[], scheme: "external" | "internal" = "external") =>
  planControlPlane(
    parseClusterSpec(
      {
        cloud: "gcp",
        region: "europe-west1",
        replicas: [{ zone: "europe-west1-b" }, { zone: "europe-west1-c" }, { zone: "europe-west1-d" }],
        apiServerAllowedCidrs: cidrs,
        loadBalancerScheme: scheme,
      },
      { stackName: "t", keyPrefix: "" },
    ),
  );
const accessWarnings = (cidrs: string[], scheme?: "external" | "internal") => plan(cidrs, scheme).warnings.filter((w) => w.includes("documentation ranges"));

describe("the plan warns when no real machine can reach the endpoint (the join wait would fail)", () => {
  it("warns when every allowed CIDR of an external load balancer is a documentation range, and says what to put there", () => {
    const [w] = accessWarnings(["203.0.113.0/24", "198.51.100.0/24"]);
    expect(w).toContain("apiServerAllowedCidrs (203.0.113.0/24, 198.51.100.0/24) holds only documentation ranges");
    expect(w).toContain("checkip.amazonaws.com");
    expect(w).toContain("KUBE_HA_SKIP_JOIN_WAIT=true");
    expect(accessWarnings(["192.0.2.128/25"])).toHaveLength(1);
  });

  it("stays quiet when one real range is there, or the load balancer is internal", () => {
    expect(accessWarnings(["203.0.113.0/24", "100.64.7.0/24"])).toEqual([]);
    expect(accessWarnings(["192.0.0.0/16"])).toEqual([]);
    expect(accessWarnings(["203.0.113.0/24"], "internal")).toEqual([]);
  });
});
