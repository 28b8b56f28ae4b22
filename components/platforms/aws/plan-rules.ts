import type { ControlPlanePlan } from "../../plan/types";
import type { SpecProblem } from "../../spec/errors";
import { nlbHealthCheckProblems } from "./health-check";
import { awsClusterNameProblems } from "./naming";
import { awsUserDataProblems } from "./user-data-budget";

/**
 * What AwsControlPlane refuses beyond the cloud-neutral spec: cluster names
 * AWS would refuse in a derived name (naming.ts), NLB health-check limits and
 * the etcd topology it builds. Pure; the component
 * and the CLI flows (through the platform registry, components/platforms/index.ts) both apply it.
 */
export function awsPlanProblems(plan: ControlPlanePlan, keyPrefix: string): SpecProblem[] {
  const problems: SpecProblem[] = [
    ...awsClusterNameProblems(plan.clusterName, `${keyPrefix}clusterName`),
    ...nlbHealthCheckProblems(plan.loadBalancer, keyPrefix),
  ];
  if (plan.etcd.topology === "external") {
    problems.push({
      key: `${keyPrefix}etcdTopology`,
      value: JSON.stringify(plan.etcd.topology),
      message: "AwsControlPlane builds stacked etcd only (each master runs a member): use etcdTopology: stacked",
    });
  }
  // Rendering boot scripts costs a few milliseconds each: only for a plan that is otherwise fine.
  if (problems.length === 0) problems.push(...awsUserDataProblems(plan, keyPrefix));
  return problems;
}
