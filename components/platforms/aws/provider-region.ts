import * as pulumi from "@pulumi/pulumi";
import { SpecError, type SpecProblem } from "../../spec/errors";

/**
 * The AWS provider builds in its own region, not in kube-ha's: a stack with
 * `aws:region: us-east-1` beside `kube-ha:region: eu-west-1` would put every
 * resource in us-east-1 while the plan, the zones and the masters' policy
 * say eu-west-1. kube-ha refuses the mismatch rather than setting a region
 * on its resources (a provider passed by the user stays the user's). Pure,
 * except for the readers at the bottom.
 */

/** Where the ambient AWS provider takes its region from, in the provider's order. */
export const AWS_REGION_SOURCES = {
  config: "aws:region",
  environment: ["AWS_REGION", "AWS_DEFAULT_REGION"],
} as const;

/** The key under which a provider passed to the component is reported. */
export const PASSED_PROVIDER_REGION = "provider.region";

/** The region the provider will use, and the key or variable it comes from. */
export interface ProviderRegion {
  region: string;
  /** `aws:region`, an environment variable, or PASSED_PROVIDER_REGION. */
  source: string;
}

/** The ambient provider's region: `aws:region`, else AWS_REGION, else AWS_DEFAULT_REGION (as @pulumi/aws reads it). */
export function ambientAwsRegion(configRegion: string | undefined, env: Record<string, string | undefined>): ProviderRegion | undefined {
  if (configRegion) return { region: configRegion, source: AWS_REGION_SOURCES.config };
  for (const name of AWS_REGION_SOURCES.environment) {
    const value = env[name];
    if (value) return { region: value, source: name };
  }
  return undefined;
}

/** A problem when the provider's region is not kube-ha's (none when it is, or when it is unknown). */
export function awsRegionProblems(specRegion: string, specRegionKey: string, provider: ProviderRegion | undefined): SpecProblem[] {
  if (!provider || provider.region === specRegion) return [];
  const fix =
    provider.source === AWS_REGION_SOURCES.config
      ? `set aws:region to ${specRegion} (pulumi config set aws:region ${specRegion}), or ${specRegionKey} to ${provider.region}`
      : provider.source === PASSED_PROVIDER_REGION
        ? `create the provider passed to AwsControlPlane with region ${specRegion}, or set ${specRegionKey} to ${provider.region}`
        : `set aws:region: ${specRegion} in the stack (it takes precedence over ${provider.source}), or unset ${provider.source}, or set ${specRegionKey} to ${provider.region}`;
  return [
    {
      key: provider.source,
      value: provider.region,
      message: `the AWS provider would build in ${provider.region}, while ${specRegionKey} is ${specRegion} (zones, subnets and the masters' policy are planned for it): ${fix}`,
    },
  ];
}

/** The problems of the ambient AWS provider (stack config `aws:region`, else the environment). */
export function ambientAwsRegionProblems(specRegion: string, specRegionKey: string): SpecProblem[] {
  return awsRegionProblems(specRegion, specRegionKey, ambientAwsRegion(new pulumi.Config("aws").get("region"), process.env));
}

/**
 * Whether the component's AWS resources use the ambient provider: no
 * provider in the args, and none the component's options could pass down.
 */
export function usesAmbientProvider(explicit: pulumi.ProviderResource | undefined, opts: pulumi.ComponentResourceOptions | undefined): boolean {
  return explicit === undefined && opts?.provider === undefined && opts?.providers === undefined && opts?.parent === undefined;
}

/**
 * A provider passed to the component: its region is known only once it
 * resolves, after the component has begun registering. A mismatch is then
 * reported as an error diagnostic on the component, which fails the update:
 * in the preview that `pulumi up` runs first (when the provider's region is a
 * literal), so nothing is built unless the preview is skipped.
 */
export function reportProviderRegion(provider: pulumi.ProviderResource | undefined, specRegion: string, component: pulumi.Resource): void {
  const region = (provider as { region?: pulumi.Output<string | undefined> } | undefined)?.region;
  if (!region || typeof region.apply !== "function") return;
  region.apply((r) => {
    const problems = awsRegionProblems(specRegion, "region", r ? { region: r, source: PASSED_PROVIDER_REGION } : undefined);
    if (problems.length > 0) void pulumi.log.error(new SpecError(problems).message, component);
  });
}
