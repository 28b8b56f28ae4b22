import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AwsControlPlane, type AwsControlPlaneArgs } from "../../components/platforms/aws/control-plane";
import { GcpControlPlane, type GcpControlPlaneArgs } from "../../components/platforms/gcp/control-plane";
import { formatChange } from "../../components/flows/plan-printer";
import { MEMBER_REMOVAL_TYPE } from "../../components/membership/etcd-member-removal";
import { planRemove } from "../../components/plan/plan-remove";
import { REPLICA_TEARDOWN, type TeardownPhase } from "../../components/plan/teardown-order";
import { cloudCall, cloudOutputs, realisticVolumeIds } from "../support/cloud-mocks";
import { type MockRegistry, type RecordedResource, installMocks, valueOf } from "../support/pulumi-mocks";

/**
 * The order in which a replica leaves and joins, as resource options.
 *
 * Leaving: each replica's LB attachment (GCP instance-group membership, AWS
 * target-group attachment) depends on its removal command, so Pulumi deletes
 * the attachment — the replica leaves the load balancer — before it runs the
 * command's delete, which removes the etcd member (after which that master's
 * apiserver fails). Joining: a join-wait command per master depends on the
 * attachment, so `pulumi up` returns once the replica is up behind the LB.
 * Legacy `transformations` show each child's options under mocks.
 */

const T = {
  gcpInstance: "gcp:compute/instance:Instance",
  gcpMembership: "gcp:compute/instanceGroupMembership:InstanceGroupMembership",
  awsInstance: "aws:ec2/instance:Instance",
  awsVolume: "aws:ebs/volume:Volume",
  awsVolumeAttachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  awsTarget: "aws:lb/targetGroupAttachment:TargetGroupAttachment",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
};
const GCP_ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const AWS_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const names = (letters: string) => [0, 1, 2].map((i) => `master-${letters[i]}`);

const gcpArgs = (extra: Partial<GcpControlPlaneArgs> = {}): GcpControlPlaneArgs => ({
  clusterName: "prod",
  region: "europe-west1",
  replicas: names("bcd").map((name, i) => ({ name, zone: GCP_ZONES[i]! })),
  apiServerAllowedCidrs: ["203.0.113.0/24"],
  ...extra,
});
const awsArgs = (extra: Partial<AwsControlPlaneArgs> = {}): AwsControlPlaneArgs => ({
  clusterName: "prod",
  region: "eu-west-1",
  replicas: names("abc").map((name, i) => ({ name, zone: AWS_ZONES[i]! })),
  apiServerAllowedCidrs: ["203.0.113.0/24"],
  ...extra,
});

const children = new Map<string, { opts: pulumi.CustomResourceOptions; resource: pulumi.Resource }>();
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
const asList = (d: pulumi.CustomResourceOptions["dependsOn"]) => ([] as unknown[]).concat(d ?? []);
const includesSame = (list: unknown[], r: unknown) => list.some((x) => x === r);

let reg: MockRegistry;
let planes: { gcp: GcpControlPlane; aws: AwsControlPlane };
const commands = (prefix: string, suffix: string) =>
  reg.ofType(MEMBER_REMOVAL_TYPE).filter((r) => r.name.startsWith(`${prefix}-`) && r.name.endsWith(suffix));
const recorded = (name: string): RecordedResource => {
  const r = reg.ofType(MEMBER_REMOVAL_TYPE).find((x) => x.name === name);
  expect(r, name).toBeDefined();
  return r!;
};

beforeAll(async () => {
  reg = await installMocks({ stack: "order", outputs: cloudOutputs, call: cloudCall });
  realisticVolumeIds();
  const g = new GcpControlPlane("g", gcpArgs(), seeChildren);
  new GcpControlPlane("gext", gcpArgs({ clusterName: "ext", etcdTopology: "external", etcdZones: GCP_ZONES }), seeChildren);
  new GcpControlPlane("gnowait", gcpArgs({ clusterName: "nowait", joinWait: false }), seeChildren);
  new GcpControlPlane("goff", gcpArgs({ clusterName: "off", etcdMemberRemoval: false }), seeChildren);
  const a = new AwsControlPlane("a", awsArgs(), seeChildren);
  new AwsControlPlane("anowait", awsArgs({ clusterName: "nowait", joinWait: false }), seeChildren);
  planes = { gcp: g, aws: a };
  for (const cp of [g, a]) await valueOf(cp.adminKubeconfig);
  let last = -1;
  for (let i = 0, still = 0; i < 300 && still < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    still = reg.resources.length === last ? still + 1 : 0;
    last = reg.resources.length;
  }
});

describe("GCP: a master leaves the load balancer before its etcd member is removed", () => {
  it("its instance-group membership depends on its instance and its own removal command", () => {
    expect(reg.errors).toEqual([]);
    expect(reg.duplicates()).toEqual([]);
    for (const m of names("bcd")) {
      const deps = asList(child(T.gcpMembership, `g-${m}-lb-member`).opts.dependsOn);
      expect(includesSame(deps, child(MEMBER_REMOVAL_TYPE, `g-${m}-member-removal`).resource), m).toBe(true);
      expect(includesSame(deps, child(T.gcpInstance, `g-${m}-instance`).resource), m).toBe(true);
      for (const other of names("bcd").filter((o) => o !== m)) {
        expect(includesSame(deps, child(MEMBER_REMOVAL_TYPE, `g-${other}-member-removal`).resource)).toBe(false);
      }
    }
  });

  it("its membership is replaced whenever its instance is (replaceWith), so a replaced instance rejoins its group", () => {
    for (const m of names("bcd")) {
      const { opts } = child(T.gcpMembership, `g-${m}-lb-member`);
      expect(opts.replaceWith).toHaveLength(1);
      expect(opts.replaceWith![0] === child(T.gcpInstance, `g-${m}-instance`).resource).toBe(true);
    }
  });

  it("without a removal step, the membership still depends on the instance and still follows its replacement", () => {
    const { opts } = child(T.gcpMembership, "goff-master-c-lb-member");
    expect(includesSame(asList(opts.dependsOn), child(T.gcpInstance, "goff-master-c-instance").resource)).toBe(true);
    expect(opts.replaceWith![0] === child(T.gcpInstance, "goff-master-c-instance").resource).toBe(true);
  });
});

describe("AWS: a master is deregistered from the NLB before its etcd member is removed", () => {
  it("its target-group attachment depends on its instance, its etcd volume attachment and its own removal command", () => {
    for (const m of names("abc")) {
      const deps = asList(child(T.awsTarget, `a-${m}-api`).opts.dependsOn);
      expect(deps).toHaveLength(3);
      expect(includesSame(deps, child(T.awsInstance, `a-${m}`).resource)).toBe(true);
      expect(includesSame(deps, child(T.awsVolumeAttachment, `a-${m}-etcd`).resource)).toBe(true);
      expect(includesSame(deps, child(MEMBER_REMOVAL_TYPE, `a-${m}-member-removal`).resource)).toBe(true);
    }
  });
});

describe("pulumi up waits until each new master has joined", () => {
  it("GCP: a join-wait command per master, after its instance-group membership, waiting for its apiserver mirror pod", () => {
    expect(commands("g", "-join-wait").map((r) => [r.name, r.parent])).toEqual(names("bcd").map((m) => [`g-${m}-join-wait`, "g"]));
    for (const m of names("bcd")) {
      const { opts } = child(MEMBER_REMOVAL_TYPE, `g-${m}-join-wait`);
      expect(asList(opts.dependsOn)).toHaveLength(1);
      expect(asList(opts.dependsOn)[0] === child(T.gcpMembership, `g-${m}-lb-member`).resource).toBe(true);
      const create = recorded(`g-${m}-join-wait`).inputs["create"] as string;
      expect(create).toContain(`wait --for=condition=Ready pod/kube-apiserver-${m}`);
      expect(recorded(`g-${m}-join-wait`).inputs["delete"]).toBeUndefined();
    }
  });

  it("AWS: a join-wait command per master, after its target-group attachment", () => {
    expect(commands("a", "-join-wait").map((r) => r.name)).toEqual(names("abc").map((m) => `a-${m}-join-wait`));
    for (const m of names("abc")) {
      const deps = asList(child(MEMBER_REMOVAL_TYPE, `a-${m}-join-wait`).opts.dependsOn);
      expect(deps).toHaveLength(1);
      expect(deps[0] === child(T.awsTarget, `a-${m}-api`).resource).toBe(true);
    }
  });

  it("gets the admin kubeconfig only as a secret input, and keeps its output secret", async () => {
    for (const r of [...commands("g", "-join-wait"), ...commands("a", "-join-wait")]) {
      expect(r.secretInputs).toContain("environment");
      expect(Object.keys(r.inputs["environment"] as object)).toEqual(["KUBE_HA_ADMIN_KUBECONFIG"]);
      expect(r.inputs["create"] as string).not.toMatch(/client-key-data|PRIVATE KEY/);
      expect(child(MEMBER_REMOVAL_TYPE, r.name).opts.additionalSecretOutputs).toEqual(["stdout", "stderr"]);
    }
  });

  it("waits for masters only (external etcd VMs run no apiserver), and joinWait: false registers none", () => {
    expect(commands("gext", "-join-wait").map((r) => r.name)).toEqual(names("bcd").map((m) => `gext-${m}-join-wait`));
    expect(commands("gext", "-member-removal")).toHaveLength(6);
    expect(commands("gnowait", "-join-wait")).toEqual([]);
    expect(commands("anowait", "-join-wait")).toEqual([]);
    expect(commands("gnowait", "-member-removal")).toHaveLength(3);
  });
});

describe("the printed removal plan and the order Pulumi deletes in come from one list (plan/teardown-order.ts)", () => {
  const phaseOf = (action: string) => REPLICA_TEARDOWN.findIndex((p) => (p.actions as readonly string[]).includes(action));

  it("planRemove prints its steps in teardown order: load balancer, then etcd member and Node, then machine", () => {
    for (const cp of [planes.gcp.plan, planes.aws.plan]) {
      const target = { name: cp.masters[1]!.name };
      const change = planRemove(cp, target, { force: true });
      expect(change.ok).toBe(true);
      if (!change.ok) return;
      const phases = change.steps.map((s) => phaseOf(s.action));
      expect(phases.every((p) => p >= 0)).toBe(true);
      expect(phases).toEqual([...phases].sort((x, y) => x - y));
      const text = formatChange("order", cp, { kind: "remove", target, keepNodes: false, force: true }, change);
      expect(text.indexOf("remove-from-load-balancer")).toBeGreaterThan(0);
      expect(text.indexOf("remove-from-load-balancer")).toBeLessThan(text.indexOf("remove-etcd-member"));
      expect(text.indexOf("remove-etcd-member")).toBeLessThan(text.indexOf("delete-machine"));
    }
  });

  const resourcesOf: Record<"gcp" | "aws", (m: string) => Record<TeardownPhase, pulumi.Resource[]>> = {
    gcp: (m) => ({
      "load-balancer": [child(T.gcpMembership, `g-${m}-lb-member`).resource],
      "etcd-member": [child(MEMBER_REMOVAL_TYPE, `g-${m}-member-removal`).resource],
      machine: [child(T.gcpInstance, `g-${m}-instance`).resource],
    }),
    aws: (m) => ({
      "load-balancer": [child(T.awsTarget, `a-${m}-api`).resource],
      "etcd-member": [child(MEMBER_REMOVAL_TYPE, `a-${m}-member-removal`).resource],
      machine: [child(T.awsInstance, `a-${m}`).resource, child(T.awsVolumeAttachment, `a-${m}-etcd`).resource],
    }),
  };

  it.each([
    ["gcp", names("bcd")],
    ["aws", names("abc")],
  ] as const)("%s: each phase's resources depend on every later phase's, so Pulumi deletes them in the printed order", (cloud, masters) => {
    for (const m of masters) {
      const byPhase = resourcesOf[cloud](m);
      REPLICA_TEARDOWN.forEach((earlier, i) => {
        for (const later of REPLICA_TEARDOWN.slice(i + 1)) {
          for (const r of byPhase[earlier.phase]) {
            const deps = asList([...children.values()].find((c) => c.resource === r)!.opts.dependsOn);
            for (const needed of byPhase[later.phase]) {
              expect(includesSame(deps, needed), `${cloud} ${m}: ${earlier.phase} depends on ${later.phase}`).toBe(true);
            }
          }
        }
      });
    }
  });
});
