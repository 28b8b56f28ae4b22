import type { Platform } from "../platform";
import { AwsControlPlane } from "./control-plane";
import { awsBootParts } from "./boot-parts";
import { awsPlanProblems } from "./plan-rules";
import { AWS_PROVIDER_PACKAGES, awsMockCall, awsMockResource } from "./preview-mocks";
import { AWS_REGION_SOURCES, ambientAwsRegionProblems } from "./provider-region";
import { awsRules } from "./rules";
import { bootData } from "./boot-data";
import { portSources, portSourcesNote } from "./report";

/** AWS behind the platform seam (components/platforms/platform.ts). */
export const awsPlatform: Platform = {
  name: "aws",
  rules: awsRules,
  controlPlane: (name, plan) => new AwsControlPlane(name, { plan }),
  planRules: awsPlanProblems,
  providerProblems: ambientAwsRegionProblems,
  portSources,
  portSourcesNote,
  bootData,
  secretStoreName: "AWS Secrets Manager",
  bootParts: awsBootParts,
  providerPackages: AWS_PROVIDER_PACKAGES,
  providerRegionKey: AWS_REGION_SOURCES.config,
  mockResource: awsMockResource,
  mockCall: awsMockCall,
};
