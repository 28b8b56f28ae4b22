import { describe, expect, it } from "vitest";
import { kubeHaProgram } from "../../components/program";
import { ProgramError, runProgramOnMocks } from "../../components/preview/run-program";
import { SpecError } from "../../components/spec/errors";
import { MAX_CLUSTER_NAME, MAX_REPLICA_NAME } from "../../components/spec/names";
import { AWS_NAME_RULES, GCP_NAME_RULES, nameViolations } from "../support/cloud-name-limits";

/**
 * Issue 9, item 5: every physical name of a full control plane fits its
 * cloud's rule for a cluster name of the maximum length (24) and replica
 * names of the maximum length, in the zones with the longest names. The
 * ready program runs on the mock runtime under a stack named like a real
 * one, so the component's logical name is the cluster name, as in `pulumi up`.
 * Rules and the auto-name suffix: test/support/cloud-name-limits.ts.
 */

const CLUSTER = "kube-prod-eu-west-1-blue";
/** Replica names of the maximum length, one per zone letter. */
const longName = (letter: string) => `master-${letter}-${"x".repeat(MAX_REPLICA_NAME - 9)}`;

const configOf = (raw: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(raw).map(([k, v]) => [`kube-ha:${k}`, typeof v === "string" ? v : JSON.stringify(v)]));

async function run(stack: string, raw: Record<string, unknown>) {
  return runProgramOnMocks({ project: "kube-ha", stack, config: configOf(raw), program: kubeHaProgram, outputs: (r) => ({ ...r.outputs }) });
}

const AWS_ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c"];
const awsReplicas = AWS_ZONES.map((zone) => ({ zone, name: longName(zone.slice(-1)) }));
// The GCP region with the longest zone names.
const GCP_REGION = "northamerica-northeast1";
const GCP_ZONES = ["a", "b", "c"].map((l) => `${GCP_REGION}-${l}`);
const gcpReplicas = GCP_ZONES.map((zone) => ({ zone, name: longName(zone.slice(-1)) }));

describe(`physical names of a ${MAX_CLUSTER_NAME}-character cluster fit every cloud's limits`, () => {
  it("the test's cluster and replica names are the longest the spec allows", () => {
    expect(CLUSTER).toHaveLength(MAX_CLUSTER_NAME);
    expect(longName("a")).toHaveLength(MAX_REPLICA_NAME);
  });

  it.each([
    ["an internet-facing NLB behind NAT gateways", { apiServerAllowedCidrs: ["203.0.113.0/24"] }],
    ["an internal NLB, public master addresses, ssh and a DNS name", {
      loadBalancerScheme: "internal",
      assignPublicIp: true,
      sshAllowedCidr: "192.0.2.0/24",
      apiServerDnsName: "api.kube-prod.example.com",
    }],
  ])("AWS: %s", async (_, extra) => {
    const { resources } = await run(CLUSTER, { cloud: "aws", region: "eu-west-1", replicas: awsReplicas, ...extra });
    expect(resources.filter((r) => r.type === "aws:lb/targetGroup:TargetGroup")).toHaveLength(1);
    expect(nameViolations(resources, AWS_NAME_RULES)).toEqual([]);
  });

  it.each([
    ["stacked etcd, external LB", {}],
    ["external etcd VMs, internal LB", {
      etcdTopology: "external",
      etcdMembers: GCP_ZONES.map((zone) => ({ zone, name: `etcd-${zone.slice(-1)}-${"y".repeat(MAX_REPLICA_NAME - 7)}` })),
      loadBalancerScheme: "internal",
    }],
  ])("GCP: %s", async (_, extra) => {
    const { resources } = await run(CLUSTER, { cloud: "gcp", region: GCP_REGION, replicas: gcpReplicas, ...extra });
    expect(resources.filter((r) => r.type === "gcp:compute/instance:Instance").length).toBeGreaterThanOrEqual(3);
    expect(nameViolations(resources, GCP_NAME_RULES)).toEqual([]);
  });
});

describe("AWS cluster names that AWS would refuse in a derived name stop before anything registers", () => {
  it.each([
    ["internal-tools", /load balancer names must not begin with "internal-"/],
    ["sg-prod", /security group names must not begin with "sg-"/],
  ])("%s", async (clusterName, message) => {
    const failure = await run("ok-stack", { cloud: "aws", region: "eu-west-1", replicaZones: ["eu-west-1a"], clusterName }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ProgramError);
    const { reason, resources } = failure as ProgramError;
    expect(resources).toEqual([]);
    expect(reason).toBeInstanceOf(SpecError);
    const problem = (reason as SpecError).problems.find((p) => p.key === "kube-ha:clusterName");
    expect(problem, JSON.stringify((reason as SpecError).problems)).toBeDefined();
    expect(problem!.value).toContain(clusterName);
    expect(problem!.message).toMatch(message);
  });
});
