import type { Platform } from "../platform";
import { GcpControlPlane } from "./control-plane";
import { gcpBootParts } from "./boot-parts";
import { gcpPlanProblems } from "./plan-rules";
import { GCP_PROVIDER_PACKAGES, gcpMockCall, gcpMockResource } from "./preview-mocks";
import { GCP_LOCATION_SOURCES, ambientGcpLocationProblems } from "./provider-region";
import { gcpRules } from "./rules";
import { bootData } from "./boot-data";
import { portSources, portSourcesNote } from "./report";

/** GCP behind the platform seam (components/platforms/platform.ts). */
export const gcpPlatform: Platform = {
  name: "gcp",
  rules: gcpRules,
  controlPlane: (name, plan) => new GcpControlPlane(name, { plan }),
  planRules: gcpPlanProblems,
  providerProblems: ambientGcpLocationProblems,
  portSources,
  portSourcesNote,
  bootData,
  secretStoreName: "GCP Secret Manager",
  bootParts: gcpBootParts,
  providerPackages: GCP_PROVIDER_PACKAGES,
  providerRegionKey: GCP_LOCATION_SOURCES.region.config,
  mockResource: gcpMockResource,
  mockCall: gcpMockCall,
};
