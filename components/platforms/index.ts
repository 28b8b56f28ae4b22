import { awsPlatform } from "./aws";
import { gcpPlatform } from "./gcp";
import type { Platform } from "./platform";
import type { Cloud } from "../spec/schema";

/**
 * The registry: every platform kube-ha builds on, by name. Code outside the
 * platform folders reaches a platform only through it (issue 10); a new
 * platform is one entry here and one in the rules registry
 * (platforms/rules.ts), from which the config schema takes its names.
 */
export const PLATFORMS: Record<Cloud, Platform> = {
  gcp: gcpPlatform,
  aws: awsPlatform,
};
