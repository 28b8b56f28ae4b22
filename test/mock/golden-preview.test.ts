import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { previewJson, previewJsonText } from "../../components/preview/preview-json";
import { previewStack } from "../../components/preview/preview-stack";
import { listStacks } from "../../components/preview/stack-files";

/**
 * Golden previews: the offline preview JSON (every resource's type, name,
 * parent and inputs, and the HA report) of every shipped stack, and of the
 * fixture stacks in test/golden/project that reach the branches the shipped
 * ones do not, must equal the files under test/golden. A refactor that
 * claims no behaviour change (the platform seam) passes unchanged; a change
 * that means to alter what is built regenerates them, in its own commit:
 *
 *   UPDATE_GOLDEN=1 npx vitest run test/mock/golden-preview.test.ts
 *
 * Resources are compared in (type, name) order: the order in which Pulumi's
 * mock runtime registers them is not behaviour. A string longer than
 * LONG_STRING (boot scripts, user-data) is kept as its SHA-256 and length:
 * pinned exactly, without a megabyte of scripts in the repository (read one
 * with `kube-ha render`).
 */

const ROOT = path.resolve(__dirname, "../..");
const GOLDEN = path.join(ROOT, "test/golden");
const PROJECTS = [
  { dir: ROOT, prefix: "" },
  { dir: path.join(GOLDEN, "project"), prefix: "fixture-" },
];
const update = process.env["UPDATE_GOLDEN"] === "1";

type Doc = ReturnType<typeof previewJson>;

const LONG_STRING = 2048;

function digestLongStrings(value: unknown): unknown {
  if (typeof value === "string" && value.length > LONG_STRING) {
    return `sha256:${createHash("sha256").update(value).digest("hex")} (${value.length} chars)`;
  }
  if (Array.isArray(value)) return value.map(digestLongStrings);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, digestLongStrings(v)]));
  return value;
}

async function render(dir: string, stack: string): Promise<Doc> {
  const p = await previewStack(dir, stack);
  const doc = digestLongStrings(JSON.parse(previewJsonText(previewJson(p.stack, p.resources, p.report)))) as Doc;
  doc.resources.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type.localeCompare(b.type)));
  return doc;
}

/** The first differing paths between two JSON values, for a message a person can act on. */
function differences(a: unknown, b: unknown, at = "", out: string[] = []): string[] {
  if (out.length >= 12) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${at || "(root)"}: ${JSON.stringify(a)?.slice(0, 120)} → ${JSON.stringify(b)?.slice(0, 120)}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.push(`${at}: ${a.length} → ${b.length} items`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const label = (a[i] as { type?: string; name?: string })?.name ? `${at}[${(a[i] as { name: string }).name}]` : `${at}[${i}]`;
      differences(a[i], b[i], label, out);
    }
  } else if (a && typeof a === "object" && b && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out);
    }
  } else if (a !== b) {
    out.push(`${at}: ${JSON.stringify(a)?.slice(0, 120)} → ${JSON.stringify(b)?.slice(0, 120)}`);
  }
  return out;
}

const cases = PROJECTS.flatMap(({ dir, prefix }) => listStacks(dir).map((stack) => ({ dir, stack, file: path.join(GOLDEN, `${prefix}${stack}.json`) })));

describe("golden previews: what every stack builds is pinned", () => {
  it("covers the shipped stacks and the fixture stacks", () => {
    expect(cases.map((c) => path.basename(c.file)).sort()).toEqual(
      [
        "aws-ha.json",
        "gcp-ha.json",
        "gcp-single.json",
        "fixture-aws-existing-vpc.json",
        "fixture-gcp-external-etcd.json",
        "fixture-gcp-internal.json",
      ].sort(),
    );
  });

  it.each(cases.map((c) => [path.basename(c.file), c] as const))("%s equals the preview of today's code", async (_name, c) => {
    const doc = await render(c.dir, c.stack);
    if (update) fs.writeFileSync(c.file, `${JSON.stringify(doc, null, 1)}\n`);
    expect(fs.existsSync(c.file), `${c.file} is missing: UPDATE_GOLDEN=1 writes it`).toBe(true);
    const golden = JSON.parse(fs.readFileSync(c.file, "utf8")) as Doc;
    const diff = differences(golden, doc);
    expect(diff, `the preview of ${c.stack} differs from ${path.relative(ROOT, c.file)} (golden → now):\n${diff.join("\n")}`).toEqual([]);
  });
});
