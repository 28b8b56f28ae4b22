import type { z } from "zod";
import { type SpecProblem, describeValue } from "./errors";
import { editDistance } from "./names";
import { clusterSpecInput } from "./schema";

/**
 * zod's structural issues → kube-ha's problems (key as the user writes it,
 * the value, the fix), with "did you mean" for unknown keys at any depth and
 * for enum values. `schema`: the one that found them (the keys it knows are
 * the suggestions); the stack config's by default.
 */
export function zodProblems(error: z.ZodError, raw: unknown, prefix: string, schema: z.ZodType = clusterSpecInput): SpecProblem[] {
  const out: SpecProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(issue.path, schema);
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const near = nearest(key, known, 3);
        const hint = near ? `did you mean "${near}"?` : "remove it";
        out.push({
          key: keyOf(prefix, path),
          value: describeValue(valueAt(raw, path)),
          message: `unknown key: ${hint}${known.length > 0 ? ` (known keys${issue.path.length > 0 ? ` of ${keyOf("", issue.path)}` : ""}: ${known.join(", ")})` : ""}`,
        });
      }
      continue;
    }
    const value = valueAt(raw, issue.path);
    out.push({ key: keyOf(prefix, issue.path), value: describeValue(value), message: friendlyMessage(issue, value) });
  }
  return out;
}

/** One issue's text for a person: what is wrong and what to write instead. */
function friendlyMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === "invalid_value") {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(", ");
    const near = typeof value === "string" ? enumSuggestion(value, issue.values) : undefined;
    return `not an allowed value: use one of ${allowed}${near !== undefined ? ` (did you mean ${JSON.stringify(near)}?)` : ""}`;
  }
  if (issue.code === "invalid_format" && issue.format === "cidrv4") return `${issue.message}: write an IPv4 CIDR such as 10.0.0.0/16`;
  if (issue.code === "invalid_format" && issue.format === "ipv4") return `${issue.message}: write an IPv4 address such as 10.10.0.10`;
  if (issue.code === "invalid_type" && value === undefined) return `${issue.message}: this key is required`;
  if (issue.code === "invalid_type") return `must be ${kindOf(issue.expected)}, not ${value === null ? "null" : kindOf(Array.isArray(value) ? "array" : typeof value)}`;
  if ((issue.code === "too_small" || issue.code === "too_big") && issue.origin === "number") {
    return `${issue.code === "too_small" ? "too small" : "too large"}: use a number ${issue.code === "too_small" ? "≥" : "≤"} ${String(issue.code === "too_small" ? issue.minimum : issue.maximum)}`;
  }
  if (issue.code === "too_small" && issue.origin === "array") return `needs at least ${String(issue.minimum)} entr${Number(issue.minimum) === 1 ? "y" : "ies"}`;
  if (issue.code === "too_small" && issue.origin === "string") return "must not be empty";
  return issue.message;
}

/** A zod type name as a person says it: "a list", "a map", "a number". */
function kindOf(type: string): string {
  const name = type === "array" ? "list" : type === "object" || type === "record" ? "map" : type;
  return `${/^[aeiou]/.test(name) ? "an" : "a"} ${name}`;
}

/** The allowed value a mistyped one most likely meant: same letters in another case, or within 2 edits. */
export function enumSuggestion(value: string, allowed: readonly unknown[]): unknown {
  const strings = allowed.filter((v): v is string => typeof v === "string");
  const sameCase = strings.find((v) => v.toLowerCase() === value.trim().toLowerCase());
  if (sameCase !== undefined) return sameCase;
  const near = nearest(value, strings, 2);
  return near;
}

function nearest(word: string, candidates: readonly string[], maxDistance: number): string | undefined {
  const best = candidates
    .map((k) => ({ k, d: editDistance(word.toLowerCase(), k.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  return best && best.d <= maxDistance ? best.k : undefined;
}

type SchemaNode = { _zod: { def: Record<string, unknown> & { type: string } } };

/** The keys the schema knows for the object at `path` (list indices and record keys are walked through). */
export function knownKeysAt(path: readonly PropertyKey[], schema: z.ZodType = clusterSpecInput): string[] {
  let node: SchemaNode | undefined = schema as unknown as SchemaNode;
  const unwrap = (n: SchemaNode | undefined): SchemaNode | undefined => {
    let cur = n;
    while (cur && cur._zod.def["innerType"]) cur = cur._zod.def["innerType"] as SchemaNode;
    return cur;
  };
  for (const p of path) {
    node = unwrap(node);
    if (!node) return [];
    const def = node._zod.def;
    if (def.type === "object") node = (def["shape"] as Record<string, SchemaNode>)[String(p)];
    else if (def.type === "array") node = def["element"] as SchemaNode;
    else if (def.type === "record") node = def["valueType"] as SchemaNode;
    else return [];
  }
  node = unwrap(node);
  return node && node._zod.def.type === "object" ? Object.keys(node._zod.def["shape"] as object) : [];
}

/**
 * The input with every structurally bad value taken out (or, for an enum
 * value with an obvious meaning such as `GCP`, replaced by it), so the rules
 * that relate several keys can still run and report their problems in the
 * same pass. `dropped` names the top-level keys whose value was removed:
 * problems about them (or mentioning them) would describe a default, not
 * what the user wrote. Undefined when a required key cannot be repaired.
 */
export function repairInput(
  raw: unknown,
  issues: readonly z.core.$ZodIssue[],
  parse: (input: unknown) => { success: boolean; error?: { issues: readonly z.core.$ZodIssue[] } },
): { input: unknown; dropped: Set<string> } | undefined {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return undefined;
  const copy = structuredClone(raw) as Record<string, unknown>;
  const dropped = new Set<string>();
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys") {
      const holder = valueAt(copy, issue.path);
      if (holder && typeof holder === "object") for (const key of issue.keys) delete (holder as Record<string, unknown>)[key];
      continue;
    }
    const value = valueAt(copy, issue.path);
    const suggestion = issue.code === "invalid_value" && typeof value === "string" ? enumSuggestion(value, issue.values) : undefined;
    if (suggestion !== undefined) {
      setAt(copy, issue.path, suggestion);
      continue;
    }
    if (issue.path.length === 0) return undefined;
    dropped.add(String(issue.path[0]));
    delete copy[String(issue.path[0])];
  }
  const again = parse(copy);
  if (!again.success) return undefined;
  return { input: copy, dropped };
}

/** Whether a problem found on the repaired input is about (or names) a key whose value was dropped. */
export function mentionsDropped(problem: SpecProblem, prefix: string, dropped: ReadonlySet<string>): boolean {
  const top = problem.key.slice(prefix.length).split(/[.[]/)[0]!;
  if (dropped.has(top)) return true;
  return [...dropped].some((k) => new RegExp(`\\b${k}\\b`).test(problem.message));
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

function setAt(raw: Record<string, unknown>, path: readonly PropertyKey[], value: unknown): void {
  const holder = valueAt(raw, path.slice(0, -1));
  if (holder && typeof holder === "object") (holder as Record<PropertyKey, unknown>)[path[path.length - 1]!] = value;
}
