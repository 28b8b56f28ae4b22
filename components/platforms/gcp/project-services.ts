import * as gcp from "@pulumi/gcp";
import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../../plan/types";

/**
 * The Google APIs a control plane uses, by what needs them. A new project
 * has few APIs on, and the first resource made through a disabled one fails.
 */
export const PROJECT_APIS = {
  /** Networks, addresses, firewall, load balancer, disks, instances. */
  compute: "compute.googleapis.com",
  /** Each replica's key material. */
  secretManager: "secretmanager.googleapis.com",
  /** The masters' service account and its custom role. */
  iam: "iam.googleapis.com",
  /** The project IAM binding that grants the masters that role (projects.setIamPolicy). */
  resourceManager: "cloudresourcemanager.googleapis.com",
  /** The etcd member removal reaches a survivor with `gcloud compute ssh --tunnel-through-iap`. */
  iap: "iap.googleapis.com",
} as const;

export type ProjectApi = keyof typeof PROJECT_APIS;

/** The enabled APIs; `iap` only when a removal step runs. */
export interface ProjectServices {
  compute: gcp.projects.Service;
  secretManager: gcp.projects.Service;
  iam: gcp.projects.Service;
  resourceManager: gcp.projects.Service;
  iap?: gcp.projects.Service;
}

/** Which APIs a control plane needs: IAP only when a removal step runs (it tunnels through IAP). */
export function requiredApis(opts: { memberRemoval: boolean }): ProjectApi[] {
  return (Object.keys(PROJECT_APIS) as ProjectApi[]).filter((api) => api !== "iap" || opts.memberRemoval);
}

/**
 * One `gcp.projects.Service` per required API, in the spec's project (or the
 * provider's). Cluster-wide: they read no replica, so adding a replica never
 * touches them. `disableOnDestroy: false`: other workloads in the project
 * may use these APIs, so destroying the control plane leaves them on.
 * Enabling an API needs the Service Usage API, which projects have on by default.
 */
export function enableProjectServices(
  name: string,
  plan: ControlPlanePlan,
  need: { memberRemoval: boolean },
  opts: pulumi.CustomResourceOptions,
): ProjectServices {
  const project = plan.spec.gcpProject;
  const enable = (api: ProjectApi) =>
    new gcp.projects.Service(
      `${name}-service-${api.toLowerCase()}`,
      { service: PROJECT_APIS[api], disableOnDestroy: false, ...(project ? { project } : {}) },
      opts,
    );
  const apis = requiredApis(need);
  return {
    compute: enable("compute"),
    secretManager: enable("secretManager"),
    iam: enable("iam"),
    resourceManager: enable("resourceManager"),
    ...(apis.includes("iap") ? { iap: enable("iap") } : {}),
  };
}
