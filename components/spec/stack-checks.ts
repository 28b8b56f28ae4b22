import type { ClusterSpec } from "./cluster-spec";
import { SpecError, type SpecProblem } from "./errors";
import { mistypedNamespaceKeys, mistypedNamespaceProblem } from "./namespace-check";
import { type ConfigEntry, plaintextCredentialFindings } from "./plaintext-credentials";
import { CONFIG_NAMESPACE, rawConfigFromPulumi } from "./stack-config";
import { parseClusterSpec } from "./validate";

/**
 * The checks on a stack's whole config map, beyond the `kube-ha:` keys the
 * spec validates: kube-ha keys under a mistyped namespace (errors) and
 * credentials in plain text (errors or warnings). Pure.
 */
export function stackConfigKeyFindings(entries: readonly ConfigEntry[]): { problems: SpecProblem[]; warnings: string[]; mistyped: Set<string> } {
  const values = new Map(entries.map((e) => [e.key, e.value]));
  const mistyped = mistypedNamespaceKeys(values.keys(), CONFIG_NAMESPACE);
  const credentials = plaintextCredentialFindings(entries);
  return {
    problems: [...mistyped.map((m) => mistypedNamespaceProblem(m, values.get(m.key))), ...credentials.problems],
    warnings: credentials.warnings,
    mistyped: new Set(mistyped.map((m) => m.key)),
  };
}

export interface ParsedStackConfig {
  spec: ClusterSpec;
  /** The `kube-ha:` keys as the spec parsed them (what the component takes as arguments). */
  raw: Record<string, unknown>;
  /** Warnings about the config map (the plan adds its own). */
  warnings: string[];
}

/**
 * Pulumi's all-config map (`namespace:key` → string) → the validated spec, or
 * one SpecError with every problem: the config map's and the spec's together.
 */
export function parseStackConfig(
  all: Record<string, string>,
  opts: { stackName: string; isSecret: (key: string) => boolean },
): ParsedStackConfig {
  const findings = stackConfigKeyFindings(Object.entries(all).map(([key, value]) => ({ key, value, secret: opts.isSecret(key) })));
  // A mistyped key already reported above is not also an unknown kube-ha key.
  const raw = rawConfigFromPulumi(Object.fromEntries(Object.entries(all).filter(([key]) => !findings.mistyped.has(key))));
  let spec: ClusterSpec;
  try {
    spec = parseClusterSpec(raw, { stackName: opts.stackName, keyPrefix: `${CONFIG_NAMESPACE}:` });
  } catch (e) {
    if (e instanceof SpecError) throw new SpecError([...findings.problems, ...e.problems]);
    throw e;
  }
  if (findings.problems.length > 0) throw new SpecError(findings.problems);
  return { spec, raw, warnings: findings.warnings };
}
