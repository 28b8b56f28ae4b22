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
 * components/platforms.ts). It may only shrink: an entry that no longer
 * occurs fails the test, so it is removed with its fix.
 */

const ROOT = path.resolve(__dirname, "../../components");

/** What each folder may not import. */
const FORBIDDEN: Record<string, string[]> = {
  spec: ["plan", "render", "pki", "membership", "preview", "gcp", "aws", "flows", "cli"],
  plan: ["render", "pki", "membership", "preview", "gcp", "aws", "flows", "cli"],
  render: ["pki", "membership", "preview", "gcp", "aws", "flows", "cli"],
  pki: ["render", "membership", "preview", "gcp", "aws", "flows", "cli"],
  membership: ["preview", "gcp", "aws", "flows", "cli"],
  preview: ["gcp", "aws", "flows", "cli"],
  gcp: ["aws", "preview", "flows", "cli"],
  aws: ["gcp", "preview", "flows", "cli"],
  flows: ["cli"],
};

const KNOWN = new Set<string>([]);

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/^(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)].map((m) => m[1]!);
}

function violations(): string[] {
  const found: string[] = [];
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    const dir = path.join(ROOT, folder);
    for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
      if (!name.endsWith(".ts")) continue;
      const file = path.join(dir, name);
      for (const spec of importsOf(file)) {
        const target = path.relative(ROOT, path.resolve(path.dirname(file), spec)).split(path.sep)[0]!;
        if (forbidden.includes(target)) found.push(`${folder}/${name} → ${target}`);
      }
    }
  }
  return [...new Set(found)].sort();
}

describe("the layers import in one direction", () => {
  it("finds the imports it looks for (the scan is not blind)", () => {
    expect(importsOf(path.join(ROOT, "plan/control-plane-plan.ts"))).toContain("../spec/quorum");
    const probe = path.join(ROOT, "preview/ha-report.ts");
    expect(importsOf(probe)).toContain("../platforms");
  });

  it("has no import against the direction beyond the known ones, and each known one still occurs", () => {
    const found = violations();
    expect(found.filter((v) => !KNOWN.has(v))).toEqual([]);
    expect([...KNOWN].filter((k) => !found.includes(k))).toEqual([]);
  });
});
