import type * as gcp from "@pulumi/gcp";
import { planControlPlane } from "../../plan/control-plane-plan";
import { plannedFor } from "../../plan/planned-for";
import type { ControlPlanePlan } from "../../plan/types";
import { SpecError } from "../../spec/errors";
import type { ClusterSpecInput } from "../../spec/schema";
import { parseClusterSpec } from "../../spec/validate";
import type { EtcdPartsRenderer } from "./boot";
import { gcpPlanProblems } from "./plan-rules";
import type { GcpEtcdMemberRemovalHook } from "./removal";

/** GCP-only arguments, next to the cloud-neutral spec keys. */
export interface GcpOnlyArgs {
  /** A GCP provider for every cloud resource (project, credentials). */
  provider?: gcp.Provider;
  /**
   * The etcd member removal step of each machine (removal.ts):
   * by default kube-ha's removal command; `false` for none; or your own hook.
   */
  etcdMemberRemoval?: GcpEtcdMemberRemovalHook | false;
  /** Renders a member's etcd parts; defaults to renderEtcdBootParts. */
  etcdParts?: EtcdPartsRenderer;
  /**
   * Make `pulumi up` wait until each new master has joined (its apiserver
   * mirror pod Ready; components/membership/join-wait.ts). Default true; at
   * run time KUBE_HA_SKIP_JOIN_WAIT=true skips the wait.
   */
  joinWait?: boolean;
}

/** The component's arguments: the spec's keys without `cloud`, plus the GCP-only ones. */
export type GcpControlPlaneArgs = Omit<ClusterSpecInput, "cloud"> & GcpOnlyArgs;

/**
 * A plan made and checked already (the ready program parses and plans the
 * stack config once, with `kube-ha:` keys in its errors), with the GCP-only
 * arguments: the component does not parse again.
 */
export type GcpControlPlanePlannedArgs = { plan: ControlPlanePlan } & GcpOnlyArgs;

/**
 * Args → plan, or a SpecError with every problem. Pure: called before the
 * component registers anything, so bad input registers nothing. Everything
 * GCP refuses is in the cloud-neutral spec today (plan-rules.ts).
 */
export function planGcpControlPlane(name: string, args: GcpControlPlaneArgs | GcpControlPlanePlannedArgs): ControlPlanePlan {
  const plan = "plan" in args ? plannedFor("gcp", args.plan) : planControlPlane(parseGcpArgs(name, args));
  const problems = gcpPlanProblems(plan, "");
  if (problems.length > 0) throw new SpecError(problems);
  return plan;
}

function parseGcpArgs(name: string, args: GcpControlPlaneArgs) {
  const { provider: _p, etcdMemberRemoval: _r, etcdParts: _e, joinWait: _j, ...specArgs } = args;
  return parseClusterSpec({ ...specArgs, cloud: "gcp" }, { stackName: name, keyPrefix: "" });
}
