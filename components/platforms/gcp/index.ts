import type { BootData, Platform, RecordedRegistration } from "../platform";
import { GcpControlPlane } from "./control-plane";
import type { ControlPlanePlan, OpenPort } from "../../plan/types";
import { IDENTITY_KEYS } from "../../render/replica-identity";
import { gcpBootParts } from "./boot-parts";
import { gcpDiskDevicePath } from "./data-disk";
import { healthCheckRanges } from "./firewall-rules";
import { gcpPlanProblems } from "./plan-rules";
import { roleTag } from "./naming";
import { GCP_PROVIDER_PACKAGES, gcpMockCall, gcpMockResource } from "./preview-mocks";
import { GCP_LOCATION_SOURCES, ambientGcpLocationProblems } from "./provider-region";
import { gcpRules } from "./rules";

/** GCP behind the platform seam (components/platforms/platform.ts). */
export const gcpPlatform: Platform = {
  name: "gcp",
  rules: gcpRules,
  controlPlane: (name, plan) => new GcpControlPlane(name, { plan }),
  planRules: gcpPlanProblems,
  providerProblems: ambientGcpLocationProblems,
  portSources,
  portSourcesNote: (_plan, port) => (port.from.kind === "health-checkers" ? "Google health checkers" : undefined),
  bootData,
  secretStoreName: "GCP Secret Manager",
  bootParts: gcpBootParts,
  providerPackages: GCP_PROVIDER_PACKAGES,
  providerRegionKey: GCP_LOCATION_SOURCES.region.config,
  mockResource: gcpMockResource,
  mockCall: gcpMockCall,
};

/** The same pure functions the firewall is built from (firewall-rules.ts), so the report cannot drift from it. */
function portSources(plan: ControlPlanePlan, port: OpenPort): string[] {
  const from = port.from;
  switch (from.kind) {
    case "cidrs":
      return [...from.cidrs];
    case "health-checkers":
      return healthCheckRanges(plan.loadBalancer.scheme);
    case "load-balancer":
      return ["the load balancer (passthrough: client addresses are kept)"];
    case "masters":
      return [...new Set(["master" as const, ...port.to])].map(
        (role) => `${role === "master" ? "masters" : "etcd members"} only (network tag ${roleTag(plan.clusterName, role)})`,
      );
  }
}

const INSTANCE = "gcp:compute/instance:Instance";

/** The instance's `startup-script` metadata, found by the replica label every machine carries. */
function bootData(resources: readonly RecordedRegistration[], replicaName: string): BootData | undefined {
  const instance = resources.find((r) => r.custom && r.type === INSTANCE && (r.inputs["labels"] as Record<string, unknown> | undefined)?.[IDENTITY_KEYS.replica] === replicaName);
  if (!instance) return undefined;
  const inputs = instance.inputs;
  const metadata = (inputs["metadata"] ?? {}) as Record<string, unknown>;
  const script = inputs["metadataStartupScript"] ?? metadata["startup-script"];
  if (typeof script !== "string") return undefined;
  const disks = (Array.isArray(inputs["attachedDisks"]) ? inputs["attachedDisks"] : []) as { deviceName?: unknown }[];
  const deviceName = disks.map((d) => d.deviceName).find((d): d is string => typeof d === "string");
  return {
    fileName: "startup-script.sh",
    content: script,
    what: `GCP startup-script of instance ${instance.name}, exactly as the instance receives it (installs the compacted boot program)`,
    ...(deviceName ? { etcdDevice: gcpDiskDevicePath(deviceName) } : {}),
  };
}
