import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../../plan/types";
import { firewallRuleSpecs } from "./firewall-rules";

/** One ingress allow rule per plan port (firewall-rules.ts); nothing else is opened. */
export function createFirewall(
  name: string,
  plan: ControlPlanePlan,
  network: pulumi.Input<string>,
  opts: pulumi.CustomResourceOptions,
): gcp.compute.Firewall[] {
  return firewallRuleSpecs(plan).map(
    (rule) =>
      new gcp.compute.Firewall(
        `${name}-allow-${rule.name}`,
        {
          name: rule.gcpName,
          description: rule.description,
          network,
          direction: "INGRESS",
          priority: 1000,
          allows: [{ protocol: rule.protocol, ports: rule.ports }],
          ...(rule.sourceRanges ? { sourceRanges: rule.sourceRanges } : {}),
          ...(rule.sourceTags ? { sourceTags: rule.sourceTags } : {}),
          targetTags: rule.targetTags,
        },
        opts,
      ),
  );
}
