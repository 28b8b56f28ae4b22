import type { z } from "zod";
import { type SpecProblem, describeValue } from "./errors";
import { editDistance } from "./names";
import { CONFIG_KEYS } from "./schema";

/**
 * zod's structural issues → kube-ha's problems (key as the user writes it,
 * the value, the fix), with "did you mean" for unknown keys.
 */
export function zodProblems(error: z.ZodError, raw: unknown, prefix: string): SpecProblem[] {
  const out: SpecProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const known = issue.path.length === 0 ? CONFIG_KEYS : [];
        const near = known
          .map((k) => ({ k, d: editDistance(key.toLowerCase(), k.toLowerCase()) }))
          .sort((a, b) => a.d - b.d)[0];
        const hint = near && near.d <= 3 ? `did you mean "${near.k}"?` : "remove it";
        out.push({
          key: keyOf(prefix, path),
          value: describeValue(valueAt(raw, path)),
          message: `unknown key: ${hint}${issue.path.length === 0 ? ` (known keys: ${CONFIG_KEYS.join(", ")})` : ""}`,
        });
      }
      continue;
    }
    const value = valueAt(raw, issue.path);
    let fix = "";
    if (issue.code === "invalid_format" && "format" in issue && issue.format === "cidrv4") {
      fix = ": write an IPv4 CIDR such as 10.0.0.0/16";
    } else if (issue.code === "invalid_format" && "format" in issue && issue.format === "ipv4") {
      fix = ": write an IPv4 address such as 10.10.0.10";
    } else if (issue.code === "invalid_type" && value === undefined) {
      fix = ": this key is required";
    }
    out.push({ key: keyOf(prefix, issue.path), value: describeValue(value), message: `${issue.message}${fix}` });
  }
  return out;
}

export function withoutUnknownKeys(raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(raw) as Record<PropertyKey, unknown>;
  for (const issue of issues) {
    if (issue.code !== "unrecognized_keys") continue;
    const holder = valueAt(copy, issue.path);
    if (holder && typeof holder === "object") for (const key of issue.keys) delete (holder as Record<string, unknown>)[key];
  }
  return copy;
}

function keyOf(prefix: string, path: readonly PropertyKey[]): string {
  let key = prefix;
  path.forEach((p, i) => {
    if (typeof p === "number") key += `[${p}]`;
    else key += i === 0 ? String(p) : `.${String(p)}`;
  });
  return key;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = raw;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}
