import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { SpecError, type SpecProblem, describeValue } from "./errors";

/**
 * The one reader of a stack file (`stacks/Pulumi.<stack>.yaml`), shared by the
 * offline preview and the CLI flows: text → the config a program receives
 * from the Pulumi CLI (`namespace:key` → string; objects and lists as JSON),
 * by the CLI's own rules, so that both paths (and `pulumi up`) see the same
 * values and refuse the same files:
 *
 * - a key without a namespace is the project's (`region:` is `kube-ha:region`);
 * - a scalar is handed over as YAML typed it, then written as a string:
 *   `kubernetesVersion: 1.30` is the number 1.3, so "1.3" (quote it);
 * - `secure:` values are kept out (a placeholder offline, listed as secret);
 * - a key with no value is refused (Pulumi reads it as "" today and plans
 *   to read it as null), and so is a key defined twice (Pulumi refuses it).
 *
 * Checked linearly, and a file far larger than any stack a person writes is
 * refused before it is parsed, so a huge file fails in milliseconds.
 */

/** The Pulumi config namespace kube-ha reads: the project name in Pulumi.yaml (bare stack keys belong to it). */
export const CONFIG_NAMESPACE = "kube-ha";

/** Value written offline in place of an encrypted `secure:` config value. */
export const SECURE_PLACEHOLDER = "[secure value: not decrypted offline]";

/** Lines a stack file may have; real ones have a few dozen to a few hundred. */
export const MAX_STACK_FILE_LINES = 10_000;

export interface StackFileConfig {
  /** `namespace:key` → value as Pulumi passes it to a program. */
  config: Record<string, string>;
  /** Keys whose value is a `secure:` (encrypted) value. */
  secretKeys: string[];
}

/**
 * The stack's own name, as Pulumi names its config file: `myorg/gcp-ha` and
 * `myorg/myproject/gcp-ha` are stack `gcp-ha`, whose file is `Pulumi.gcp-ha.yaml`.
 */
export function shortStackName(stack: string): string {
  return stack.slice(stack.lastIndexOf("/") + 1);
}

/** `Pulumi.<stack>.<ext>` for a stack name, org-qualified or not. */
export function stackFileName(stack: string, ext: "yaml" | "yml" = "yaml"): string {
  return `Pulumi.${shortStackName(stack)}.${ext}`;
}

/** Reads a stack file's text, or throws a SpecError naming each bad key with its fix (or an Error when it is not YAML). */
export function readStackFileConfig(text: string, file = "the stack file"): StackFileConfig {
  const lines = countLines(text);
  if (lines > MAX_STACK_FILE_LINES) {
    throw new SpecError([
      {
        key: "config",
        value: `${lines} lines`,
        message: `${file} is far larger than a stack file (kube-ha reads at most ${MAX_STACK_FILE_LINES} lines): check that it is the stack you meant, and move data that is not stack config elsewhere`,
      },
    ]);
  }
  const lineCounter = new LineCounter();
  // yaml's own duplicate-key check compares every pair of keys (quadratic): keys are checked below, once each.
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter });
  if (doc.errors.length > 0) throw new Error(`${file} does not parse as YAML: ${doc.errors[0]!.message}`);

  const problems: SpecProblem[] = [];
  duplicateKeys(doc.contents, lineCounter, problems);
  if (problems.length > 0) throw new SpecError(problems);

  const root = doc.contents;
  if (root !== null && !isMap(root)) {
    throw new SpecError([{ key: "config", value: "(whole file)", message: `${file} must be a map with a "config:" key` }]);
  }
  const configNode = root?.get("config", true);
  const result: StackFileConfig = { config: {}, secretKeys: [] };
  if (configNode === undefined || configNode === null || (isScalar(configNode) && configNode.value === null)) return result;
  if (!isMap(configNode)) {
    throw new SpecError([{ key: "config", value: describeValue(configNode.toJSON()), message: `"config" must be a map of namespace:key to value` }]);
  }

  for (const pair of configNode.items) {
    const keyText = scalarText(pair.key as Node | null);
    const full = pulumiKey(keyText);
    const value = pair.value as Node | null;
    if (full === undefined) {
      problems.push({
        key: keyText,
        value: describeValue(value?.toJSON?.() ?? null),
        message: `not a config key the Pulumi CLI reads: write namespace:key, e.g. ${CONFIG_NAMESPACE}:${keyText.split(":").pop()}`,
      });
      continue;
    }
    if (value === null || (isScalar(value) && value.value === null)) {
      problems.push({ key: full, value: "(empty)", message: "has no value: give it one, or delete the line to use the default" });
      continue;
    }
    if (isMap(value) && value.items.length === 1 && scalarText(value.items[0]!.key as Node | null) === "secure") {
      result.config[full] = SECURE_PLACEHOLDER;
      result.secretKeys.push(full);
      continue;
    }
    result.config[full] = isScalar(value) ? scalarText(value) : JSON.stringify(value.toJSON());
  }
  if (problems.length > 0) throw new SpecError(problems);
  return result;
}

/**
 * A key as Pulumi reads it: `ns:key`; a bare `key` is the project's
 * (`kube-ha:key`); the legacy `ns:config:key` is `ns:key`; undefined when
 * Pulumi would refuse the key.
 */
function pulumiKey(key: string): string | undefined {
  const parts = key.split(":");
  if (parts.length === 1 && key !== "") return `${CONFIG_NAMESPACE}:${key}`;
  if (parts.length === 2 && parts[0] !== "" && parts[1] !== "") return key;
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return `${parts[0]}:${parts[2]}`;
  return undefined;
}

/** A scalar as the Pulumi CLI hands it over: its YAML value (string, number, boolean) as a string. */
function scalarText(node: Node | null): string {
  if (node === null) return "";
  if (isScalar(node)) return String(node.value);
  return JSON.stringify(node.toJSON());
}

/** Every map's keys, once each (a Set per map): a key defined twice is a problem naming both lines. */
function duplicateKeys(node: unknown, lines: LineCounter, problems: SpecProblem[]): void {
  const stack: unknown[] = [node];
  while (stack.length > 0) {
    const n = stack.pop();
    if (isMap(n)) {
      const seen = new Map<string, number>();
      for (const pair of n.items) {
        const key = scalarText(pair.key as Node | null);
        const line = lineOf(pair.key, lines);
        const first = seen.get(key);
        if (first !== undefined) {
          problems.push({ key, value: `lines ${first} and ${line}`, message: "defined twice (the Pulumi CLI refuses the file): keep one of them" });
        } else {
          seen.set(key, line);
        }
        stack.push(pair.value);
      }
    } else if (isSeq(n)) {
      stack.push(...n.items);
    }
  }
}

function lineOf(node: unknown, lines: LineCounter): number {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? lines.linePos(range[0]).line : 0;
}

function countLines(text: string): number {
  let n = text.length > 0 && !text.endsWith("\n") ? 1 : 0;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) n++;
  return n;
}
