import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../../plan/types";
import { discoveryRoleId, serviceAccountId } from "./naming";

/**
 * The masters' dedicated identity: a service account with one custom role,
 * read-only discovery of instances (`compute.instances.list`), which the
 * boot script uses to find its peers. Each replica's secret grants it
 * accessor on that secret alone (secrets.ts).
 */
export interface MasterIdentity {
  account: gcp.serviceaccount.Account;
  email: pulumi.Output<string>;
  /** `serviceAccount:<email>`, for IAM bindings. */
  member: pulumi.Output<string>;
  project: pulumi.Output<string>;
}

export function createMasterIdentity(name: string, plan: ControlPlanePlan, opts: pulumi.CustomResourceOptions): MasterIdentity {
  const project = plan.spec.gcpProject;
  const account = new gcp.serviceaccount.Account(
    `${name}-masters`,
    {
      accountId: serviceAccountId(plan.clusterName),
      displayName: `kube-ha ${plan.clusterName} control plane`,
      description: "Masters of a kube-ha control plane: reads its own key material and lists the cluster's instances.",
      ...(project ? { project } : {}),
    },
    opts,
  );
  const member = pulumi.interpolate`serviceAccount:${account.email}`;
  const projectId = project ? pulumi.output(project) : account.project;
  const role = new gcp.projects.IAMCustomRole(
    `${name}-discovery-role`,
    {
      roleId: discoveryRoleId(plan.clusterName),
      title: `kube-ha ${plan.clusterName} peer discovery`,
      description: "List compute instances, to find the other masters by label at boot.",
      permissions: ["compute.instances.list"],
      ...(project ? { project } : {}),
    },
    opts,
  );
  new gcp.projects.IAMMember(
    `${name}-discovery-binding`,
    { project: projectId, role: role.name, member },
    opts,
  );
  return { account, email: account.email, member, project: projectId };
}
