import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Outside a platform's own folder, code should ask the platform registry,
 * not branch on a platform's name (issue 10): a `cloud === "gcp" ? … : …`
 * sends a third platform silently down an existing branch. This test counts
 * such comparisons per file. Today's are listed in KNOWN with their counts,
 * which may only go down: a new comparison fails the test, and a count that
 * dropped must be lowered here (or its line deleted) in the same change.
 * Tables keyed by every platform (`Record<Cloud, …>`) are not comparisons:
 * the compiler asks for each platform's entry.
 */

const ROOT = path.resolve(__dirname, "../../components");
const COMPARISON = /(===|!==)\s*"(gcp|aws)"|"(gcp|aws)"\s*(===|!==)/g;

const KNOWN: Record<string, number> = {
  "flows/kube-up-env.ts": 1,
  "plan/ports.ts": 1,
  "spec/labels.ts": 2,
  "spec/network-blocks.ts": 4,
  "spec/validate.ts": 7,
  "spec/zones.ts": 2,
};

/** platforms/<name>/… is a platform's own folder; the registry beside them is not. */
function insidePlatformFolder(rel: string): boolean {
  const parts = rel.split("/");
  return parts[0] === "platforms" && parts.length > 2;
}

function comparisonsByFile(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of fs.readdirSync(ROOT, { recursive: true }) as string[]) {
    const rel = name.split(path.sep).join("/");
    if (!rel.endsWith(".ts") || insidePlatformFolder(rel)) continue;
    const n = [...fs.readFileSync(path.join(ROOT, name), "utf8").matchAll(COMPARISON)].length;
    if (n > 0) counts[rel] = n;
  }
  return counts;
}

describe("platform names are compared only inside the platform folders (issue 10)", () => {
  it("finds comparisons where they are (the scan is not blind)", () => {
    expect(comparisonsByFile()["spec/zones.ts"]).toBeGreaterThan(0);
    expect(`x === "gcp"`.match(COMPARISON)).toHaveLength(1);
  });

  it("has no comparison beyond the known ones, and no known count higher than today's", () => {
    const found = comparisonsByFile();
    const grown = Object.entries(found).filter(([file, n]) => n > (KNOWN[file] ?? 0));
    expect(grown, "branch through the platform registry instead of comparing a platform name").toEqual([]);
    const shrunk = Object.entries(KNOWN).filter(([file, n]) => (found[file] ?? 0) < n);
    expect(shrunk, "lower these counts in KNOWN: the comparisons are gone").toEqual([]);
  });
});
