import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers import in one direction only (docs/contracts.md): spec → plan →
 * renderers → PKI and cloud components → flows. A test reads every import of
 * every file under components/ and refuses one that points the wrong way.
 *
 * KNOWN lists imports against the direction still waiting for a fix (none
 * today: the preview reaches the clouds through the platform registry,
 * components/platforms/index.ts). It may only shrink: an entry that no longer
 * occurs fails the test, so it is removed with its fix.
 */

const ROOT = path.resolve(__dirname, "../../components");

/**
 * The layer a file is in: its first folder under components/, except that a
 * platform's own folder (platforms/<name>/) is "platform:<name>" and the
 * registry beside them (platforms/index.ts, platforms/platform.ts) is
 * "platforms". The library's export list (index.ts) is "library": it may
 * export a platform's component; the other files at the top (program.ts)
 * are "top" and build through the registry.
 */
function layerOf(rel: string): string {
  const parts = rel.split("/");
  if (parts.length === 1) return rel === "index.ts" ? "library" : "top";
  if (parts[0] === "platforms") return parts.length > 2 ? `platform:${parts[1]}` : "platforms";
  return parts[0]!;
}

const PLATFORM_INTERNALS = /^platform:/;
const ALL_BELOW_CLOUD = ["plan", "render", "pki", "membership", "preview", "flows", "cli", "platforms", PLATFORM_INTERNALS];

/** What each layer may not import. A platform's internals are reached only through the registry. */
const FORBIDDEN: Record<string, (string | RegExp)[]> = {
  spec: ALL_BELOW_CLOUD,
  plan: ["render", "pki", "membership", "preview", "flows", "cli", "platforms", PLATFORM_INTERNALS],
  render: ["pki", "membership", "preview", "flows", "cli", "platforms", PLATFORM_INTERNALS],
  pki: ["render", "membership", "preview", "flows", "cli", "platforms", PLATFORM_INTERNALS],
  membership: ["preview", "flows", "cli", "platforms", PLATFORM_INTERNALS],
  preview: ["flows", "cli", PLATFORM_INTERNALS],
  flows: ["cli", PLATFORM_INTERNALS],
  cli: [PLATFORM_INTERNALS],
  top: ["cli", PLATFORM_INTERNALS],
  platforms: ["preview", "flows", "cli"],
  /** Reading and filling .sh files (components/shell/): beneath every layer that renders shell. */
  shell: ["spec", ...ALL_BELOW_CLOUD],
};

/** A platform may not reach into another platform, nor into the layers above it. */
function forbiddenFor(layer: string): (string | RegExp)[] {
  if (layer.startsWith("platform:")) return ["preview", "flows", "cli", new RegExp(`^platform:(?!${layer.slice(9)}$)`)];
  return FORBIDDEN[layer] ?? [];
}

const KNOWN = new Set<string>([]);

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => m[1]!);
}

function violations(): string[] {
  const found: string[] = [];
  for (const name of fs.readdirSync(ROOT, { recursive: true }) as string[]) {
    if (!name.endsWith(".ts")) continue;
    const rel = name.split(path.sep).join("/");
    const layer = layerOf(rel);
    const forbidden = forbiddenFor(layer);
    const file = path.join(ROOT, name);
    for (const spec of importsOf(file)) {
      const targetRel = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep).join("/");
      const target = layerOf(targetRel.endsWith("/index") ? targetRel : targetRel.replace(/^platforms$/, "platforms/index"));
      if (target === layer) continue;
      if (forbidden.some((f) => (typeof f === "string" ? f === target : f.test(target)))) found.push(`${rel} → ${target}`);
    }
  }
  return [...new Set(found)].sort();
}

describe("the layers import in one direction", () => {
  it("finds the imports it looks for (the scan is not blind)", () => {
    expect(importsOf(path.join(ROOT, "plan/control-plane-plan.ts"))).toContain("../spec/quorum");
    const probe = path.join(ROOT, "preview/ha-report.ts");
    expect(importsOf(probe)).toContain("../platforms");
    expect(layerOf("platforms/aws/machine.ts")).toBe("platform:aws");
    expect(layerOf("platforms/index.ts")).toBe("platforms");
    expect(layerOf("program.ts")).toBe("top");
    expect(importsOf(path.join(ROOT, "program.ts"))).toContain("./platforms");
    expect(forbiddenFor("platform:gcp").some((f) => typeof f !== "string" && f.test("platform:aws"))).toBe(true);
    expect(forbiddenFor("platform:gcp").some((f) => typeof f !== "string" && f.test("platform:gcp"))).toBe(false);
  });

  it("has no import against the direction beyond the known ones, and each known one still occurs", () => {
    const found = violations();
    expect(found.filter((v) => !KNOWN.has(v))).toEqual([]);
    expect([...KNOWN].filter((k) => !found.includes(k))).toEqual([]);
  });
});
