import { type MockAnswer, type MockContext, documentationAddress, mockDigest, nonEmptyString } from "../preview-mock";

/**
 * What the offline preview's mock cloud answers for GCP (the `gcp` provider
 * package): a resource's inputs echoed back plus the computed outputs a
 * program reads (addresses, self links, e-mails), deterministic from type
 * and name (components/platforms/preview-mock.ts). Pure.
 */

/** The provider packages whose resources and functions GCP answers for. */
export const GCP_PROVIDER_PACKAGES = ["gcp"] as const;

/** The project the preview builds in: kube-ha:gcpProject, else the provider's gcp:project. */
function previewProject(ctx: MockContext): string {
  return ctx.config["kube-ha:gcpProject"] ?? ctx.config["gcp:project"] ?? "preview-project";
}

/** A GCP resource: its self link and path as id; addresses, e-mails and secret names where a program reads them. */
export function gcpMockResource(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer {
  const project = nonEmptyString(inputs["project"]) ?? previewProject(ctx);
  const region = nonEmptyString(inputs["region"]) ?? ctx.region;
  const zone = nonEmptyString(inputs["zone"]);
  const resName = nonEmptyString(inputs["name"]) ?? name;
  const [, mod = "", kind = ""] = /^gcp:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
  const collection = `${kind.charAt(0).toLowerCase()}${kind.slice(1)}s`;
  const scope = zone ? `zones/${zone}` : type.includes("/region") || inputs["region"] !== undefined ? `regions/${region}` : "global";
  const path = `projects/${project}/${scope}/${collection}/${resName}`;
  const state: Record<string, unknown> = {
    ...inputs,
    name: resName,
    project,
    selfLink: `https://www.googleapis.com/${mod === "compute" ? "compute/v1" : mod}/${path}`,
  };
  const secretKeys: string[] = [];
  switch (type) {
    case "gcp:compute/address:Address":
    case "gcp:compute/globalAddress:GlobalAddress": {
      const internal = inputs["addressType"] === "INTERNAL";
      state["address"] = nonEmptyString(inputs["address"]) ?? (internal ? `10.255.${parseInt(mockDigest(name, 2), 16)}.10` : documentationAddress(`${project}/${resName}`));
      break;
    }
    case "gcp:compute/forwardingRule:ForwardingRule":
    case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
      state["ipAddress"] = nonEmptyString(inputs["ipAddress"]) ?? documentationAddress(`${project}/${resName}`);
      break;
    case "gcp:serviceaccount/account:Account": {
      const accountId = nonEmptyString(inputs["accountId"]) ?? name;
      const email = `${accountId}@${project}.iam.gserviceaccount.com`;
      Object.assign(state, { email, member: `serviceAccount:${email}`, uniqueId: String(parseInt(mockDigest(email, 12), 16)) });
      state["name"] = `projects/${project}/serviceAccounts/${email}`;
      return { id: state["name"] as string, state, secretKeys };
    }
    case "gcp:secretmanager/secret:Secret": {
      const secretId = nonEmptyString(inputs["secretId"]) ?? name;
      state["name"] = `projects/${project}/secrets/${secretId}`;
      state["secretId"] = secretId;
      return { id: state["name"] as string, state, secretKeys };
    }
    case "gcp:secretmanager/secretVersion:SecretVersion": {
      const secret = nonEmptyString(inputs["secret"]) ?? `projects/${project}/secrets/${name}`;
      state["name"] = `${secret}/versions/1`;
      state["version"] = "1";
      secretKeys.push("secretData");
      return { id: state["name"] as string, state, secretKeys };
    }
    case "gcp:compute/instance:Instance":
      state["instanceId"] = String(parseInt(mockDigest(path, 12), 16));
      state["currentStatus"] = "RUNNING";
      break;
    default:
      break;
  }
  return { id: path, state, secretKeys };
}

/** Answers to the GCP provider functions a program may call (project, images); undefined for any other. */
export function gcpMockCall(token: string, inputs: Record<string, unknown>, ctx: MockContext): Record<string, unknown> | undefined {
  switch (token) {
    case "gcp:organizations/getProject:getProject": {
      const project = previewProject(ctx);
      return { projectId: project, number: "123456789012", name: project, id: `projects/${project}` };
    }
    case "gcp:compute/getImage:getImage":
      return { ...inputs, selfLink: "https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2404-preview", name: "ubuntu-2404-preview" };
    default:
      return undefined;
  }
}
