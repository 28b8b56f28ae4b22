import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { NOTE_WIDTH, dotString, haReportDot, wrapLine } from "../../components/preview/diagram-dot";
import { renderDotToSvg } from "../../components/preview/diagram-svg";
import { buildHaReport } from "../../components/preview/ha-report";
import { parseClusterSpec } from "../../components/spec/validate";

const report = buildHaReport(
  "gcp-ha",
  planControlPlane(
    parseClusterSpec(
      { cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"], apiServerAllowedCidrs: ["203.0.113.0/24"] },
      { stackName: "gcp-ha" },
    ),
  ),
);

/** SVG text content with Graphviz's character references decoded. */
const svgText = (svg: string) =>
  [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")).join("\n");

describe("the HA diagram", () => {
  it("titles the picture with the control plane's tolerance, not etcd's alone", () => {
    const oneMaster = buildHaReport(
      "ext",
      planControlPlane(
        parseClusterSpec({
          cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b"], etcdTopology: "external",
          etcdZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"],
        }),
      ),
    );
    expect(haReportDot(oneMaster)).toMatch(/etcd quorum 2, survives 0 losses/);
    expect(haReportDot(report)).toMatch(/etcd quorum 2, survives 1 loss,/);
  });

  it("escapes quotes, backslashes and line breaks in DOT labels", () => {
    expect(dotString('a "b" \\ c\nd')).toBe('"a \\"b\\" \\\\ c\\nd"');
  });

  it("draws one cluster per zone holding its masters, the LB, health checks and the firewall rules", () => {
    const dot = haReportDot(report);
    expect(dot.match(/subgraph "cluster_zone_\d+"/g)).toHaveLength(3);
    for (const m of ["master-b", "master-c", "master-d"]) expect(dot).toContain(`"lb:api" -> "master:${m}"`);
    expect(dot).toContain("HTTPS GET /readyz :6443");
    expect(dot).toContain("2379-2380/tcp etcd");
    // etcd peering: every pair of the 3 members once
    expect(dot.match(/label="2379-2380"/g)).toHaveLength(3);
  });

  it("renders to an SVG (Graphviz via @viz-js/viz) naming every zone and master", async () => {
    const svg = await renderDotToSvg(haReportDot(report));
    expect(svg).toMatch(/^<\?xml|<svg/);
    expect(svg).toContain("</svg>");
    const text = svgText(svg);
    for (const z of ["zone europe-west1-b", "zone europe-west1-c", "zone europe-west1-d"]) expect(text).toContain(z);
    for (const m of ["master-b", "master-c", "master-d"]) expect(text).toContain(m);
    expect(text).toContain("203.0.113.0/24");
  });

  it("keeps a label with quotes and backslashes intact through Graphviz", async () => {
    const odd = { ...report, warnings: ['a "quoted" \\ warning'] };
    const text = svgText(await renderDotToSvg(haReportDot(odd)));
    expect(text).toContain('- a "quoted" \\ warning');
  });
});

describe("the diagram's warnings note", () => {
  it("wraps long warnings at spaces so the note stays inside the picture, losing no word", () => {
    const long = buildHaReport(
      "w",
      planControlPlane(
        parseClusterSpec(
          { cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b"], apiServerAllowedCidrs: ["203.0.113.0/24"] },
          { stackName: "w" },
        ),
      ),
    );
    expect(long.warnings.some((w) => w.length > NOTE_WIDTH)).toBe(true);
    const dot = haReportDot(long);
    const note = /"warnings:plan" \[shape=note[^\n]*label="([^\n]*)"\];/.exec(dot)![1]!;
    const lines = note.split("\\l").filter((l) => l !== "");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(NOTE_WIDTH);
    const words = (t: string) => t.split(/\s+/).filter(Boolean);
    expect(words(lines.slice(1).join(" "))).toEqual(words(long.warnings.map((w) => `- ${w}`).join(" ")));
  });

  it("breaks text into lines of at most the width, keeping a word longer than the width whole", () => {
    expect(wrapLine("aaa bbb ccc", 7)).toEqual(["aaa bbb", "  ccc"]);
    expect(wrapLine("x".repeat(12), 5)).toEqual(["x".repeat(12)]);
  });
});
