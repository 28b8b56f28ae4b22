import { SpecError } from "./errors";
import { mistypedNamespaceKeys, mistypedNamespaceProblem } from "./namespace-check";
import { plaintextCredentialFindings } from "./plaintext-credentials";

/**
 * A stack file's `config:` map, read directly (the CLI does, without Pulumi):
 * refuses kube-ha keys under a mistyped namespace and cloud credentials in
 * plain text, as the program does for the config Pulumi hands it.
 */
export function refuseMisplacedKeys(config: Record<string, unknown>, namespace: string, secretKeys: readonly string[] = []): void {
  const mistyped = mistypedNamespaceKeys(Object.keys(config), namespace);
  const credentials = plaintextCredentialFindings(
    Object.entries(config).map(([key, value]) => ({
      key,
      value,
      secret: secretKeys.includes(key) || (typeof value === "object" && value !== null && "secure" in value),
    })),
  );
  const problems = [...mistyped.map((m) => mistypedNamespaceProblem(m, config[m.key])), ...credentials.problems];
  if (problems.length > 0) throw new SpecError(problems);
}
