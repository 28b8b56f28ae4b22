import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadStack } from "../../components/flows/stack-plan";
import { readStackConfig } from "../../components/preview/stack-files";
import { SpecError } from "../../components/spec/errors";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";

/**
 * Issue 9, item 9: a stack file with 100 000 keys is refused with a clear
 * message in well under the time bound, by the CLI flows and the preview
 * alike (yaml's own duplicate-key check compared every pair of keys and
 * never finished); a file of real size is checked for duplicates linearly.
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-big-stack-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HEAD = `config:
  kube-ha:cloud: gcp
  kube-ha:region: europe-west1
  kube-ha:replicaZones: [europe-west1-b, europe-west1-c, europe-west1-d]
`;

function withKeys(n: number, extra = ""): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(`  other:key${i}: value${i}`);
  return `${HEAD}${lines.join("\n")}\n${extra}`;
}

function timed<T>(f: () => T): { ms: number; result: T | unknown } {
  const start = performance.now();
  let result: T | unknown;
  try {
    result = f();
  } catch (e) {
    result = e;
  }
  return { ms: performance.now() - start, result };
}

describe("a stack file with 100 000 keys", () => {
  const big = withKeys(100_000);
  const dir = path.join(tmp, "project");
  fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: kube-ha\nruntime: nodejs\nstackConfigDir: stacks\n");
  fs.writeFileSync(path.join(dir, "stacks", "Pulumi.big.yaml"), big);

  it("is refused by the CLI flows within 5 s, naming the limit", () => {
    const { ms, result } = timed(() => loadStack(path.join(dir, "stacks"), "big"));
    expect(ms).toBeLessThan(5_000);
    expect(result).toBeInstanceOf(SpecError);
    expect((result as Error).message).toMatch(/100004 lines.*at most 10000 lines/);
  }, 120_000);

  it("is refused by the offline preview's reader within 5 s, the same way", () => {
    const { ms, result } = timed(() => readStackConfig(dir, "big"));
    expect(ms).toBeLessThan(5_000);
    expect(result).toBeInstanceOf(SpecError);
    expect((result as Error).message).toMatch(/at most 10000 lines/);
  }, 120_000);

  it("is refused when read from text too", () => {
    const { ms, result } = timed(() => rawConfigFromStackFile(big));
    expect(ms).toBeLessThan(5_000);
    expect(result).toBeInstanceOf(SpecError);
  }, 120_000);
});

describe("duplicate keys are found in one pass", () => {
  it("9 000 keys with one defined twice: refused in seconds, naming the key and both lines", () => {
    const text = withKeys(9_000, "  other:key42: again\n");
    const { ms, result } = timed(() => rawConfigFromStackFile(text));
    expect(ms).toBeLessThan(5_000);
    expect(result).toBeInstanceOf(SpecError);
    expect((result as SpecError).problems).toEqual([
      { key: "other:key42", value: "lines 47 and 9005", message: "defined twice (the Pulumi CLI refuses the file): keep one of them" },
    ]);
  }, 120_000);

  it("a duplicate inside a value (a replica listed with two zones) is refused too", () => {
    const text = `config:\n  kube-ha:cloud: gcp\n  kube-ha:region: europe-west1\n  kube-ha:replicas:\n    - zone: europe-west1-b\n      zone: europe-west1-c\n`;
    expect(() => rawConfigFromStackFile(text)).toThrow(/zone = lines 5 and 6: defined twice/);
  });
});
