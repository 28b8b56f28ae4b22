import type * as pulumi from "@pulumi/pulumi";
import { planControlPlane } from "../../plan/control-plane-plan";
import { plannedFor } from "../../plan/planned-for";
import type { ControlPlanePlan } from "../../plan/types";
import { SpecError } from "../../spec/errors";
import type { ClusterSpecInput } from "../../spec/schema";
import { parseClusterSpec } from "../../spec/validate";
import type { EtcdMemberRemovalHook } from "./removal";
import { type AwsNetworkLayout, awsNetworkLayout } from "./network-layout";
import { awsPlanProblems } from "./plan-rules";

/** AWS-only arguments, next to the cloud-neutral spec keys. */
export interface AwsOnlyArgs {
  /** Explicit AWS provider for every child (default: the ambient one). */
  provider?: pulumi.ProviderResource;
  /**
   * The etcd member removal step of each replica (removal.ts): by
   * default kube-ha's removal command through SSM Run Command (and the SSM
   * managed-instance policy on the masters' role); `false` for neither; or
   * your own hook (the SSM policy is still attached).
   */
  etcdMemberRemoval?: EtcdMemberRemovalHook | false;
  /**
   * Make `pulumi up` wait until each new master has joined (its apiserver
   * mirror pod Ready; components/membership/join-wait.ts). Default true; at
   * run time KUBE_HA_SKIP_JOIN_WAIT=true skips the wait.
   */
  joinWait?: boolean;
}

/** The component's arguments: the spec's keys without `cloud`, plus the AWS-only ones. */
export type AwsControlPlaneArgs = Omit<ClusterSpecInput, "cloud"> & AwsOnlyArgs;

/**
 * A plan made and checked already (the ready program parses and plans the
 * stack config once, with `kube-ha:` keys in its errors), with the AWS-only
 * arguments: the component does not parse again.
 */
export type AwsControlPlanePlannedArgs = { plan: ControlPlanePlan } & AwsOnlyArgs;

export interface AwsControlPlanePlan {
  plan: ControlPlanePlan;
  layout: AwsNetworkLayout;
}

/**
 * Args → plan and network layout, or a SpecError with every problem. Pure:
 * called before the component registers anything, so bad input registers
 * nothing. Adds the AWS rules the cloud-neutral spec cannot know: NLB
 * health-check limits, the AWS-only network arguments, and the topology
 * this component builds.
 */
export function planAwsControlPlane(name: string, args: AwsControlPlaneArgs | AwsControlPlanePlannedArgs): AwsControlPlanePlan {
  const plan = "plan" in args ? plannedFor("aws", args.plan) : planControlPlane(parseAwsArgs(name, args));
  const problems = awsPlanProblems(plan, "");
  if (problems.length > 0) throw new SpecError(problems);
  return { plan, layout: awsNetworkLayout(plan) };
}

function parseAwsArgs(name: string, args: AwsControlPlaneArgs) {
  const { provider: _provider, etcdMemberRemoval: _hook, joinWait: _joinWait, ...specArgs } = args;
  return parseClusterSpec({ ...specArgs, cloud: "aws" }, { stackName: name, keyPrefix: "" });
}
