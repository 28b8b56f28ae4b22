import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Outside a platform's own folder, code should ask the platform registry,
 * not branch on a platform's name (issue 10): a `cloud === "gcp" ? … : …`
 * sends a third platform silently down an existing branch. This test fails
 * on any such comparison (===, !== or a switch case, any quotes) in a file
 * outside components/platforms/<name>/. Tables keyed by every platform (`Record<Cloud, …>`) are not comparisons:
 * the compiler asks for each platform's entry.
 */

const ROOT = path.resolve(__dirname, "../../components");
const COMPARISON = /(===|!==)\s*["'`](gcp|aws)["'`]|["'`](gcp|aws)["'`]\s*(===|!==)|case\s+["'`](gcp|aws)["'`]/g;

/** platforms/<name>/… is a platform's own folder; the registry beside them is not. */
function insidePlatformFolder(rel: string): boolean {
  const parts = rel.split("/");
  return parts[0] === "platforms" && parts.length > 2;
}

/** Every .ts file under root, as a path relative to it with "/" separators. */
function sourceFiles(root: string): string[] {
  return (fs.readdirSync(root, { recursive: true }) as string[]).map((n) => n.split(path.sep).join("/")).filter((rel) => rel.endsWith(".ts"));
}

function comparisonsByFile(root = ROOT): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rel of sourceFiles(root)) {
    if (insidePlatformFolder(rel)) continue;
    const n = [...fs.readFileSync(path.join(root, rel), "utf8").matchAll(COMPARISON)].length;
    if (n > 0) counts[rel] = n;
  }
  return counts;
}

describe("platform names are compared only inside the platform folders (issue 10)", () => {
  it("finds comparisons where they are (the scan is not blind)", () => {
    expect(sourceFiles(ROOT)).toEqual(expect.arrayContaining(["spec/validate.ts", "platforms/rules.ts", "platforms/gcp/rules.ts"]));
    expect(`x === "gcp"`.match(COMPARISON)).toHaveLength(1);
    expect(`switch (c) { case 'aws': }`.match(COMPARISON)).toHaveLength(1);
    const tree = fs.mkdtempSync(path.join(os.tmpdir(), "platform-branches-"));
    try {
      for (const rel of ["spec/zones.ts", "platforms/index.ts", "platforms/gcp/rules.ts"]) {
        fs.mkdirSync(path.dirname(path.join(tree, rel)), { recursive: true });
        fs.writeFileSync(path.join(tree, rel), `const a = cloud === "gcp" ? 1 : "aws" !== cloud ? 2 : 3;\n`);
      }
      expect(comparisonsByFile(tree)).toEqual({ "spec/zones.ts": 2, "platforms/index.ts": 2 });
    } finally {
      fs.rmSync(tree, { recursive: true, force: true });
    }
  });

  it("has no comparison of a platform name outside the platform folders", () => {
    expect(comparisonsByFile(), "branch through the platform registry (components/platforms/index.ts or rules.ts) instead").toEqual({});
  });
});
