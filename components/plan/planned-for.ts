import type { Cloud } from "../spec/schema";
import type { ControlPlanePlan } from "./types";

/**
 * A plan handed to a cloud's component instead of its arguments (the ready
 * program plans once): it must be a plan for that cloud.
 */
export function plannedFor(cloud: Cloud, plan: ControlPlanePlan): ControlPlanePlan {
  if (plan.spec.cloud !== cloud) {
    throw new Error(`a plan for ${plan.spec.cloud} was given to the ${cloud} control plane: pass it to the ${plan.spec.cloud} one`);
  }
  return plan;
}
