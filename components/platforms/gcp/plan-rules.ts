import type { ControlPlanePlan } from "../../plan/types";
import type { SpecProblem } from "../../spec/errors";

/**
 * What GcpControlPlane refuses beyond the cloud-neutral spec, as a pure
 * function of the plan: nothing today (GCP's limits are all in the spec's
 * platform rules). The component and the CLI flows both apply it, through
 * the platform registry (components/platforms/index.ts).
 */
export function gcpPlanProblems(_plan: ControlPlanePlan, _keyPrefix: string): SpecProblem[] {
  return [];
}
