import { awsRules } from "./aws/rules";
import { gcpRules } from "./gcp/rules";
import type { PlatformRules } from "./rules-types";

/**
 * Every platform's addressing and validation rules, by name (issue 10). The
 * spec, the planner and the flows ask `PLATFORM_RULES[cloud]`; the config
 * schema takes its `cloud` values from PLATFORM_NAMES. Pure, and below the
 * spec layer: it imports nothing at run time but the rule modules.
 *
 * A new platform is one entry here (its rules.ts) and one in the full
 * registry (platforms/index.ts).
 */
export const PLATFORM_RULES = {
  gcp: gcpRules,
  aws: awsRules,
} as const satisfies Record<string, PlatformRules>;

export type PlatformName = keyof typeof PLATFORM_RULES;

/** The platform names, in the registry's order (the order messages list them in). */
export const PLATFORM_NAMES = Object.keys(PLATFORM_RULES) as [PlatformName, ...PlatformName[]];

export type { PlatformRules } from "./rules-types";
