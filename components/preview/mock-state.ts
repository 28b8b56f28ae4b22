import { createHash } from "node:crypto";

/**
 * What the offline preview's mock cloud answers for a resource: its inputs
 * echoed back plus the computed outputs a program reads (addresses, self
 * links, ARNs, e-mails, PEMs), deterministic from type and name. Pure and
 * total: never throws, because a throwing mock floods the Pulumi runtime with
 * unhandled rejections.
 *
 * Addresses come from the documentation ranges (RFC 5737), so nothing in a
 * preview can be mistaken for a real endpoint.
 */

export interface MockContext {
  gcpProject: string;
  region: string;
}

export interface MockAnswer {
  id: string;
  state: Record<string, unknown>;
  /** State keys that hold key material (a real provider marks them secret). */
  secretKeys: string[];
}

function digest(text: string, length = 10): string {
  return createHash("sha256").update(text).digest("hex").slice(0, length);
}

/** A stable address in 203.0.113.0/24 (TEST-NET-3) for an external LB address. */
export function documentationAddress(seed: string): string {
  const n = parseInt(digest(seed, 4), 16);
  return `203.0.113.${(n % 200) + 10}`;
}

/** A recognisable, PEM-shaped placeholder (not a usable key: the mock cloud mints no keys). */
export function placeholderPem(label: "PRIVATE KEY" | "CERTIFICATE" | "CERTIFICATE REQUEST" | "PUBLIC KEY", seed: string): string {
  const body = Buffer.from(`kube-ha offline preview placeholder ${label.toLowerCase()} for ${seed}`).toString("base64");
  const lines = body.match(/.{1,64}/g) ?? [body];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

export function mockAnswer(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer {
  try {
    if (type.startsWith("gcp:")) return gcp(type, name, inputs, ctx);
    if (type.startsWith("aws:")) return aws(type, name, inputs, ctx);
    if (type.startsWith("tls:")) return tls(type, name, inputs);
    if (type.startsWith("command:")) return { id: `${name}-${digest(type + name)}`, state: { ...inputs, stdout: "", stderr: "" }, secretKeys: [] };
    return { id: `${name}-${digest(type + name)}`, state: { ...inputs }, secretKeys: [] };
  } catch {
    return { id: `${name}-id`, state: { ...inputs }, secretKeys: [] };
  }
}

function gcp(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer {
  const project = str(inputs["project"]) ?? ctx.gcpProject;
  const region = str(inputs["region"]) ?? ctx.region;
  const zone = str(inputs["zone"]);
  const resName = str(inputs["name"]) ?? name;
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
      state["address"] = str(inputs["address"]) ?? (internal ? `10.255.${parseInt(digest(name, 2), 16)}.10` : documentationAddress(`${project}/${resName}`));
      break;
    }
    case "gcp:compute/forwardingRule:ForwardingRule":
    case "gcp:compute/globalForwardingRule:GlobalForwardingRule":
      state["ipAddress"] = str(inputs["ipAddress"]) ?? documentationAddress(`${project}/${resName}`);
      break;
    case "gcp:serviceaccount/account:Account": {
      const accountId = str(inputs["accountId"]) ?? name;
      const email = `${accountId}@${project}.iam.gserviceaccount.com`;
      Object.assign(state, { email, member: `serviceAccount:${email}`, uniqueId: String(parseInt(digest(email, 12), 16)) });
      state["name"] = `projects/${project}/serviceAccounts/${email}`;
      return { id: state["name"] as string, state, secretKeys };
    }
    case "gcp:secretmanager/secret:Secret": {
      const secretId = str(inputs["secretId"]) ?? name;
      state["name"] = `projects/${project}/secrets/${secretId}`;
      state["secretId"] = secretId;
      return { id: state["name"] as string, state, secretKeys };
    }
    case "gcp:secretmanager/secretVersion:SecretVersion": {
      const secret = str(inputs["secret"]) ?? `projects/${project}/secrets/${name}`;
      state["name"] = `${secret}/versions/1`;
      state["version"] = "1";
      secretKeys.push("secretData");
      return { id: state["name"] as string, state, secretKeys };
    }
    case "gcp:compute/instance:Instance":
      state["instanceId"] = String(parseInt(digest(path, 12), 16));
      state["currentStatus"] = "RUNNING";
      break;
    default:
      break;
  }
  return { id: path, state, secretKeys };
}

function aws(type: string, name: string, inputs: Record<string, unknown>, ctx: MockContext): MockAnswer {
  const region = ctx.region;
  const [, mod = "", kind = ""] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
  const prefixes: Record<string, string> = {
    Vpc: "vpc", Subnet: "subnet", SecurityGroup: "sg", Instance: "i", Volume: "vol", InternetGateway: "igw",
    NatGateway: "nat", Eip: "eipalloc", RouteTable: "rtb", SecurityGroupRule: "sgrule", LaunchTemplate: "lt",
  };
  const id = `${prefixes[kind] ?? kind.toLowerCase()}-${digest(type + name, 17)}`;
  const resName = str(inputs["name"]) ?? name;
  const arn = `arn:aws:${mod === "lb" ? "elasticloadbalancing" : mod}:${mod === "iam" ? "" : region}:123456789012:${kind.toLowerCase()}/${resName}`;
  const state: Record<string, unknown> = { ...inputs, arn };
  switch (type) {
    case "aws:lb/loadBalancer:LoadBalancer":
      state["dnsName"] = `${resName}-${digest(name, 10)}.elb.${region}.amazonaws.com`;
      state["zoneId"] = "Z0MOCKPREVIEW";
      state["name"] = resName;
      return { id: arn, state, secretKeys: [] };
    case "aws:lb/targetGroup:TargetGroup":
    case "aws:lb/listener:Listener":
      state["name"] = resName;
      return { id: arn, state, secretKeys: [] };
    case "aws:ec2/instance:Instance":
      state["privateIp"] = str(inputs["privateIp"]) ?? "10.0.0.10";
      state["availabilityZone"] = str(inputs["availabilityZone"]) ?? `${region}a`;
      break;
    case "aws:ec2/eip:Eip":
      state["publicIp"] = documentationAddress(name);
      break;
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
    case "aws:iam/policy:Policy":
      state["name"] = resName;
      state["uniqueId"] = `AROA${digest(name, 16).toUpperCase()}`;
      return { id: resName, state, secretKeys: [] };
    case "aws:secretsmanager/secret:Secret":
      state["name"] = resName;
      return { id: arn, state, secretKeys: [] };
    case "aws:secretsmanager/secretVersion:SecretVersion":
      state["versionId"] = digest(name, 32);
      return { id: `${arn}|${state["versionId"]}`, state, secretKeys: ["secretString", "secretBinary"] };
    case "aws:ssm/parameter:Parameter":
      state["name"] = resName;
      return { id: resName, state, secretKeys: inputs["type"] === "SecureString" ? ["value"] : [] };
    default:
      break;
  }
  return { id, state, secretKeys: [] };
}

function tls(type: string, name: string, inputs: Record<string, unknown>): MockAnswer {
  const id = digest(type + name, 20);
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        id,
        state: {
          ...inputs,
          privateKeyPem: placeholderPem("PRIVATE KEY", name),
          privateKeyPemPkcs8: placeholderPem("PRIVATE KEY", `${name} (pkcs8)`),
          publicKeyPem: placeholderPem("PUBLIC KEY", name),
          publicKeyOpenssh: `ssh-ed25519 ${Buffer.from(`kube-ha preview ${name}`).toString("base64")}`,
          publicKeyFingerprintSha256: `SHA256:${digest(name, 43)}`,
        },
        secretKeys: ["privateKeyPem", "privateKeyPemPkcs8", "privateKeyOpenssh"],
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { id, state: { ...inputs, certPem: placeholderPem("CERTIFICATE", name), validityStartTime: "2025-01-01T00:00:00Z" }, secretKeys: [] };
    case "tls:index/certRequest:CertRequest":
      return { id, state: { ...inputs, certRequestPem: placeholderPem("CERTIFICATE REQUEST", name) }, secretKeys: [] };
    default:
      return { id, state: { ...inputs }, secretKeys: [] };
  }
}

/** Answers to provider functions (invokes) a program may call: region, zones, caller, images. */
export function mockCall(token: string, inputs: Record<string, unknown>, ctx: MockContext): Record<string, unknown> {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId: "123456789012", arn: "arn:aws:iam::123456789012:user/preview", userId: "AIDAPREVIEW", id: "123456789012" };
    case "aws:index/getRegion:getRegion":
      return { name: ctx.region, region: ctx.region, id: ctx.region, description: ctx.region };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws" };
    case "aws:ec2/getAmi:getAmi":
      return { ...inputs, id: "ami-0a1b2c3d4e5f60718", imageId: "ami-0a1b2c3d4e5f60718", name: "ubuntu-24.04-preview" };
    case "gcp:organizations/getProject:getProject":
      return { projectId: ctx.gcpProject, number: "123456789012", name: ctx.gcpProject, id: `projects/${ctx.gcpProject}` };
    case "gcp:compute/getImage:getImage":
      return { ...inputs, selfLink: "https://www.googleapis.com/compute/v1/projects/ubuntu-os-cloud/global/images/ubuntu-2404-preview", name: "ubuntu-2404-preview" };
    default:
      return { ...inputs };
  }
}
