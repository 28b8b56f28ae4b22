import type { BootData, Platform, RecordedRegistration } from "../platform";
import { AwsControlPlane } from "./control-plane";
import type { ControlPlanePlan, OpenPort } from "../../plan/types";
import { IDENTITY_KEYS } from "../../render/replica-identity";
import { awsBootParts } from "./boot-parts";
import { ebsVolumeDevicePath } from "./data-disk";
import { awsPlanProblems } from "./plan-rules";
import { AWS_PROVIDER_PACKAGES, awsMockCall, awsMockResource } from "./preview-mocks";
import { AWS_REGION_SOURCES, ambientAwsRegionProblems } from "./provider-region";
import { mastersThroughNlb } from "./firewall-rules";
import { decodeUserData } from "./user-data";
import { awsRules } from "./rules";

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

/** The security groups the rules are made of (firewall-rules.ts), in words. */
function portSources(plan: ControlPlanePlan, port: OpenPort): string[] {
  const from = port.from;
  switch (from.kind) {
    case "cidrs":
      return [...from.cidrs];
    case "health-checkers":
      return ["the NLB's security group (NLB health checks)"];
    case "load-balancer":
      return ["the NLB's security group"];
    case "masters":
      return [
        "masters only (the masters' own security group, self-referencing)",
        ...(port.ports[0] === plan.loadBalancer.port ? mastersThroughNlb(plan) : []),
      ];
  }
}

/** The allowed CIDRs reach the apiserver port through the NLB's security group. */
function portSourcesNote(plan: ControlPlanePlan, port: OpenPort): string | undefined {
  const lbPortOnly = port.ports[0] === plan.loadBalancer.port && port.ports[1] === plan.loadBalancer.port;
  if (port.from.kind !== "cidrs" || !lbPortOnly) return undefined;
  return port.from.cidrs.length === 1 ? "through the NLB's security group" : "all through the NLB's security group";
}

const INSTANCE = "aws:ec2/instance:Instance";
const VOLUME_ATTACHMENT = "aws:ec2/volumeAttachment:VolumeAttachment";

/** The instance's user data (decoded when gzip+base64), found by the replica tag every machine carries. */
function bootData(resources: readonly RecordedRegistration[], replicaName: string): BootData | undefined {
  const instance = resources.find((r) => r.custom && r.type === INSTANCE && (r.inputs["tags"] as Record<string, unknown> | undefined)?.[IDENTITY_KEYS.replica] === replicaName);
  if (!instance) return undefined;
  const text = decodeUserData(instance.inputs as { userData?: unknown; userDataBase64?: unknown });
  if (!text) return undefined;
  // The component attaches the etcd volume as "<instance resource>-etcd" (machine.ts).
  const attachment = resources.find((r) => r.type === VOLUME_ATTACHMENT && r.name === `${instance.name}-etcd`);
  const volumeId = attachment?.inputs["volumeId"];
  return {
    fileName: "user-data",
    content: text,
    what: `EC2 user-data of instance ${instance.name}, exactly as the instance receives it (cloud-config installing the compacted boot program)`,
    ...(typeof volumeId === "string" && volumeId.startsWith("vol-") ? { etcdDevice: ebsVolumeDevicePath(volumeId) } : {}),
  };
}
