import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AwsControlPlane, type AwsControlPlaneArgs } from "../../components/platforms/aws/control-plane";
import { planAwsControlPlane } from "../../components/platforms/aws/args";
import { targetGroupName } from "../../components/platforms/aws/naming";
import { PER_BOOT_SCRIPT } from "../../components/platforms/aws/cloud-config";
import { decodeUserData } from "../../components/platforms/aws/user-data";
import { SpecError } from "../../components/spec/errors";
import { type MockRegistry, type RecordedResource, installMocks, valueOf } from "../support/pulumi-mocks";

const T = {
  instance: "aws:ec2/instance:Instance",
  subnet: "aws:ec2/subnet:Subnet",
  volume: "aws:ebs/volume:Volume",
  volumeAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  listener: "aws:lb/listener:Listener",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  targetAttachment: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  eip: "aws:ec2/eip:Eip",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  component: "kube-ha:index:AwsControlPlane",
};
const REGION = "eu-west-1";
const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const ALLOWED = ["203.0.113.0/24", "198.51.100.0/24"];
const AMI = "ami-0123456789abcdef0";

const args = (count: number): AwsControlPlaneArgs => ({
  clusterName: "prod",
  region: REGION,
  // Names and zones as the CLI writes them: master-a, master-b, master-c, then master-a-2, master-b-2.
  replicas: Array.from({ length: count }, (_, i) => ({
    name: i < 3 ? `master-${"abc"[i]}` : `master-${"abc"[i % 3]}-2`,
    zone: ZONES[i % 3]!,
  })),
  apiServerAllowedCidrs: ALLOWED,
  labels: { team: "platform" },
});

/** A NAT gateway's Elastic IP (TEST-NET-2), by its resource name `<cp>-<zone>-nat`. */
const natIp = (resourceName: string) => `198.51.100.${100 + "abc".indexOf(resourceName.slice(-5, -4))}`;
/** A master's auto-assigned public IP (TEST-NET-1), by its resource name `<cp>-master-<x>`. */
const instanceIp = (resourceName: string) => `192.0.2.${100 + "abc".indexOf(resourceName.slice(-1))}`;

/** Provider-computed outputs the component reads (ARNs, DNS names, public addresses). */
function outputs(r: { type: string; name: string; inputs: Record<string, unknown> }): Record<string, unknown> {
  const name = typeof r.inputs["name"] === "string" ? (r.inputs["name"] as string) : r.name;
  switch (r.type) {
    case T.lb:
      return { arn: `arn:aws:elasticloadbalancing:${REGION}:123456789012:loadbalancer/net/${name}/1`, dnsName: `${name}-0123456789.elb.${REGION}.amazonaws.com` };
    case T.targetGroup:
      return { arn: `arn:aws:elasticloadbalancing:${REGION}:123456789012:targetgroup/${name}/1` };
    case "aws:iam/role:Role":
    case "aws:iam/instanceProfile:InstanceProfile":
      return { arn: `arn:aws:iam::123456789012:role/${r.name}`, name: r.name };
    case T.secret:
      return { arn: `arn:aws:secretsmanager:${REGION}:123456789012:secret:${name}-AbCdEf` };
    case T.eip:
      return { publicIp: natIp(r.name) };
    case T.instance:
      return { publicIp: r.inputs["associatePublicIpAddress"] ? instanceIp(r.name) : "" };
    default:
      return {};
  }
}

function call(a: pulumi.runtime.MockCallArgs): Record<string, unknown> {
  if (a.token === "aws:ec2/getAmi:getAmi") return { id: AMI, imageId: AMI, architecture: "x86_64" };
  if (a.token === "aws:index/getCallerIdentity:getCallerIdentity") return { accountId: "123456789012", id: "123456789012" };
  return a.inputs ?? {};
}

/**
 * EBS volume ids must look like vol-<hex> (the boot script finds the disk by
 * its NVMe serial). The shared recorder's ids are `<name>-id`, so give
 * volumes ids derived from their Name tag, which is per cluster and replica.
 */
function realisticVolumeIds(): void {
  const monitor = pulumi.runtime.getMonitor() as unknown as { mocks: pulumi.runtime.Mocks };
  const mocks = monitor.mocks;
  const original = mocks.newResource.bind(mocks);
  mocks.newResource = async (a) => {
    const result = await original(a);
    if (a.type === T.volume) {
      const tag = ((a.inputs["tags"] as Record<string, string> | undefined) ?? {})["Name"] ?? a.name;
      return { ...result, id: `vol-0${createHash("sha256").update(tag).digest("hex").slice(0, 16)}` };
    }
    return result;
  };
}

/** Waits (bounded) until no new registration has arrived for a few ticks. */
async function quiet(reg: MockRegistry): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 200 && still < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    still = reg.resources.length === last ? still + 1 : 0;
    last = reg.resources.length;
  }
}

async function settle(cp: AwsControlPlane): Promise<void> {
  await valueOf(cp.replicas);
  await valueOf(cp.adminKubeconfig);
  await valueOf(cp.endpoint);
}

let reg: MockRegistry;
let three: AwsControlPlane;
/** Child options as the legacy transformations see them (the mock runtime runs those). */
const childOpts = new Map<string, pulumi.CustomResourceOptions>();
/** The child resources themselves, by type and name. */
const childResources = new Map<string, pulumi.Resource>();
let five: AwsControlPlane;
let inner: AwsControlPlane;
let exposed: AwsControlPlane;

/** Resources registered under one component (by logical-name prefix). */
const of = (prefix: string, type: string) => reg.ofType(type).filter((r) => r.name.startsWith(`${prefix}-`));
const one = (prefix: string, type: string) => {
  const list = of(prefix, type);
  expect(list, `${prefix} ${type}`).toHaveLength(1);
  return list[0]!;
};
const idOf = (r: RecordedResource) => `${r.name}-id`;
/** The resource of a type with a name (names repeat across types: subnet, route table, association). */
const typed = (type: string, name: string) => {
  const r = reg.ofType(type).find((x) => x.name === name);
  expect(r, `${type} ${name}`).toBeDefined();
  return r!;
};
/** Inputs with the component's own name taken out of references (ids of its other resources, and the target group name hashed from its VPC id). */
const normalised = (prefix: string, r: RecordedResource) =>
  JSON.stringify(r.inputs)
    .replaceAll(targetGroupName("prod", { vpcId: `${prefix}-vpc-id`, protocol: "TCP", port: 6443, targetType: "ip" }), "<tg>")
    .replaceAll(`${prefix}-`, "<cp>-");

beforeAll(async () => {
  reg = await installMocks({ stack: "aws-ha", outputs, call });
  realisticVolumeIds();
  three = new AwsControlPlane("three", args(3), {
    transformations: [
      (a) => {
        childOpts.set(`${a.type} ${a.name}`, a.opts);
        childResources.set(`${a.type} ${a.name}`, a.resource);
        return undefined;
      },
    ],
  });
  five = new AwsControlPlane("five", args(5));
  inner = new AwsControlPlane("inner", {
    ...args(3),
    clusterName: "inner",
    loadBalancerScheme: "internal",
    apiServerDnsName: "api.inner.example.com",
    assignPublicIp: true,
    sshAllowedCidr: "192.0.2.0/24",
  });
  exposed = new AwsControlPlane("exposed", { ...args(3), clusterName: "exposed", assignPublicIp: true });
  await settle(three);
  await settle(five);
  await settle(inner);
  await settle(exposed);
  await quiet(reg);
});

describe("AwsControlPlane with 3 replicas in 3 zones", () => {
  it("registers without errors or duplicate names", () => {
    expect(reg.errors).toEqual([]);
    expect(reg.duplicates()).toEqual([]);
    expect(reg.ofType(T.component).map((r) => r.name).sort()).toEqual(["exposed", "five", "inner", "three"]);
  });

  it("puts 3 instances in 3 distinct zones, each in its zone's private subnet at the plan's address", () => {
    const instances = of("three", T.instance);
    expect(instances).toHaveLength(3);
    expect(new Set(instances.map((i) => i.inputs["availabilityZone"]))).toEqual(new Set(ZONES));
    for (const inst of instances) {
      const zone = inst.inputs["availabilityZone"] as string;
      const master = three.plan.masters.find((m) => m.zone === zone)!;
      expect(inst.inputs["privateIp"]).toBe(master.address);
      const subnet = typed(T.subnet, `three-${zone}-private`);
      expect(subnet.inputs).toMatchObject({ availabilityZone: zone, cidrBlock: master.subnetCidr });
      expect(inst.inputs["subnetId"]).toBe(idOf(subnet));
      expect(inst.inputs["ami"]).toBe(AMI);
      expect(inst.inputs["associatePublicIpAddress"]).toBe(false);
      expect(inst.inputs["tags"]).toMatchObject({
        "kube-ha-cluster": "prod",
        "kube-ha-role": "master",
        "kube-ha-replica": master.name,
        Name: `prod-${master.name}`,
        team: "platform",
      });
    }
  });

  it("requires IMDSv2 with hop limit 1 and encrypts the root volume on every instance", () => {
    for (const inst of of("three", T.instance)) {
      expect(inst.inputs["metadataOptions"]).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1, httpEndpoint: "enabled" });
      expect(inst.inputs["rootBlockDevice"]).toMatchObject({ encrypted: true, volumeType: "gp3" });
      expect(inst.inputs["userDataReplaceOnChange"]).toBe(false);
    }
  });

  it("gives every master a separate encrypted gp3 etcd volume in its zone, attached by its own resource", () => {
    for (const m of three.plan.masters) {
      const volume = reg.ofType(T.volume).find((v) => v.name === `three-${m.name}-etcd`)!;
      expect(volume.inputs).toMatchObject({ availabilityZone: m.zone, type: "gp3", encrypted: true, size: 20 });
      const attachment = reg.ofType(T.volumeAttachment).find((v) => v.name === `three-${m.name}-etcd`)!;
      expect(attachment.inputs["instanceId"]).toBe(`three-${m.name}-id`);
      expect(attachment.inputs["volumeId"]).toMatch(/^vol-0[0-9a-f]{16}$/);
    }
  });

  it("forwards a TCP 6443 listener of a cross-zone NLB to a target group with all 3 masters and an HTTPS /readyz check", () => {
    const lb = one("three", T.lb);
    expect(lb.inputs).toMatchObject({ loadBalancerType: "network", internal: false, enableCrossZoneLoadBalancing: true });
    const tg = one("three", T.targetGroup);
    expect(tg.inputs).toMatchObject({ protocol: "TCP", port: 6443 });
    expect(tg.inputs["healthCheck"]).toMatchObject({ protocol: "HTTPS", path: "/readyz", port: "6443", interval: 5, timeout: 3, healthyThreshold: 2, unhealthyThreshold: 2 });
    const tgArn = outputs({ type: T.targetGroup, name: tg.name, inputs: tg.inputs })["arn"];
    const listener = one("three", T.listener);
    expect(listener.inputs).toMatchObject({ port: 6443, protocol: "TCP", defaultActions: [{ type: "forward", targetGroupArn: tgArn }] });
    const attachments = of("three", T.targetAttachment);
    expect(attachments.map((a) => a.inputs["targetId"]).sort()).toEqual(three.plan.masters.map((m) => m.address).sort());
    for (const a of attachments) expect(a.inputs).toMatchObject({ targetGroupArn: tgArn, port: 6443 });
  });

  it("admits etcd 2379-2380 and the kubelet only from the masters' own security group", () => {
    const masters = idOf(typed(T.sg, "three-masters"));
    const rules = of("three", T.ingress).filter((r) => {
      const from = r.inputs["fromPort"] as number;
      const to = r.inputs["toPort"] as number;
      return (from <= 2380 && to >= 2379) || (from <= 10250 && to >= 10250);
    });
    expect(rules.length).toBeGreaterThanOrEqual(2);
    for (const r of rules) {
      expect(r.inputs).toMatchObject({ securityGroupId: masters, referencedSecurityGroupId: masters, ipProtocol: "tcp" });
      expect(r.inputs["cidrIpv4"]).toBeUndefined();
    }
  });

  it("admits 6443 at the NLB only from the allowed CIDRs, the masters' group and the NAT gateways' Elastic IPs; masters take 6443 only from the NLB's group and from masters", () => {
    const masters = idOf(typed(T.sg, "three-masters"));
    const lbGroup = idOf(typed(T.sg, "three-api-lb"));
    expect(one("three", T.lb).inputs["securityGroups"]).toEqual([lbGroup]);
    const api = of("three", T.ingress).filter((r) => r.inputs["fromPort"] === 6443);
    for (const r of api) expect(r.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 6443, toPort: 6443 });
    // The NLB's group: outside clients from the allowed CIDRs only; masters by their group
    // (private addresses) and, as an internet-facing NLB sees them, from their zone's NAT gateway.
    const atLb = api.filter((r) => r.inputs["securityGroupId"] === lbGroup);
    expect(atLb.map((r) => r.inputs["cidrIpv4"] ?? r.inputs["referencedSecurityGroupId"]).sort()).toEqual(
      [...ALLOWED, masters, ...ZONES.map((z) => `${natIp(`three-${z}-nat`)}/32`)].sort(),
    );
    const natEips = ZONES.map((z) => typed(T.eip, `three-${z}-nat`));
    expect(natEips).toHaveLength(3);
    expect(new Set(atLb.map((r) => r.inputs["cidrIpv4"]).filter((c) => typeof c === "string" && c.endsWith("/32"))).size).toBe(3);
    // The masters' group: the NLB and the masters, nothing from a CIDR (no ssh configured).
    const toMasters = api.filter((r) => r.inputs["securityGroupId"] === masters);
    expect(toMasters.map((r) => r.inputs["referencedSecurityGroupId"]).sort()).toEqual([lbGroup, masters].sort());
    expect(api.filter((r) => r.inputs["securityGroupId"] !== masters && r.inputs["securityGroupId"] !== lbGroup)).toEqual([]);
    expect(of("three", T.ingress).filter((r) => r.inputs["securityGroupId"] === masters && r.inputs["cidrIpv4"] !== undefined)).toEqual([]);
  });

  it("keeps key material out of every plain input: user-data, tags, names; it travels only as the secret's value", async () => {
    const files = await valueOf(three.pki.replicaFiles["master-a"]!);
    const pems = Object.values(files).filter((v) => v.includes("PRIVATE KEY"));
    expect(pems.length).toBeGreaterThan(0);
    const kubeconfig = await valueOf(three.adminKubeconfig);
    for (const r of reg.resources.filter((x) => x.type.startsWith("aws:"))) {
      const plain = Object.fromEntries(Object.entries(r.inputs).filter(([k]) => !r.secretInputs.includes(k)));
      const text = JSON.stringify(plain) + (r.type === T.instance ? decodeUserData(r.inputs) : "");
      // PEM keys, kubeconfig client keys, kubeadm bootstrap tokens (abcdef.0123456789abcdef).
      expect(text, r.name).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|client-key-data|\b[a-z0-9]{6}\.[a-z0-9]{16}\b/);
      for (const pem of pems) expect(text, r.name).not.toContain(pem.trim());
      expect(text, r.name).not.toContain(kubeconfig.trim());
    }
    const version = reg.ofType(T.secretVersion).find((v) => v.name === "three-master-a-pki")!;
    expect(version.secretInputs).toContain("secretString");
    expect(JSON.parse(version.inputs["secretString"] as string)).toEqual(files);
  });

  it("delivers the boot script as a per-boot cloud-config that fetches its own secret by name", () => {
    const inst = typed(T.instance, "three-master-b");
    const userData = decodeUserData(inst.inputs);
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(userData) as { write_files: { path: string; permissions: string; content: string }[] };
    expect(doc.write_files).toHaveLength(1);
    expect(doc.write_files[0]).toMatchObject({ path: PER_BOOT_SCRIPT, permissions: "0700" });
    const script = doc.write_files[0]!.content;
    expect(script).toMatch(/^#!\/bin\/bash/);
    expect(script).toContain("prod-master-b-pki");
    expect(reg.ofType(T.secret).find((s) => s.name === "three-master-b-pki")!.inputs["name"]).toBe("prod-master-b-pki");
  });

  it("lets the masters' role read only this cluster's secrets and list instances", () => {
    const policy = JSON.parse(one("three", T.rolePolicy).inputs["policy"] as string) as { Statement: { Action: string[]; Resource: string }[] };
    expect(policy.Statement.map((s) => [s.Action, s.Resource])).toEqual([
      [["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], `arn:aws:secretsmanager:${REGION}:123456789012:secret:prod-*-pki-??????`],
      [["ec2:DescribeInstances"], "*"],
    ]);
  });

  it("never replaces a master for a new AMI or user-data, and frees its fixed IP and volume before a replacement", () => {
    for (const m of ["master-a", "master-b", "master-c"]) {
      const inst = childOpts.get(`${T.instance} three-${m}`)!;
      expect(inst.ignoreChanges).toEqual(expect.arrayContaining(["ami", "userData", "userDataBase64"]));
      expect(inst.deleteBeforeReplace).toBe(true);
      expect(childOpts.get(`${T.volumeAttachment} three-${m}-etcd`)!.deleteBeforeReplace).toBe(true);
    }
  });

  it("never stops a running master for a new instance type: the type reaches it through replace-replica", () => {
    for (const m of ["master-a", "master-b", "master-c"]) {
      expect(childOpts.get(`${T.instance} three-${m}`)!.ignoreChanges).toContain("instanceType");
    }
  });

  it("deregisters a replica from the NLB before its etcd member is removed, its volume detached and its instance deleted", () => {
    const deps = childOpts.get(`${T.targetAttachment} three-master-a-api`)!.dependsOn as pulumi.Resource[];
    expect(deps).toHaveLength(3);
    expect(deps).toEqual(
      expect.arrayContaining([
        childResources.get(`${T.instance} three-master-a`),
        childResources.get(`${T.volumeAttachment} three-master-a-etcd`),
        childResources.get(`command:local:Command three-master-a-member-removal`),
      ]),
    );
  });

  it("names the target group by the cluster and what forces its replacement (a replacement is created before the old one, still the listener's, is deleted)", () => {
    const tg = one("three", T.targetGroup);
    expect(tg.inputs["name"]).toBe(targetGroupName("prod", { vpcId: "three-vpc-id", protocol: "TCP", port: 6443, targetType: "ip" }));
    expect((tg.inputs["name"] as string).length).toBeLessThanOrEqual(32);
    expect(childOpts.get(`${T.targetGroup} three-api`)!.deleteBeforeReplace).toBeUndefined();
    expect(tg.inputs["tags"]).toMatchObject({ Name: "three-api", "kube-ha-cluster": "prod" });
  });

  it("names the NLB by the cluster and deletes it before a replacement (its fixed name; a replaced NLB moves the endpoint anyway)", () => {
    expect(one("three", T.lb).inputs["name"]).toBe("prod-api");
    expect(childOpts.get(`${T.lb} three-api`)!.deleteBeforeReplace).toBe(true);
  });

  it("outputs the NLB endpoint, the replicas, a secret admin kubeconfig and the plan", async () => {
    expect(await valueOf(three.endpoint)).toBe(`https://prod-api-0123456789.elb.${REGION}.amazonaws.com:6443`);
    expect(await valueOf(three.loadBalancerAddress)).toBe(`prod-api-0123456789.elb.${REGION}.amazonaws.com`);
    expect((await valueOf(three.replicas)).map((r) => [r.name, r.zone])).toEqual([
      ["master-a", "eu-west-1a"],
      ["master-b", "eu-west-1b"],
      ["master-c", "eu-west-1c"],
    ]);
    expect(await pulumi.isSecret(three.adminKubeconfig)).toBe(true);
    expect(three.plan.etcd.quorum).toBe(2);
  });
});

describe("AwsControlPlane options", () => {
  it("places an internal NLB in the private subnets and uses apiServerDnsName for the endpoint", async () => {
    const lb = one("inner", T.lb);
    expect(lb.inputs["internal"]).toBe(true);
    const mappings = lb.inputs["subnetMappings"] as { subnetId: string; privateIpv4Address: string }[];
    expect(mappings.map((m) => m.subnetId)).toEqual(ZONES.map((z) => idOf(typed(T.subnet, `inner-${z}-private`))));
    expect(lb.inputs["subnets"]).toBeUndefined();
    expect(await valueOf(inner.endpoint)).toBe("https://api.inner.example.com:6443");
  });

  it("pins an internal NLB at host 5 of each zone's subnet: above AWS's reserved .0-.3, below every master a later add-replica plans", () => {
    const mappings = one("inner", T.lb).inputs["subnetMappings"] as { subnetId: string; privateIpv4Address: string }[];
    const subnets = ZONES.map((z) => typed(T.subnet, `inner-${z}-private`).inputs["cidrBlock"] as string);
    const host = (cidr: string, n: number) => {
      const [base, bits] = cidr.split("/");
      const v = base!.split(".").reduce((a, o) => a * 256 + Number(o), 0) + n;
      expect(n).toBeLessThan(2 ** (32 - Number(bits)));
      return [24, 16, 8, 0].map((sh) => Math.floor(v / 2 ** sh) % 256).join(".");
    };
    expect(mappings.map((m) => m.privateIpv4Address)).toEqual(subnets.map((c) => host(c, 5)));
    // Seven masters per zone (the most a stack plans without an override) never take it.
    const { plan: crowded } = planAwsControlPlane("crowded", {
      ...args(3), clusterName: "inner", loadBalancerScheme: "internal",
      replicas: Array.from({ length: 7 }, (_, i) => ({ name: `m-${i}`, zone: ZONES[0]! })),
    });
    const taken = new Set(mappings.map((m) => m.privateIpv4Address));
    for (const m of [...inner.plan.masters, ...crowded.masters]) expect(taken.has(m.address), m.address).toBe(false);
    expect(crowded.masters.map((m) => m.address)).toContain(host(subnets[0]!, 10));
  });

  it("lets AWS place an internet-facing NLB (no pinned addresses)", () => {
    const lb = one("three", T.lb);
    expect(lb.inputs["subnetMappings"]).toBeUndefined();
    expect((lb.inputs["subnets"] as string[]).length).toBe(3);
  });

  it("gives masters public addresses routed through the internet gateway, with no NAT or public subnets, when asked", () => {
    for (const inst of of("inner", T.instance)) expect(inst.inputs["associatePublicIpAddress"]).toBe(true);
    expect(of("inner", "aws:ec2/natGateway:NatGateway")).toEqual([]);
    expect(of("inner", T.subnet).map((s) => s.name).every((n) => n.endsWith("-private"))).toBe(true);
    const table = reg.ofType("aws:ec2/routeTable:RouteTable").find((r) => r.name === "inner-eu-west-1a-private")!;
    expect(table.inputs["routes"]).toEqual([
      { cidrBlock: "0.0.0.0/0", gatewayId: idOf(typed("aws:ec2/internetGateway:InternetGateway", "inner-igw")) },
    ]);
  });

  it("with an internal NLB, admits masters at the NLB by their group alone (no NAT, no public address)", () => {
    const lbGroup = idOf(typed(T.sg, "inner-api-lb"));
    const atLb = of("inner", T.ingress).filter((r) => r.inputs["securityGroupId"] === lbGroup);
    expect(atLb.map((r) => r.inputs["cidrIpv4"] ?? r.inputs["referencedSecurityGroupId"]).sort()).toEqual(
      [...ALLOWED, idOf(typed(T.sg, "inner-masters"))].sort(),
    );
  });

  it("with masters on public addresses and an internet-facing NLB, admits each master's public IP at the NLB, as a rule of its own", () => {
    const lbGroup = idOf(typed(T.sg, "exposed-api-lb"));
    const atLb = of("exposed", T.ingress).filter((r) => r.inputs["securityGroupId"] === lbGroup);
    expect(atLb.map((r) => r.inputs["cidrIpv4"] ?? r.inputs["referencedSecurityGroupId"]).sort()).toEqual(
      [...ALLOWED, idOf(typed(T.sg, "exposed-masters")), ...["a", "b", "c"].map((x) => `${instanceIp(`exposed-master-${x}`)}/32`)].sort(),
    );
    for (const m of exposed.plan.masters) {
      const rule = atLb.find((r) => r.inputs["cidrIpv4"] === `${instanceIp(`exposed-${m.name}`)}/32`)!;
      expect(rule.name).toBe(`exposed-${m.name}-lb-apiserver-masters-public-ip`);
    }
    expect(of("exposed", T.eip)).toEqual([]);
  });

  it("admits ssh to the masters from the configured CIDR only", () => {
    const ssh = of("inner", T.ingress).filter((r) => r.inputs["fromPort"] === 22);
    expect(ssh.map((r) => [r.inputs["securityGroupId"], r.inputs["cidrIpv4"], r.inputs["toPort"]])).toEqual([
      [idOf(typed(T.sg, "inner-masters")), "192.0.2.0/24", 22],
    ]);
  });

  it("routes private subnets of the default network through a NAT gateway in the same zone", () => {
    for (const zone of ZONES) {
      const nat = typed("aws:ec2/natGateway:NatGateway", `three-${zone}`);
      expect(nat.inputs["subnetId"]).toBe(idOf(typed(T.subnet, `three-${zone}-public`)));
      const table = reg.ofType("aws:ec2/routeTable:RouteTable").find((r) => r.name === `three-${zone}-private`)!;
      expect(table.inputs["routes"]).toEqual([{ cidrBlock: "0.0.0.0/0", natGatewayId: idOf(nat) }]);
    }
  });
});

describe("adding replicas (3 → 5) only adds", () => {
  const perReplica = [T.instance, T.volume, T.volumeAttachment, T.targetAttachment, T.secret, T.secretVersion];

  it("leaves the 3 existing replicas' instances, volumes, attachments and secrets with identical inputs", () => {
    for (const m of ["master-a", "master-b", "master-c"]) {
      for (const type of perReplica) {
        const before = reg.ofType(type).filter((r) => r.name.startsWith(`three-${m}`));
        const after = reg.ofType(type).filter((r) => r.name.startsWith(`five-${m}`) && !r.name.startsWith(`five-${m}-2`));
        expect(before.length, `${m} ${type}`).toBeGreaterThan(0);
        expect(after.map((r) => r.name.replace(/^five-/, ""))).toEqual(before.map((r) => r.name.replace(/^three-/, "")));
        for (let i = 0; i < before.length; i++) {
          expect(normalised("five", after[i]!), `${after[i]!.name}`).toBe(normalised("three", before[i]!));
        }
      }
    }
  });

  it("leaves the shared network, security groups, identity and load balancer unchanged", () => {
    const shared = reg.resources.filter(
      (r) => r.type.startsWith("aws:") && r.name.startsWith("three-") && !/^three-master-/.test(r.name),
    );
    expect(shared.length).toBeGreaterThan(20);
    for (const r of shared) {
      const twin = reg.ofType(r.type).find((x) => x.name === r.name.replace(/^three-/, "five-"));
      expect(twin, r.name).toBeDefined();
      expect(normalised("five", twin!), r.name).toBe(normalised("three", r));
    }
  });

  it("adds exactly the new replicas' resources", () => {
    expect(of("five", T.instance)).toHaveLength(5);
    expect(of("five", T.targetAttachment)).toHaveLength(5);
    const added = reg.resources.filter((r) => /^five-master-[ab]-2/.test(r.name)).map((r) => r.type);
    for (const type of perReplica) expect(added.filter((t) => t === type), type).toHaveLength(2);
  });
});

describe("bad arguments", () => {
  it.each([
    ["two replicas", { region: REGION, replicaZones: ["eu-west-1a", "eu-west-1b"] }, "replicaZones"],
    ["an NLB-incompatible health-check interval", { region: REGION, replicaZones: ZONES, healthCheck: { intervalSeconds: 3, timeoutSeconds: 2 } }, "healthCheck.intervalSeconds"],
    ["a zone of another region", { region: REGION, replicaZones: ["us-east-1a"] }, "replicaZones[0]"],
    ["external etcd", { region: REGION, replicaZones: ZONES, etcdTopology: "external", etcdZones: ZONES }, "etcdTopology"],
  ] as [string, AwsControlPlaneArgs, string][])("%s: throws SpecError naming the key and registers nothing", async (_, bad, key) => {
    const before = reg.resources.length;
    let error: unknown;
    try {
      new AwsControlPlane("bad", bad);
    } catch (e) {
      error = e;
    }
    await quiet(reg);
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).problems.map((p) => p.key)).toContain(key);
    expect(reg.resources.length).toBe(before);
    expect(reg.resources.some((r) => r.name === "bad" || r.name.startsWith("bad-"))).toBe(false);
  });
});
