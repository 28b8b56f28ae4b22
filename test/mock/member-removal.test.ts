import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { attachMemberRemoval, MEMBER_REMOVAL_TYPE } from "../../components/membership/etcd-member-removal";
import { awsRemovalTransport } from "../../components/platforms/aws/removal";
import { gcpRemovalTransport } from "../../components/platforms/gcp/removal";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import type { ControlPlanePlan } from "../../components/plan/types";
import { parseClusterSpec } from "../../components/spec/validate";
import { type MockRegistry, installMocks, valueOf } from "../support/pulumi-mocks";

/**
 * The removal command of each replica, on the mock runtime: what it runs on
 * delete, against which target, and its ordering against the instance.
 * Legacy `transformations` on the parent show each child's resource options.
 */

interface SeenChild {
  type: string;
  name: string;
  parent: string;
  opts: pulumi.CustomResourceOptions;
  resource: pulumi.Resource;
}

const seen: SeenChild[] = [];
const KUBECONFIG = "apiVersion: v1\nkind: Config\n# admin client key inside\n";

/** Stands in for the cloud component: an instance per replica, then its removal command. */
class FakeControlPlane extends pulumi.ComponentResource {
  readonly instances: Record<string, pulumi.CustomResource> = {};
  readonly removals: Record<string, pulumi.CustomResource> = {};

  constructor(name: string, readonly plan: ControlPlanePlan) {
    super("test:index:FakeControlPlane", name, {}, {
      transformations: [
        (a) => {
          seen.push({ type: a.type, name: a.name, parent: name, opts: a.opts as pulumi.CustomResourceOptions, resource: a.resource });
          return undefined;
        },
      ],
    });
    const adminKubeconfig = pulumi.secret(KUBECONFIG);
    for (const replica of plan.masters) {
      const instanceName = `${plan.clusterName}-${replica.name}`;
      if (plan.spec.cloud === "gcp") {
        const instance = new gcp.compute.Instance(
          `${name}-${replica.name}`,
          {
            name: instanceName,
            project: "proj-1",
            zone: replica.zone,
            machineType: "e2-standard-4",
            bootDisk: { initializeParams: { image: "ubuntu-os-cloud/ubuntu-2404-lts-amd64" } },
            networkInterfaces: [{ network: "default", networkIp: replica.address }],
          },
          { parent: this },
        );
        this.instances[replica.name] = instance;
        this.removals[replica.name] = attachMemberRemoval(this, { plan, replica, transport: gcpRemovalTransport, instance, adminKubeconfig });
      } else {
        const instance = new aws.ec2.Instance(
          `${name}-${replica.name}`,
          { ami: "ami-123", instanceType: "m6i.xlarge", availabilityZone: replica.zone, privateIp: replica.address },
          { parent: this },
        );
        this.instances[replica.name] = instance;
        this.removals[replica.name] = attachMemberRemoval(this, { plan, replica, transport: awsRemovalTransport, instance, adminKubeconfig });
      }
    }
    this.registerOutputs({});
  }
}

function plan(cloud: "gcp" | "aws", names: string[]): ControlPlanePlan {
  const region = cloud === "gcp" ? "europe-west1" : "eu-west-1";
  const zone = (n: string) => (cloud === "gcp" ? `${region}-${n.slice(-1)}` : `${region}${n.slice(-1)}`);
  return planControlPlane(
    parseClusterSpec({ cloud, region, clusterName: "prod", replicas: names.map((n) => ({ name: n, zone: zone(n) })), allowEvenReplicaCount: true }),
  );
}

let reg: MockRegistry;
let three: FakeControlPlane;
let two: FakeControlPlane;
let onAws: FakeControlPlane;

beforeAll(async () => {
  reg = await installMocks();
  three = new FakeControlPlane("three", plan("gcp", ["master-b", "master-c", "master-d"]));
  two = new FakeControlPlane("two", plan("gcp", ["master-b", "master-d"]));
  onAws = new FakeControlPlane("onaws", plan("aws", ["master-a", "master-b", "master-c"]));
  // Let every registration reach the mock monitor.
  for (const cp of [three, two, onAws]) for (const r of Object.values(cp.removals)) await valueOf(r.urn);
});

const removalsOf = (parent: string) => seen.filter((s) => s.parent === parent && s.type === MEMBER_REMOVAL_TYPE);
const recorded = (parent: string, name: string) =>
  reg.resources.find((r) => r.type === MEMBER_REMOVAL_TYPE && r.name === name && r.parent === parent)!;

describe("a replica's etcd member removal command", () => {
  it("is registered once per replica, under the control plane, with a unique name", () => {
    expect(reg.errors).toEqual([]);
    expect(removalsOf("three").map((s) => s.name)).toEqual([
      "prod-master-b-member-removal",
      "prod-master-c-member-removal",
      "prod-master-d-member-removal",
    ]);
    expect(reg.duplicates()).toEqual([]);
  });

  it("depends on its replica's instance, so Pulumi runs its delete before deleting the instance", () => {
    for (const name of ["master-b", "master-c", "master-d"]) {
      const child = removalsOf("three").find((s) => s.name === `prod-${name}-member-removal`)!;
      const dependsOn = ([] as unknown[]).concat(child.opts.dependsOn ?? []);
      expect(dependsOn).toContain(three.instances[name]);
      expect(dependsOn).toHaveLength(1);
      expect(child.opts.parent).toBe(three);
    }
  });

  it("is replaced delete-first and is never skipped or retained on delete", () => {
    for (const child of removalsOf("three")) {
      expect(child.opts.deleteBeforeReplace).toBe(true);
      expect(child.opts.deletedWith).toBeUndefined();
      expect(child.opts.retainOnDelete).toBeUndefined();
      expect(child.opts.additionalSecretOutputs).toEqual(["stdout", "stderr"]);
    }
  });

  it("on delete, removes its own member through a survivor found by label at delete time, excluding its own instance", () => {
    const r = recorded("three", "prod-master-c-member-removal");
    const del = r.inputs.delete as string;
    expect(del).toContain("replica=master-c");
    expect(del).toContain("labels.kube-ha-cluster=prod AND labels.kube-ha-role=master AND status=RUNNING");
    expect(del).toContain("sudo /usr/local/bin/kube-ha-etcd remove \"$replica\" --peer-url \"$peer_url\"");
    // The planned peer URL finds the member even when a crashed join left it unnamed.
    const planned = three.plan.etcd.members.find((m) => m.name === "master-c")!.peerUrl;
    expect(planned).toMatch(/^https:\/\/10\.[0-9.]+:2380$/);
    expect(del).toContain(`local peer_url=${planned}\n`);
    expect(del).toContain("delete node master-c --ignore-not-found");
    expect(del).not.toMatch(/prod-master-[bd]\b/); // no fixed survivor baked into the stored script
    const env = r.inputs.environment as Record<string, string>;
    expect(env.KUBE_HA_INSTANCE).toBe("prod-master-c");
    expect(env.KUBE_HA_GCP_PROJECT).toBe("proj-1");
    expect(r.inputs.interpreter).toEqual(["/bin/bash", "-c"]);
  });

  it("carries the admin kubeconfig only as a secret, never in the scripts", () => {
    const r = recorded("three", "prod-master-c-member-removal");
    expect(r.secretInputs).toContain("environment");
    expect((r.inputs.environment as Record<string, string>).KUBE_HA_ADMIN_KUBECONFIG).toBe(KUBECONFIG);
    expect(r.inputs.create as string).not.toContain("admin client key");
    expect(r.inputs.delete as string).not.toContain("admin client key");
  });

  it("is absent from a config without the replica: Pulumi then deletes it, running the stored removal of that member", () => {
    expect(removalsOf("two").map((s) => s.name)).toEqual(["prod-master-b-member-removal", "prod-master-d-member-removal"]);
    // The survivors' commands are identical in both configs: removing master-c touches neither.
    for (const name of ["prod-master-b-member-removal", "prod-master-d-member-removal"]) {
      const a = recorded("three", name);
      const b = recorded("two", name);
      expect({ create: b.inputs.create, delete: b.inputs.delete }).toEqual({ create: a.inputs.create, delete: a.inputs.delete });
    }
  });

  it("on AWS targets survivors by tag through SSM and excludes its own instance by id", () => {
    const r = recorded("onaws", "prod-master-b-member-removal");
    const del = r.inputs.delete as string;
    expect(del).toContain("Name=tag:kube-ha-cluster,Values=prod Name=tag:kube-ha-role,Values=master");
    expect(del).toContain("aws ssm send-command");
    expect(del).toContain(`/usr/local/bin/kube-ha-etcd remove master-b --peer-url ${onAws.plan.etcd.members.find((m) => m.name === "master-b")!.peerUrl}"`);
    const env = r.inputs.environment as Record<string, string>;
    expect(env.KUBE_HA_INSTANCE).toBe("onaws-master-b-id");
    expect(env.KUBE_HA_AWS_REGION).toBe("eu-west-1");
    const child = removalsOf("onaws").find((s) => s.name === "prod-master-b-member-removal")!;
    expect(([] as unknown[]).concat(child.opts.dependsOn ?? [])).toContain(onAws.instances["master-b"]);
  });
});
