import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers import in one direction only (docs/contracts.md): spec → plan →
 * renderers → PKI and cloud components → flows. A test reads every import of
 * every file under components/ and refuses one that points the wrong way.
 *
 * Below the spec sit the platforms' pure rule modules (PLATFORM_RULE_FILE):
 * every layer may ask them for a platform's addressing and validation rules,
 * and they import nothing at run time but each other (their `import type`
 * lines name other layers' types, which TypeScript erases).
 *
 * KNOWN lists imports against the direction still waiting for a fix (none
 * today: the preview reaches the clouds through the platform registry,
 * components/platforms/index.ts). It may only shrink: an entry that no longer
 * occurs fails the test, so it is removed with its fix.
 */

const ROOT = path.resolve(__dirname, "../../components");

/**
 * The platforms' pure rule modules: the rules registry and its types
 * (platforms/rules.ts, platforms/rules-types.ts) and each platform's rules
 * with their data (platforms/<name>/rules.ts, platforms/<name>/regions.ts).
 * Matched without the .ts, as imports name them.
 */
const PLATFORM_RULE_FILE = /^platforms\/(rules|rules-types)$|^platforms\/[^/]+\/(rules|regions)$/;
const RULES = "platform-rules";

/**
 * The layer a file is in: its first folder under components/, except that
 * the platforms' rule modules are "platform-rules", the rest of a platform's
 * own folder (platforms/<name>/) is "platform:<name>" and the registry beside
 * them (platforms/index.ts, platforms/platform.ts) is "platforms". The
 * library's export list (index.ts) is "library": it may export a platform's
 * component; the other files at the top (program.ts) are "top" and build
 * through the registry.
 */
function layerOf(rel: string): string {
  if (PLATFORM_RULE_FILE.test(rel.replace(/\.ts$/, ""))) return RULES;
  const parts = rel.split("/");
  if (parts.length === 1) return rel === "index.ts" ? "library" : "top";
  if (parts[0] === "platforms") return parts.length > 2 ? `platform:${parts[1]}` : "platforms";
  return parts[0]!;
}

const PLATFORM_INTERNALS = /^platform:/;
const ALL_BELOW_CLOUD = ["plan", "render", "pki", "membership", "preview", "flows", "cli", "platforms", PLATFORM_INTERNALS];

/**
 * What each layer may not import. A platform's internals are reached only
 * through the registry; its rule modules ("platform-rules") by every layer.
 */
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

/** A rule module may import (at run time) only other rule modules. */
const RULES_FORBIDDEN = [new RegExp(`^(?!${RULES}$)`)];

/** A platform may not reach into another platform, nor into the layers above it. */
function forbiddenFor(layer: string): (string | RegExp)[] {
  if (layer === RULES) return RULES_FORBIDDEN;
  if (layer.startsWith("platform:")) return ["preview", "flows", "cli", new RegExp(`^platform:(?!${layer.slice(9)}$)`)];
  return FORBIDDEN[layer] ?? [];
}

const KNOWN = new Set<string>([]);

interface Import {
  from: string;
  /** `import type` / `export type`: erased by TypeScript, nothing of the target runs. */
  typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b(\s+type\b)?[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => ({ from: m[2]!, typeOnly: m[1] !== undefined }));
}

/** Layers whose type-only imports do not count: the rule modules, whose run time must stand alone. */
const TYPES_FREE = new Set([RULES]);

function violations(): string[] {
  const found: string[] = [];
  for (const name of fs.readdirSync(ROOT, { recursive: true }) as string[]) {
    if (!name.endsWith(".ts")) continue;
    const rel = name.split(path.sep).join("/");
    const layer = layerOf(rel);
    const forbidden = forbiddenFor(layer);
    const file = path.join(ROOT, name);
    for (const { from: spec, typeOnly } of importsOf(file)) {
      if (typeOnly && TYPES_FREE.has(layer)) continue;
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
    const from = (rel: string) => importsOf(path.join(ROOT, rel));
    expect(from("plan/control-plane-plan.ts")).toContainEqual({ from: "../spec/quorum", typeOnly: false });
    expect(from("preview/ha-report.ts").map((i) => i.from)).toContain("../platforms");
    expect(from("spec/zones.ts")).toContainEqual({ from: "../platforms/rules", typeOnly: false });
    expect(from("platforms/gcp/rules.ts")).toContainEqual({ from: "../../plan/types", typeOnly: true });
    expect(layerOf("platforms/aws/machine.ts")).toBe("platform:aws");
    expect(layerOf("platforms/index.ts")).toBe("platforms");
    expect(layerOf("program.ts")).toBe("top");
    expect(from("program.ts").map((i) => i.from)).toContain("./platforms");
    expect(["platforms/rules.ts", "platforms/rules-types.ts", "platforms/gcp/rules.ts", "platforms/aws/regions"].map(layerOf)).toEqual(Array(4).fill(RULES));
    expect(["platforms/aws/plan-rules.ts", "platforms/gcp/firewall-rules"].map(layerOf)).toEqual(["platform:aws", "platform:gcp"]);
    const forbids = (layer: string, target: string) => forbiddenFor(layer).some((f) => (typeof f === "string" ? f === target : f.test(target)));
    expect(forbids("platform:gcp", "platform:aws")).toBe(true);
    expect(forbids("platform:gcp", "platform:gcp")).toBe(false);
    expect(forbids("spec", RULES)).toBe(false);
    expect(["platforms", "platform:gcp"].every((t) => forbids("spec", t))).toBe(true);
    expect(["spec", "plan", "platforms", "platform:gcp"].every((t) => forbids(RULES, t))).toBe(true);
    expect(forbids(RULES, RULES)).toBe(false);
  });

  it("has no import against the direction beyond the known ones, and each known one still occurs", () => {
    const found = violations();
    expect(found.filter((v) => !KNOWN.has(v))).toEqual([]);
    expect([...KNOWN].filter((k) => !found.includes(k))).toEqual([]);
  });
});
