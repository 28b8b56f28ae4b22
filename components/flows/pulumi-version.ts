/**
 * The oldest Pulumi CLI kube-ha's resources work with: the GCP instance-group
 * membership and the AWS target-group attachment are replaced with their
 * instance through the `replaceWith` resource option, which the engine
 * supports from v3.207.0 (older engines make the Node SDK throw "The Pulumi
 * CLI does not support the ReplaceWith option" in the middle of a run).
 */
export const MIN_PULUMI_CLI = "3.207.0";

function parts(version: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/**
 * Why this `pulumi version` output is too old for kube-ha, or undefined when
 * it is new enough (or not a version at all: Pulumi's own check reports that).
 */
export function pulumiVersionProblem(version: string): string | undefined {
  const have = parts(version);
  const need = parts(MIN_PULUMI_CLI)!;
  if (!have) return undefined;
  for (let i = 0; i < 3; i++) {
    if (have[i]! > need[i]!) return undefined;
    if (have[i]! < need[i]!) {
      return (
        `the Pulumi CLI here is ${version.trim()}; kube-ha needs ${MIN_PULUMI_CLI} or newer (its resources use the ` +
        "replaceWith option). Upgrade it: curl -fsSL https://get.pulumi.com | sh (or your package manager)"
      );
    }
  }
  return undefined;
}
