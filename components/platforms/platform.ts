import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan, OpenPort } from "../plan/types";
import type { MockAnswer, MockContext } from "./preview-mock";
import type { BootParts } from "../render/boot-parts";
import type { SpecProblem } from "../spec/errors";
import type { Cloud } from "../spec/schema";
import type { PlatformRules } from "./rules-types";

/**
 * What differs per environment, behind one interface (issue 10): code
 * outside a platform's folder asks `PLATFORMS[cloud]` (platforms/index.ts) and
 * never compares a platform name. Every member is required, so the compiler
 * points at each answer a new platform owes. The addressing rules are pure
 * modules of their own below the spec layer (platforms/rules.ts), which the
 * spec reaches without this registry; a Platform carries them too (`rules`).
 */
export interface Platform {
  name: Cloud;
  /** Its addressing and validation rules, the same object as PLATFORM_RULES[name] (platforms/rules.ts). */
  rules: PlatformRules;
  /** Builds the control plane's resources from a plan made and checked already (the ready program's path). */
  controlPlane(name: string, plan: ControlPlanePlan): ControlPlaneOutputs;
  /** What this platform's component refuses beyond the cloud-neutral spec, as pure functions of the plan. */
  planRules(plan: ControlPlanePlan, keyPrefix: string): SpecProblem[];
  /** Provider settings of the ambient provider (config keys, environment) that disagree with the spec's region. */
  providerProblems(region: string, regionKey: string): SpecProblem[];
  /** Who a plan port's source is on this platform, concretely (addresses, tags, security groups). */
  portSources(plan: ControlPlanePlan, port: OpenPort): string[];
  /** What holds for every source portSources lists, said once; undefined when nothing. */
  portSourcesNote(plan: ControlPlanePlan, port: OpenPort): string | undefined;
  /** The boot data a replica's machine was registered with, from the recorded resources (offline preview, render). */
  bootData(resources: readonly RecordedRegistration[], replicaName: string): BootData | undefined;
  /** Where the machines' key material lives, in words. */
  secretStoreName: string;
  /** What the boot program needs from this platform: API helpers, peer discovery, key-material fetch (bash). */
  bootParts: BootParts;
  /** Offline preview: the provider packages whose resources and functions this platform answers for (`gcp` of `gcp:compute/instance:Instance`). */
  providerPackages: readonly string[];
  /** Offline preview: the config key of the ambient provider's region (`gcp:region`), read when kube-ha:region is unset. */
  providerRegionKey: string;
  /** Offline preview: what the mock cloud answers for one of this platform's resources (pure, deterministic from type and name). */
  mockResource(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer;
  /** Offline preview: the answer to one of this platform's provider functions; undefined when it has none of its own. */
  mockCall(token: string, inputs: Record<string, unknown>, ctx: MockContext): Record<string, unknown> | undefined;
}

/** The part of a recorded registration a platform reads. */
export interface RecordedRegistration {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}

export interface BootData {
  /** File name for `render` (startup-script.sh, user-data). */
  fileName: string;
  /** Exactly what the instance receives. */
  content: string;
  /** One line for the index. */
  what: string;
  /**
   * The device path of the etcd data disk the boot program was rendered
   * for, resolved by the platform from the disk the instance was registered
   * with (GCP: the attached disk's device name; AWS: the attached EBS
   * volume's id). Undefined when the machine has none, or it was not
   * recorded.
   */
  etcdDevice?: string;
}

/** What the ready program needs from a platform's control-plane component. */
export interface ControlPlaneOutputs {
  endpoint: pulumi.Output<string>;
  loadBalancerAddress: pulumi.Output<string>;
  adminKubeconfig: pulumi.Output<string>;
}
