import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsControlPlane, type AwsControlPlaneArgs } from "../../components/platforms/aws/control-plane";
import type { EtcdMemberRemovalContext } from "../../components/platforms/aws/removal";
import { GcpControlPlane, type GcpControlPlaneArgs } from "../../components/platforms/gcp/control-plane";
import type { GcpEtcdMemberRemovalContext } from "../../components/platforms/gcp/removal";
import { MEMBER_REMOVAL_TYPE } from "../../components/membership/etcd-member-removal";
import { GCP_IAP_TCP_FORWARDING_RANGE } from "../../components/plan/ports";
import { buildHaReport } from "../../components/preview/ha-report";
import { cloudCall, cloudOutputs, realisticVolumeIds } from "../support/cloud-mocks";
import { type MockRegistry, type RecordedResource, installMocks, valueOf } from "../support/pulumi-mocks";

/**
 * Issue 6, "Must show": membership follows the resources. Both cloud
 * components register, by default, one removal command per replica that
 * depends on that replica's instance — so when a replica leaves the config,
 * Pulumi runs the command's stored delete (remove the etcd member from a
 * survivor found by label/tag, then the Node) before it deletes the
 * instance. Legacy `transformations` show each child's resource options.
 */

const T = {
  gcpInstance: "gcp:compute/instance:Instance",
  gcpFirewall: "gcp:compute/firewall:Firewall",
  awsInstance: "aws:ec2/instance:Instance",
  awsVolume: "aws:ebs/volume:Volume",
  awsAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  awsPolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  awsIngress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
};
const GCP_ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const AWS_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];

const gcpArgs = (count: number, extra: Partial<GcpControlPlaneArgs> = {}): GcpControlPlaneArgs => ({
  clusterName: "prod",
  region: "europe-west1",
  replicas: Array.from({ length: count }, (_, i) => ({ name: i < 3 ? `master-${"bcd"[i]}` : `master-${"bcd"[i % 3]}-2`, zone: GCP_ZONES[i % 3]! })),
  apiServerAllowedCidrs: ["203.0.113.0/24"],
  ...extra,
});
const awsArgs = (count: number, extra: Partial<AwsControlPlaneArgs> = {}): AwsControlPlaneArgs => ({
  clusterName: "prod",
  region: "eu-west-1",
  replicas: Array.from({ length: count }, (_, i) => ({ name: i < 3 ? `master-${"abc"[i]}` : `master-${"abc"[i % 3]}-2`, zone: AWS_ZONES[i % 3]! })),
  apiServerAllowedCidrs: ["203.0.113.0/24"],
  ...extra,
});

interface Child {
  opts: pulumi.CustomResourceOptions;
  resource: pulumi.Resource;
}
const children = new Map<string, Child>();
const seeChildren: pulumi.ComponentResourceOptions = {
  transformations: [
    (a) => {
      children.set(`${a.type} ${a.name}`, { opts: a.opts as pulumi.CustomResourceOptions, resource: a.resource });
      return undefined;
    },
  ],
};
const child = (type: string, name: string) => {
  const c = children.get(`${type} ${name}`);
  expect(c, `${type} ${name}`).toBeDefined();
  return c!;
};

let reg: MockRegistry;
let g3: GcpControlPlane;
let g5: GcpControlPlane;
let a3: AwsControlPlane;
let a5: AwsControlPlane;
const gcpHookCalls: GcpEtcdMemberRemovalContext[] = [];
const awsHookCalls: EtcdMemberRemovalContext[] = [];

const commandsOf = (prefix: string) =>
  reg.ofType(MEMBER_REMOVAL_TYPE).filter((r) => r.name.startsWith(`${prefix}-`) && r.name.endsWith("-member-removal"));
const command = (name: string) => {
  const r = reg.ofType(MEMBER_REMOVAL_TYPE).find((x) => x.name === name);
  expect(r, name).toBeDefined();
  return r!;
};
const env = (r: RecordedResource) => r.inputs["environment"] as Record<string, string>;
const asList = (d: pulumi.CustomResourceOptions["dependsOn"]) => ([] as unknown[]).concat(d ?? []);
/** The same resource objects, in order (identity, not deep equality). */
const expectSame = (got: unknown[], want: unknown[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g === want[i], `dependency ${i}`).toBe(true));
};

/**
 * A command's inputs with the component's name taken out. The mock PKI's
 * placeholder PEMs carry their resource names inside the kubeconfig's
 * base64 data, so those are decoded before the names are normalised.
 */
function normalised(prefix: string, r: RecordedResource): string {
  const inputs = structuredClone(r.inputs) as { environment: Record<string, string> };
  const kubeconfig = inputs.environment["KUBE_HA_ADMIN_KUBECONFIG"] ?? "";
  inputs.environment["KUBE_HA_ADMIN_KUBECONFIG"] = kubeconfig.replace(/(-data: )(\S+)/g, (_, key: string, data: string) => key + Buffer.from(data, "base64").toString("utf8"));
  return JSON.stringify(inputs).replaceAll(`${prefix}-`, "<cp>-");
}

/** Waits (bounded) until no new registration has arrived for a few ticks. */
async function quiet(): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 300 && still < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    still = reg.resources.length === last ? still + 1 : 0;
    last = reg.resources.length;
  }
}

beforeAll(async () => {
  reg = await installMocks({ stack: "removal", outputs: cloudOutputs, call: cloudCall });
  realisticVolumeIds();
  g3 = new GcpControlPlane("g3", gcpArgs(3), seeChildren);
  g5 = new GcpControlPlane("g5", gcpArgs(5), seeChildren);
  new GcpControlPlane("ghook", gcpArgs(3, { clusterName: "hooked", etcdMemberRemoval: (c) => { gcpHookCalls.push(c); } }));
  new GcpControlPlane("goff", gcpArgs(3, { clusterName: "off", etcdMemberRemoval: false }));
  new GcpControlPlane("gext", gcpArgs(3, { clusterName: "ext", etcdTopology: "external", etcdZones: GCP_ZONES }), seeChildren);
  a3 = new AwsControlPlane("a3", awsArgs(3), seeChildren);
  a5 = new AwsControlPlane("a5", awsArgs(5), seeChildren);
  new AwsControlPlane("ahook", awsArgs(3, { clusterName: "hooked", etcdMemberRemoval: (c) => { awsHookCalls.push(c); } }), seeChildren);
  new AwsControlPlane("aoff", awsArgs(3, { clusterName: "off", etcdMemberRemoval: false }));
  for (const cp of [g3, g5, a3, a5]) await valueOf(cp.adminKubeconfig);
  await quiet();
});

describe("GcpControlPlane: each replica's etcd member removal, by default", () => {
  it("is a removal command per replica of a 3-replica stack, under the control plane, uniquely named", () => {
    expect(reg.errors).toEqual([]);
    expect(reg.duplicates()).toEqual([]);
    expect(commandsOf("g3").map((r) => [r.name, r.parent]).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ["g3-master-b-member-removal", "g3"],
      ["g3-master-c-member-removal", "g3"],
      ["g3-master-d-member-removal", "g3"],
    ]);
  });

  it("depends on its own replica's instance only, is replaced delete-first, and is never skipped on delete", () => {
    for (const m of ["master-b", "master-c", "master-d"]) {
      const { opts } = child(MEMBER_REMOVAL_TYPE, `g3-${m}-member-removal`);
      expectSame(asList(opts.dependsOn), [child(T.gcpInstance, `g3-${m}-instance`).resource]);
      expect(opts.deleteBeforeReplace).toBe(true);
      expect(opts.deletedWith).toBeUndefined();
      expect(opts.retainOnDelete).toBeUndefined();
      expect(opts.parent).toBe(g3);
    }
  });

  it("on delete, names its replica and finds a survivor by the cluster's labels, which every instance carries; no host is fixed", async () => {
    const r = command("g3-master-c-member-removal");
    const del = r.inputs["delete"] as string;
    expect(del).toContain("replica=master-c\n");
    expect(del).toContain("--filter 'labels.kube-ha-cluster=prod AND labels.kube-ha-role=master AND status=RUNNING'");
    expect(del).toContain("--tunnel-through-iap");
    expect(del).toContain("delete node master-c --ignore-not-found");
    for (const other of g3.plan.masters.filter((m) => m.name !== "master-c")) {
      expect(del).not.toContain(`prod-${other.name}`);
      expect(del).not.toContain(other.address);
    }
    expect(env(r)).toMatchObject({ KUBE_HA_INSTANCE: "prod-master-c", KUBE_HA_GCP_PROJECT: "demo-project" });
    for (const inst of reg.ofType(T.gcpInstance).filter((i) => i.name.startsWith("g3-"))) {
      expect(inst.inputs["labels"]).toMatchObject({ "kube-ha-cluster": "prod", "kube-ha-role": "master" });
    }
  });

  it("gets the component's admin kubeconfig as a secret, never in its scripts", async () => {
    const kubeconfig = await valueOf(g3.adminKubeconfig);
    for (const r of commandsOf("g3")) {
      expect(r.secretInputs).toContain("environment");
      expect(env(r)["KUBE_HA_ADMIN_KUBECONFIG"]).toBe(kubeconfig);
      expect(`${r.inputs["create"]}${r.inputs["delete"]}`).not.toMatch(/client-key-data|PRIVATE KEY/);
    }
  });

  it("can reach a survivor: OS Login on every instance, port 22 open only from IAP's range, and the HA report says so", () => {
    for (const inst of reg.ofType(T.gcpInstance).filter((i) => i.name.startsWith("g3-"))) {
      expect((inst.inputs["metadata"] as Record<string, string>)["enable-oslogin"]).toBe("TRUE");
    }
    const ssh = reg.ofType(T.gcpFirewall).filter((r) => r.name.startsWith("g3-") && (r.inputs["allows"] as { ports: string[] }[])[0]!.ports.includes("22"));
    expect(ssh.map((r) => [r.name, r.inputs["sourceRanges"], r.inputs["targetTags"]])).toEqual([
      ["g3-allow-ssh-from-iap", [GCP_IAP_TCP_FORWARDING_RANGE], ["prod-master"]],
    ]);
    const reported = buildHaReport("removal", g3.plan).ports.filter((p) => p.ports === "22");
    expect(reported.map((p) => [p.name, p.from, p.to])).toEqual([["ssh-from-iap", ssh[0]!.inputs["sourceRanges"], ["master"]]]);
    expect(reported[0]!.why).toMatch(/Identity-Aware Proxy/);
  });

  it("3 → 5: the existing replicas' removal commands have identical inputs (adding replicas touches none)", () => {
    for (const m of ["master-b", "master-c", "master-d"]) {
      expect(normalised("g5", command(`g5-${m}-member-removal`))).toBe(normalised("g3", command(`g3-${m}-member-removal`)));
    }
    expect(commandsOf("g5")).toHaveLength(5);
  });

  it("5 → 3: the removed replicas' commands leave the config, so Pulumi runs their stored delete — naming them — before deleting their instances", () => {
    const kept = new Set(commandsOf("g3").map((r) => r.name.replace(/^g3-/, "")));
    const removed = commandsOf("g5").filter((r) => !kept.has(r.name.replace(/^g5-/, "")));
    expect(removed.map((r) => r.name).sort()).toEqual(["g5-master-b-2-member-removal", "g5-master-c-2-member-removal"]);
    for (const r of removed) {
      const replica = r.name.replace(/^g5-/, "").replace(/-member-removal$/, "");
      expect(r.inputs["delete"] as string).toContain(`replica=${replica}\n`);
      expect(env(r)["KUBE_HA_INSTANCE"]).toBe(`prod-${replica}`);
      const { opts } = child(MEMBER_REMOVAL_TYPE, r.name);
      expectSame(asList(opts.dependsOn), [child(T.gcpInstance, `g5-${replica}-instance`).resource]);
      expect(opts.deleteBeforeReplace).toBe(true);
    }
  });
});

describe("GcpControlPlane with external etcd", () => {
  it("removes an etcd VM's member through a surviving etcd VM, and deletes a master's Node without touching etcd", () => {
    // Which commands exist, not the order they were registered in.
    const names = commandsOf("gext").map((r) => r.name).sort();
    expect(names).toEqual([
      "gext-master-b-member-removal", "gext-master-c-member-removal", "gext-master-d-member-removal",
      "gext-etcd-b-member-removal", "gext-etcd-c-member-removal", "gext-etcd-d-member-removal",
    ].sort());
    const vm = command("gext-etcd-c-member-removal").inputs["delete"] as string;
    expect(vm).toContain("labels.kube-ha-cluster=ext AND labels.kube-ha-role=etcd AND status=RUNNING");
    expect(vm).toContain("kube-ha-etcd remove");
    expect(vm).not.toContain("kubectl");
    const master = command("gext-master-c-member-removal").inputs["delete"] as string;
    expect(master).not.toContain("gcloud compute ssh");
    expect(master).toContain("delete node master-c --ignore-not-found");
    const { opts } = child(MEMBER_REMOVAL_TYPE, "gext-etcd-c-member-removal");
    expectSame(asList(opts.dependsOn), [child(T.gcpInstance, "gext-etcd-c-instance").resource]);
  });
});

describe("GcpControlPlane's etcdMemberRemoval argument", () => {
  it("a hook of your own replaces the command and gets the replica, its instance, the secret kubeconfig and delete-first options", async () => {
    expect(commandsOf("ghook")).toEqual([]);
    expect(gcpHookCalls.map((c) => c.resourceName).sort()).toEqual(["ghook-master-b", "ghook-master-c", "ghook-master-d"]);
    for (const c of gcpHookCalls) {
      expectSame(asList(c.opts.dependsOn), [c.instance]);
      expect(c.opts.deleteBeforeReplace).toBe(true);
      expect(await pulumi.isSecret(c.adminKubeconfig)).toBe(true);
    }
  });

  it("false registers no removal command", () => {
    expect(reg.resources.some((r) => r.name.startsWith("goff-"))).toBe(true);
    expect(commandsOf("goff")).toEqual([]);
  });
});

describe("AwsControlPlane: each replica's etcd member removal, by default", () => {
  it("is a removal command per replica of a 3-replica stack, under the control plane", () => {
    expect(commandsOf("a3").map((r) => [r.name, r.parent]).sort(([a], [b]) => String(a).localeCompare(String(b)))).toEqual([
      ["a3-master-a-member-removal", "a3"],
      ["a3-master-b-member-removal", "a3"],
      ["a3-master-c-member-removal", "a3"],
    ]);
  });

  it("depends on its replica's instance and etcd volume attachment (whose detach stops the instance), delete-first, never skipped", () => {
    for (const m of ["master-a", "master-b", "master-c"]) {
      const { opts } = child(MEMBER_REMOVAL_TYPE, `a3-${m}-member-removal`);
      expectSame(asList(opts.dependsOn), [child(T.awsInstance, `a3-${m}`).resource, child(T.awsAttachment, `a3-${m}-etcd`).resource]);
      expect(opts.deleteBeforeReplace).toBe(true);
      expect(opts.deletedWith).toBeUndefined();
      expect(opts.retainOnDelete).toBeUndefined();
      expect(opts.parent).toBe(a3);
    }
  });

  it("on delete, names its replica and finds a survivor by the cluster's tags through SSM, excluding its own instance by id", () => {
    const r = command("a3-master-b-member-removal");
    const del = r.inputs["delete"] as string;
    expect(del).toContain("replica=master-b\n");
    expect(del).toContain("--filters Name=tag:kube-ha-cluster,Values=prod Name=tag:kube-ha-role,Values=master Name=instance-state-name,Values=running");
    expect(del).toContain("aws ssm send-command");
    expect(del).toContain("/usr/local/bin/kube-ha-etcd remove master-b");
    for (const other of a3.plan.masters.filter((m) => m.name !== "master-b")) expect(del).not.toContain(other.address);
    expect(env(r)).toMatchObject({ KUBE_HA_INSTANCE: "a3-master-b-id", KUBE_HA_AWS_REGION: "eu-west-1" });
    for (const inst of reg.ofType(T.awsInstance).filter((i) => i.name.startsWith("a3-"))) {
      expect(inst.inputs["tags"]).toMatchObject({ "kube-ha-cluster": "prod", "kube-ha-role": "master" });
    }
  });

  it("gets the component's admin kubeconfig as a secret, never in its scripts", async () => {
    const kubeconfig = await valueOf(a3.adminKubeconfig);
    for (const r of commandsOf("a3")) {
      expect(r.secretInputs).toContain("environment");
      expect(env(r)["KUBE_HA_ADMIN_KUBECONFIG"]).toBe(kubeconfig);
      expect(`${r.inputs["create"]}${r.inputs["delete"]}`).not.toMatch(/client-key-data|PRIVATE KEY/);
    }
  });

  it("can reach a survivor: AmazonSSMManagedInstanceCore on the masters' role before they boot, and no port opened for it", () => {
    const attached = reg.ofType(T.awsPolicyAttachment).filter((r) => r.name.startsWith("a3-"));
    expect(attached.map((r) => r.inputs)).toEqual([{ role: "a3-master", policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }]);
    const ssmCore = child(T.awsPolicyAttachment, attached[0]!.name).resource;
    for (const m of ["master-a", "master-b", "master-c"]) expect(asList(child(T.awsInstance, `a3-${m}`).opts.dependsOn)).toContain(ssmCore);
    expect(reg.ofType(T.awsIngress).filter((r) => r.name.startsWith("a3-") && r.inputs["fromPort"] === 22)).toEqual([]);
    expect(a3.plan.ports.some((p) => p.ports[0] === 22)).toBe(false);
  });

  it("3 → 5: the existing replicas' removal commands have identical inputs (adding replicas touches none)", () => {
    for (const m of ["master-a", "master-b", "master-c"]) {
      expect(normalised("a5", command(`a5-${m}-member-removal`))).toBe(normalised("a3", command(`a3-${m}-member-removal`)));
    }
    expect(commandsOf("a5")).toHaveLength(5);
  });
});

describe("AwsControlPlane's etcdMemberRemoval argument", () => {
  it("a hook of your own replaces the command and gets the instance, its etcd attachment and the secret kubeconfig", async () => {
    expect(commandsOf("ahook")).toEqual([]);
    expect(awsHookCalls.map((c) => c.resourceName).sort()).toEqual(["ahook-master-a", "ahook-master-b", "ahook-master-c"]);
    for (const c of awsHookCalls) {
      expectSame(asList(c.opts.dependsOn), [c.instance, c.etcdAttachment]);
      expect(await pulumi.isSecret(c.adminKubeconfig)).toBe(true);
    }
  });

  it("false registers no removal command and attaches no SSM policy", () => {
    expect(reg.resources.some((r) => r.name.startsWith("aoff-"))).toBe(true);
    expect(commandsOf("aoff")).toEqual([]);
    expect(reg.ofType(T.awsPolicyAttachment).filter((r) => r.name.startsWith("aoff-"))).toEqual([]);
  });
});
