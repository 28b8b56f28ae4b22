import type { ControlPlanePlan } from "../../plan/types";
import type { SpecProblem } from "../../spec/errors";
import { awsBootScript } from "./boot";
import { perBootCloudConfig } from "./cloud-config";
import { USER_DATA_LIMIT_BYTES, gzipUserData } from "./user-data";

/**
 * EC2 takes at most 16 KiB of user data, and a master's boot script (the
 * membership script, kubeadm's configuration, the pinned releases) fills
 * nearly all of it gzip-compressed. What varies per stack is small — names,
 * apiServerDnsName, clusterDomain — but a long DNS name can tip it over, and
 * EC2 would refuse the instance only in the middle of `pulumi up`.
 *
 * So the plan is checked first: every master's boot script is rendered with
 * the longest values the cloud can fill in later (an EBS volume id, an NLB
 * DNS name of the longest load-balancer name) and compressed exactly as the
 * component does; one that would not fit is a problem naming what to
 * shorten. Pure.
 */
export function awsUserDataProblems(plan: ControlPlanePlan, keyPrefix: string): SpecProblem[] {
  const volumeId = "vol-0123456789abcdef0";
  const internal = plan.loadBalancer.scheme === "internal" ? "internal-" : "";
  const nlbDnsName = `${internal}${"x".repeat(32)}-0123456789abcdef.elb.${plan.spec.region}.amazonaws.com`;
  const problems: SpecProblem[] = [];
  for (const replica of plan.masters) {
    const bytes = gzipUserData(perBootCloudConfig(awsBootScript(plan, replica, volumeId, nlbDnsName))).length;
    if (bytes <= USER_DATA_LIMIT_BYTES) continue;
    const dns = plan.loadBalancer.dnsName;
    const [key, value] = dns ? ["apiServerDnsName", dns] : ["clusterDomain", plan.spec.clusterDomain];
    problems.push({
      key: `${keyPrefix}${key}`,
      value: JSON.stringify(value),
      message:
        `${replica.name}'s boot script would be ${bytes} bytes gzip-compressed, over the ${USER_DATA_LIMIT_BYTES} bytes of user data EC2 accepts ` +
        `(${bytes - USER_DATA_LIMIT_BYTES} too many): shorten apiServerDnsName, clusterDomain, clusterName or the replica names`,
    });
    break;
  }
  return problems;
}
