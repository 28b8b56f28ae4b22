import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { planAdd } from "../../components/plan/plan-add";
import { formatCidr, overlaps } from "../../components/spec/cidr";
import { SpecError } from "../../components/spec/errors";
import { zoneBlock, zonePublicBlock } from "../../components/spec/network-blocks";
import { REGION_ZONES } from "../../components/spec/region-zones";
import type { Cloud } from "../../components/spec/schema";
import { checkClusterSpec, parseClusterSpec } from "../../components/spec/validate";

/**
 * Issue 9, item 1: zones that do not exist are refused, and every zone of a
 * region gets its own address blocks (eu-west-1i shared eu-west-1a's subnets).
 */

const zonesOf = (cloud: Cloud, region: string) =>
  [...REGION_ZONES[cloud][region]!].map((l) => (cloud === "gcp" ? `${region}-${l}` : `${region}${l}`));

function shape(cloud: Cloud, region: string, cidr = "10.10.0.0/16", extraZones: string[] = []) {
  return { cloud, region, extraZones, network: { cidr } };
}

describe("every pair of valid zones of every listed region gets disjoint blocks", () => {
  for (const cloud of ["gcp", "aws"] as const) {
    it(`${cloud}: ${Object.keys(REGION_ZONES[cloud]).length} regions, private and public blocks, /16 and /24 networks`, () => {
      let pairs = 0;
      for (const region of Object.keys(REGION_ZONES[cloud])) {
        for (const cidr of ["10.10.0.0/16", "192.168.4.0/24"]) {
          const s = shape(cloud, region, cidr);
          const blocks = zonesOf(cloud, region).flatMap((z) => [
            { what: `${z} private`, range: zoneBlock(s, z) },
            { what: `${z} public`, range: zonePublicBlock(s, z) },
          ]);
          for (let i = 0; i < blocks.length; i++) {
            for (let j = i + 1; j < blocks.length; j++) {
              pairs++;
              const a = blocks[i]!;
              const b = blocks[j]!;
              expect(overlaps(a.range, b.range), `${a.what} ${formatCidr(a.range)} vs ${b.what} ${formatCidr(b.range)}`).toBe(false);
            }
          }
        }
      }
      expect(pairs).toBeGreaterThan(1000);
    });
  }

  it("the region with the most zones fits the 8 + 8 blocks", () => {
    const most = Math.max(...(["gcp", "aws"] as const).flatMap((c) => Object.values(REGION_ZONES[c]).map((l) => l.length)));
    expect(most).toBeLessThanOrEqual(8);
    const s = shape("aws", "us-east-1");
    expect(zonesOf("aws", "us-east-1").map((z) => formatCidr(zonePublicBlock(s, z)))).toEqual([
      "10.10.128.0/20", "10.10.144.0/20", "10.10.160.0/20", "10.10.176.0/20", "10.10.192.0/20", "10.10.208.0/20",
    ]);
  });

  it("zones keep the blocks of their letter, so an upgrade moves no address (europe-west1-b/c/d, eu-west-1a/b/c)", () => {
    expect(zonesOf("gcp", "europe-west1").map((z) => formatCidr(zoneBlock(shape("gcp", "europe-west1"), z)))).toEqual([
      "10.10.16.0/20", "10.10.32.0/20", "10.10.48.0/20",
    ]);
    expect(zonesOf("aws", "eu-west-1").map((z) => formatCidr(zoneBlock(shape("aws", "eu-west-1"), z)))).toEqual([
      "10.10.0.0/20", "10.10.16.0/20", "10.10.32.0/20",
    ]);
    expect(formatCidr(zoneBlock(shape("gcp", "us-central1"), "us-central1-f"))).toBe("10.10.80.0/20");
  });

  it("a zone lettered past h (from extraZones) takes a free block of its region, not a's", () => {
    const s = shape("aws", "eu-west-1", "10.10.0.0/16", ["eu-west-1i"]);
    const blocks = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1i"].map((z) => formatCidr(zoneBlock(s, z)));
    expect(new Set(blocks).size).toBe(4);
    expect(blocks[3]).toBe("10.10.48.0/20");
  });
});

describe("zones that do not exist are refused with key, value and fix", () => {
  it("europe-west1-z", () => {
    const problems = checkClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-z", "europe-west1-d"] });
    expect(problems).toEqual([
      {
        key: "kube-ha:replicaZones[1]",
        value: '"europe-west1-z"',
        message:
          "not a zone of region europe-west1: use one of europe-west1-b, europe-west1-c, europe-west1-d " +
          "(if europe-west1-z is real and newer than kube-ha's zone table, list it in extraZones)",
      },
    ]);
  });

  it("eu-west-1i (which took eu-west-1a's subnets)", () => {
    const problems = checkClusterSpec({ cloud: "aws", region: "eu-west-1", replicas: [{ zone: "eu-west-1a" }, { zone: "eu-west-1b" }, { zone: "eu-west-1i" }] });
    expect(problems).toEqual([
      {
        key: "kube-ha:replicas[2].zone",
        value: '"eu-west-1i"',
        message: "not a zone of region eu-west-1: use one of eu-west-1a, eu-west-1b, eu-west-1c (if eu-west-1i is real and newer than kube-ha's zone table, list it in extraZones)",
      },
    ]);
  });

  it("zones a region lacks in networkZones and etcdZones (us-east1-a, us-east1-e), and ap-northeast-1b, which AWS gives no new account", () => {
    const problems = checkClusterSpec({
      cloud: "gcp",
      region: "us-east1",
      replicaZones: ["us-east1-b", "us-east1-c", "us-east1-d"],
      networkZones: ["us-east1-a"],
      etcdTopology: "external",
      etcdZones: ["us-east1-b", "us-east1-c", "us-east1-e"],
    });
    expect(problems.map((p) => p.key).sort()).toEqual(["kube-ha:etcdZones[2]", "kube-ha:networkZones[0]"]);
    expect(checkClusterSpec({ cloud: "aws", region: "ap-northeast-1", replicaZones: ["ap-northeast-1a", "ap-northeast-1b", "ap-northeast-1c"] })
      .map((p) => `${p.key} ${p.value}`)).toEqual(['kube-ha:replicaZones[1] "ap-northeast-1b"']);
  });

  it("add-replica refuses a zone the region does not have, naming the region's zones", () => {
    const plan = planControlPlane(parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] }));
    const result = planAdd(plan, { zones: ["europe-west1-z", "europe-west1-b"] });
    expect(result).toMatchObject({
      ok: false,
      code: "zone-not-in-region",
      reason: "zone europe-west1-z is not a zone of region europe-west1",
      suggestion: "use one of europe-west1-b, europe-west1-c, europe-west1-d",
    });
  });
});

describe("an unknown region is refused, naming the known ones", () => {
  it("a mistyped GCP region names the nearest known regions and the fix", () => {
    const problems = checkClusterSpec({ cloud: "gcp", region: "europe-west7", replicaZones: ["europe-west7-a", "europe-west7-b", "europe-west7-c"] });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe("kube-ha:region");
    expect(problems[0]!.value).toBe('"europe-west7"');
    expect(problems[0]!.message).toMatch(/^not a GCP region kube-ha knows: use one of its \d+ known regions, nearest europe-west1, europe-west2, europe-west3 \(all in components\/spec\/region-zones.ts\); for a region newer than this kube-ha, list its zones in kube-ha:extraZones$/);
  });

  it("another cloud's region says which cloud it belongs to", () => {
    const [p] = checkClusterSpec({ cloud: "gcp", region: "eu-west-1", replicaZones: ["eu-west-1a"] });
    expect(p).toMatchObject({ key: "kube-ha:region", value: '"eu-west-1"' });
    expect(p!.message).toMatch(/^an AWS region, not a GCP one: set cloud: aws, or use a GCP region such as /);
  });

  it("extraZones opens a region newer than the table, with collision-free blocks", () => {
    const raw = {
      cloud: "aws",
      region: "ap-southeast-9",
      extraZones: ["ap-southeast-9a", "ap-southeast-9b", "ap-southeast-9c"],
      replicaZones: ["ap-southeast-9a", "ap-southeast-9b", "ap-southeast-9c"],
    };
    const plan = planControlPlane(parseClusterSpec(raw));
    expect(plan.masters.map((m) => m.address)).toEqual(["10.10.0.10", "10.10.16.10", "10.10.32.10"]);
    expect(() => parseClusterSpec({ ...raw, replicaZones: ["ap-southeast-9a", "ap-southeast-9b", "ap-southeast-9d"] })).toThrow(SpecError);
  });

  it("extraZones must be named like the region's zones and fit 8 blocks", () => {
    const problems = checkClusterSpec({
      cloud: "gcp",
      region: "us-central1",
      extraZones: ["us-east1-b", "us-central1-d", "us-central1-e", "us-central1-g", "us-central1-h", "us-central1-i"],
      replicaZones: ["us-central1-a"],
    });
    expect(problems.map((p) => p.key)).toEqual(["kube-ha:extraZones[0]", "kube-ha:extraZones"]);
    expect(problems[1]!.message).toMatch(/would have 9 zones .*8 zone blocks/);
  });
});
