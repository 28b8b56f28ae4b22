import { awsPlanProblems } from "./aws/plan-rules";
import type { ControlPlanePlan } from "./plan/types";
import type { SpecProblem } from "./spec/errors";
import type { Cloud } from "./spec/schema";

/**
 * What each cloud's control-plane component refuses beyond the cloud-neutral
 * spec, as pure functions of the plan: the CLI flows apply them so they
 * refuse the same stacks `pulumi up` and the offline preview refuse.
 */
export const CLOUD_PLAN_RULES: Record<Cloud, (plan: ControlPlanePlan, keyPrefix: string) => SpecProblem[]> = {
  gcp: () => [],
  aws: awsPlanProblems,
};
