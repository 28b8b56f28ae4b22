import { describe, expect, it } from "vitest";
import { PLATFORMS } from "../../components/platforms";
import { mockAnswer, mockCall } from "../../components/preview/mock-state";
import { mockContextFromConfig } from "../../components/preview/run-program";

/**
 * The offline preview's mock cloud answers a platform's resources and
 * functions through the platform that owns their provider package
 * (Platform.providerPackages, mockResource, mockCall), and the rest itself.
 */

describe("the mock cloud behind the platform registry", () => {
  it("gives every provider package to exactly one platform", () => {
    const owners = Object.values(PLATFORMS).flatMap((p) => p.providerPackages.map((pkg) => `${pkg} ${p.name}`));
    const packages = owners.map((o) => o.split(" ")[0]);
    expect(new Set(packages).size).toBe(packages.length);
    expect(owners).toEqual(expect.arrayContaining(["gcp gcp", "aws aws"]));
  });

  it("answers a platform's resource with that platform's answer, and a neutral one itself", () => {
    const ctx = mockContextFromConfig({ "kube-ha:region": "eu-west-1" });
    for (const [type, platform] of [["gcp:compute/instance:Instance", PLATFORMS.gcp], ["aws:ec2/instance:Instance", PLATFORMS.aws]] as const) {
      expect(mockAnswer(type, "m", { zone: "z" }, ctx)).toEqual(platform.mockResource(type, "m", { zone: "z" }, ctx));
    }
    expect(mockAnswer("aws:ec2/volume:Volume", "v", {}, ctx).id).toMatch(/^vol-[0-9a-f]{17}$/);
    expect(mockAnswer("command:local:Command", "c", { create: "true" }, ctx).state).toEqual({ create: "true", stdout: "", stderr: "" });
    expect(mockAnswer("gcpx:thing:Thing", "t", { a: 1 }, ctx).state).toEqual({ a: 1 });
  });

  it("takes the region from kube-ha:region, else the providers' region keys, and GCP's project from kube-ha:gcpProject, else gcp:project", () => {
    expect(mockContextFromConfig({ "kube-ha:region": "r1", "gcp:region": "r2", "aws:region": "r3" }).region).toBe("r1");
    expect(mockContextFromConfig({ "gcp:region": "r2", "aws:region": "r3" }).region).toBe("r2");
    expect(mockContextFromConfig({ "aws:region": "r3" }).region).toBe("r3");
    expect(mockContextFromConfig({}).region).toBe("us-central1");
    const project = (config: Record<string, string>) => mockCall("gcp:organizations/getProject:getProject", {}, mockContextFromConfig(config))["projectId"];
    expect(project({ "kube-ha:gcpProject": "p1", "gcp:project": "p2" })).toBe("p1");
    expect(project({ "gcp:project": "p2" })).toBe("p2");
    expect(project({})).toBe("preview-project");
    expect(mockCall("aws:index/getRegion:getRegion", {}, mockContextFromConfig({ "aws:region": "eu-west-2" }))["name"]).toBe("eu-west-2");
    expect(mockCall("tls:index/unknown:unknown", { x: 1 }, mockContextFromConfig({}))).toEqual({ x: 1 });
  });
});
