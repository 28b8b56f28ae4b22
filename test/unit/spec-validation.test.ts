import { describe, expect, it } from "vitest";
import { SpecError, type SpecProblem } from "../../components/spec/errors";
import { parseStackConfig } from "../../components/spec/stack-checks";
import { parseClusterSpec } from "../../components/spec/validate";
import { base, invalidConfigs, zones } from "../support/invalid-configs";

/** Pulumi's all-config form of a row: `raw` as `kube-ha:` keys (strings; lists and objects as JSON), then `config`. */
function allConfigOf(raw: Record<string, unknown>, config: Record<string, string> = {}): Record<string, string> {
  const kubeHa = Object.entries(raw).map(([k, v]) => [`kube-ha:${k}`, typeof v === "string" ? v : JSON.stringify(v)]);
  return { ...Object.fromEntries(kubeHa), ...config };
}

function problemsOf(raw: unknown, config?: Record<string, string>): SpecProblem[] {
  try {
    // Rows with further stack keys go through the stack-config reader, the others straight to the spec.
    if (config) parseStackConfig(allConfigOf(raw as Record<string, unknown>, config), { stackName: "bad", isSecret: () => false });
    else parseClusterSpec(raw);
  } catch (e) {
    if (e instanceof SpecError) return [...e.problems];
    throw e;
  }
  return [];
}

describe("stack config validation stops bad input with the key, the value and the fix", () => {
  it.each(invalidConfigs)("rejects $rule", ({ raw, config, key, value, message }) => {
    const problems = problemsOf(raw, config);
    const hit = problems.find((p) => p.key === key);
    expect(hit, `expected a problem at ${key}, got ${JSON.stringify(problems)}`).toBeTruthy();
    expect(hit!.value).toContain(value);
    expect(hit!.message).toMatch(message);
  });

  it("reports every problem at once, not only the first", () => {
    const problems = problemsOf({ ...base, replicaZones: ["europe-west1-b", "us-east1-c"], kubernetesVersion: "1.20.0", podCidr: "10.96.0.0/16", replicaZone: [] });
    expect(problems.map((p) => p.key).sort()).toEqual(
      ["kube-ha:kubernetesVersion", "kube-ha:replicaZone", "kube-ha:replicaZones", "kube-ha:replicaZones[1]", "kube-ha:serviceCidr"].sort(),
    );
  });

  it("names keys without the stack prefix for component arguments", () => {
    try {
      parseClusterSpec({ ...base, replicaZones: zones(2) }, { keyPrefix: "" });
      expect.unreachable("a 2-replica spec must be refused");
    } catch (e) {
      expect((e as SpecError).problems[0]!.key).toBe("replicaZones");
      expect((e as Error).message).toMatch(/^invalid kube-ha configuration \(1 problem\):\n {2}- replicaZones = /);
    }
  });

  it("accepts 2 replicas only with allowEvenReplicaCount, and 9 only with allowLargeControlPlane", () => {
    expect(parseClusterSpec({ ...base, replicaZones: zones(2), allowEvenReplicaCount: true }).replicas).toHaveLength(2);
    expect(parseClusterSpec({ ...base, replicaZones: zones(9), allowLargeControlPlane: true }).replicas).toHaveLength(9);
  });

  it("fills defaults a user can rely on", () => {
    const spec = parseClusterSpec(base, { stackName: "Prod_EU" });
    expect(spec.clusterName).toBe("prod-eu");
    expect(spec.replicas.map((r) => r.name)).toEqual(["master-b", "master-c", "master-d"]);
    expect(spec.kubernetesVersion.text).toBe("1.35.0");
    expect(spec.loadBalancer).toMatchObject({ scheme: "external", healthCheck: { intervalSeconds: 5, timeoutSeconds: 3, healthyThreshold: 2, unhealthyThreshold: 2 } });
    expect(spec.machines.masterType).toBe("e2-standard-4");
    expect(spec.etcd.topology).toBe("stacked");
  });

  it("names further replicas in one zone after the zone without depending on other zones", () => {
    const spec = parseClusterSpec({ ...base, replicaZones: ["europe-west1-b", "europe-west1-b", "europe-west1-c"] , allowEvenReplicaCount: false });
    expect(spec.replicas.map((r) => r.name)).toEqual(["master-b", "master-b-2", "master-c"]);
  });
});

describe("an enum error hides nothing", () => {
  it("cloud: GCP is reported with the allowed values and a suggestion, beside every other problem", () => {
    const problems = problemsOf({
      ...base,
      cloud: "GCP",
      replicaZones: ["europe-west1-b", "europe-west2-c", "europe-west1-d"],
      kubernetesVersion: "1.20.0",
      labels: { "Team Name": "x" },
    });
    expect(problems.map((p) => p.key).sort()).toEqual(["kube-ha:cloud", "kube-ha:kubernetesVersion", "kube-ha:labels.Team Name", "kube-ha:replicaZones[1]"]);
    expect(problems.find((p) => p.key === "kube-ha:cloud")!.message).toBe('not an allowed value: use one of "gcp", "aws" (did you mean "gcp"?)');
  });

  it("does not report a problem that only the dropped bad value would cause", () => {
    // podCidr is unparsable: the default it falls back to (10.244.0.0/16) must not be reported as overlapping networkCidr.
    const problems = problemsOf({ ...base, podCidr: "10.300.0.0/16", networkCidr: "10.244.0.0/16" });
    expect(problems.map((p) => p.key)).toEqual(["kube-ha:podCidr"]);
  });
});
