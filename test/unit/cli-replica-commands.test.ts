import * as fs from "node:fs";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { main } from "../../components/cli/main";
import { runReplicaCli } from "../../components/cli/replica-commands";
import { PULUMI_INSTALL_HINT } from "../../components/flows/automation";
import type { Env } from "../../components/flows/kube-up-env";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";
import { FakeAutomation, tempPulumiProject } from "../support/fake-automation";

const REPO_STACKS = path.join(__dirname, "..", "..", "stacks");
const repoStack = (stack: string) => fs.readFileSync(path.join(REPO_STACKS, `Pulumi.${stack}.yaml`), "utf8");

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()!();
});

/** A throwaway Pulumi project (Pulumi.yaml, stackConfigDir: stacks) holding copies of stack files. */
function tempProject(files: Record<string, string>) {
  const p = tempPulumiProject(files);
  cleanups.push(p.remove);
  return p;
}

async function runCli(argv: string[], opts: { env?: Env; automation?: FakeAutomation } = {}) {
  let out = "";
  let err = "";
  const automation = opts.automation ?? new FakeAutomation();
  const code = await runReplicaCli(argv, {
    automation,
    env: opts.env ?? {},
    cwd: process.cwd(),
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  });
  return { code, out, err, automation };
}

const replicasOf = (text: string) => rawConfigFromStackFile(text).replicas as { name: string; zone: string; address?: string }[];
const configKeys = (text: string) => Object.keys((parse(text) as { config: Record<string, unknown> }).config);

/** A GCP stack with five masters, two of them in zone b, and comments to keep. */
const FIVE = `# five masters
config:
  kube-ha:cloud: gcp
  kube-ha:region: europe-west1
  kube-ha:replicas:
    - name: master-b
      zone: europe-west1-b
    - name: master-c
      zone: europe-west1-c
    - name: master-d
      zone: europe-west1-d
    - name: master-b-2 # second in b
      zone: europe-west1-b
    - name: master-c-2
      zone: europe-west1-c
`;

describe("kube-ha add-replica on the repo's gcp-ha stack", () => {
  it("--dry-run refuses 3 → 4 as an even count, suggests adding two, and changes nothing", async () => {
    const before = repoStack("gcp-ha");
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", REPO_STACKS, "--zone", "europe-west1-b", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused (even-count): 3 → 4 replicas");
    expect(r.err).toMatch(/suggestion: add 2 at once to reach 5: --zone europe-west1-\w --zone europe-west1-\w/);
    expect(repoStack("gcp-ha")).toBe(before);
    expect(r.automation.selected).toEqual([]);
  });

  it("--zone Z1 --zone Z2 --no-up takes a copy of the stack file from 3 to 5 replicas, keeping its comments", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--zone", "europe-west1-b", "--zone", "europe-west1-c", "--no-up"]);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(p.file("gcp-ha"), "utf8");
    const replicas = replicasOf(text);
    expect(replicas.map((x) => x.name)).toEqual(["master-b", "master-c", "master-d", "master-b-2", "master-c-2"]);
    expect(replicas.every((x) => typeof x.address === "string")).toBe(true);
    expect(new Set(replicas.map((x) => x.address)).size).toBe(5);
    expect(configKeys(text)).not.toContain("kube-ha:allowEvenReplicaCount");
    for (const line of repoStack("gcp-ha").split("\n").filter((l) => l.includes("#"))) expect(text).toContain(line.trim());
    expect(r.out).toContain("pulumi up --stack gcp-ha");
    expect(r.automation.ups).toEqual([]);
  });

  it("prints the plan: replicas, quorum and tolerated failures before → after, stages and ordered steps", async () => {
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", REPO_STACKS, "--zone", "europe-west1-b", "--zone", "europe-west1-c", "--dry-run"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/replicas\s+3 → 5/);
    expect(r.out).toMatch(/etcd quorum\s+2 → 3/);
    expect(r.out).toMatch(/tolerated failures\s+1 → 2/);
    expect(r.out).toContain("1. 3 → 4 replicas: + master-b-2 (allowEvenReplicaCount: true during this stage)");
    expect(r.out).toContain("2. 4 → 5 replicas: + master-c-2");
    const steps = r.out.split("steps:")[1]!;
    expect(steps.indexOf("[master-b-2] join-etcd-learner")).toBeLessThan(steps.indexOf("[master-b-2] promote-etcd-member"));
    expect(steps.indexOf("[master-b-2] promote-etcd-member")).toBeLessThan(steps.indexOf("[master-c-2] create-machine"));
    expect(r.out).toContain("--dry-run: nothing changed");
  });
});

describe("running pulumi up through the Automation API", () => {
  it("3 → 5 runs two ups, one new replica each, with the even stage allowed only during its up", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--zone", "europe-west1-b", "--zone", "europe-west1-c"]);
    expect(r.code).toBe(0);
    expect(r.automation.selected).toEqual([
      { stackName: "gcp-ha", workDir: p.dir, envVars: { KUBE_HA_KEEP_NODES: "false", KUBE_HA_SKIP_MEMBER_REMOVAL: "false" } },
    ]);
    expect(r.automation.ups).toHaveLength(2);
    const [first, second] = r.automation.ups.map((u) => u.stackFileText);
    expect(replicasOf(first!).map((x) => x.name)).toEqual(["master-b", "master-c", "master-d", "master-b-2"]);
    expect(rawConfigFromStackFile(first!).allowEvenReplicaCount).toBe(true);
    expect(replicasOf(second!).map((x) => x.name)).toEqual(["master-b", "master-c", "master-d", "master-b-2", "master-c-2"]);
    expect(configKeys(second!)).not.toContain("kube-ha:allowEvenReplicaCount");
    expect(fs.readFileSync(p.file("gcp-ha"), "utf8")).toBe(second);
    expect(r.out).toContain("fake pulumi up #1 of gcp-ha");
    expect(r.out).toContain("fake pulumi up #2 of gcp-ha");
  });

  it("1 → 3 in one command passes through 2 for one up only, and turns the replicaZones shorthand into a pinned list", async () => {
    const p = tempProject({ "gcp-single": repoStack("gcp-single") });
    const r = await runCli(["add-replica", "--stack", "gcp-single", "--stacks-dir", p.stacksDir, "--zone", "us-central1-b", "--zone", "us-central1-c"]);
    expect(r.code).toBe(0);
    const [first, second] = r.automation.ups.map((u) => u.stackFileText);
    expect(r.automation.ups).toHaveLength(2);
    expect(replicasOf(first!).map((x) => x.name)).toEqual(["master-a", "master-b"]);
    expect(rawConfigFromStackFile(first!).allowEvenReplicaCount).toBe(true);
    expect(replicasOf(second!).map((x) => x.zone)).toEqual(["us-central1-a", "us-central1-b", "us-central1-c"]);
    expect(configKeys(second!)).not.toContain("kube-ha:replicaZones");
    expect(configKeys(second!)).not.toContain("kube-ha:allowEvenReplicaCount");
    expect(second).toContain("# so growing to three later (kube-ha add-replica) re-issues no certificate.");
  });

  it("replace-replica runs a removal up and then an add-back up with the same name, zone and address", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const r = await runCli(["replace-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--name", "master-c"]);
    expect(r.code).toBe(0);
    expect(r.automation.ups).toHaveLength(2);
    const [first, second] = r.automation.ups.map((u) => u.stackFileText);
    expect(replicasOf(first!).map((x) => x.name)).toEqual(["master-b", "master-d"]);
    expect(rawConfigFromStackFile(first!).allowEvenReplicaCount).toBe(true);
    const back = replicasOf(second!);
    expect(back.map((x) => x.name)).toEqual(["master-b", "master-c", "master-d"]);
    expect(back[1]).toEqual({ name: "master-c", zone: "europe-west1-c", address: expect.stringMatching(/^10\./) });
    expect(configKeys(second!)).not.toContain("kube-ha:allowEvenReplicaCount");
    expect(r.out).toMatch(/\[master-c\] remove-etcd-member[\s\S]*\[master-c\] create-machine/);
  });

  it("a forced removal to 2 runs one up and leaves allowEvenReplicaCount set", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const r = await runCli(["remove-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--name", "master-d", "--force"]);
    expect(r.code).toBe(0);
    expect(r.automation.ups).toHaveLength(1);
    const text = fs.readFileSync(p.file("gcp-ha"), "utf8");
    expect(replicasOf(text).map((x) => x.name)).toEqual(["master-b", "master-c"]);
    expect(rawConfigFromStackFile(text).allowEvenReplicaCount).toBe(true);
    expect(r.out).toMatch(/etcd quorum\s+2 → 2/);
    expect(r.out).toMatch(/tolerated failures\s+1 → 0/);
  });

  it("a failed up stops the run, says where the stack file stands, and exits 1", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const automation = new FakeAutomation({ failUp: { at: 1, message: "quota exceeded" } });
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--zone", "europe-west1-b", "--zone", "europe-west1-c"], { automation });
    expect(r.code).toBe(1);
    expect(automation.ups).toHaveLength(1);
    expect(r.err).toContain("pulumi up 1/2 failed: quota exceeded");
    expect(r.err).toContain("lists this stage's 4 replicas");
    expect(replicasOf(fs.readFileSync(p.file("gcp-ha"), "utf8"))).toHaveLength(4);
  });

  it("a missing pulumi CLI is reported with the install command, before the stack file is touched", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const automation = new FakeAutomation({ selectError: new Error(PULUMI_INSTALL_HINT) });
    const r = await runCli(["remove-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--name", "master-d", "--force"], { automation });
    expect(r.code).toBe(1);
    expect(r.err).toContain("pulumi CLI not found: install it with curl -fsSL https://get.pulumi.com | sh");
    expect(fs.readFileSync(p.file("gcp-ha"), "utf8")).toBe(repoStack("gcp-ha"));
  });
});

/** An AWS stack on an existing VPC: its subnets decide the zones, so the CLI never writes networkZones. */
const EXISTING_VPC = `config:
  kube-ha:cloud: aws
  kube-ha:region: eu-west-1
  kube-ha:replicaZones: [eu-west-1a, eu-west-1b, eu-west-1c]
  kube-ha:loadBalancerScheme: internal
  kube-ha:existingNetwork:
    network: vpc-0123456789abcdef0
    subnets:
      - { name: subnet-a, cidr: 10.1.0.0/24, zone: eu-west-1a }
      - { name: subnet-b, cidr: 10.1.1.0/24, zone: eu-west-1b }
      - { name: subnet-c, cidr: 10.1.2.0/24, zone: eu-west-1c }
`;

const networkZonesOf = (text: string) => rawConfigFromStackFile(text).networkZones;

describe("the network keeps every zone it spans while a replica change empties one (kube-ha:networkZones)", () => {
  it("replace-replica in a 3-zone cluster keeps the emptied zone in the network during the removal up, and after", async () => {
    const p = tempProject({ "aws-ha": repoStack("aws-ha") });
    const r = await runCli(["replace-replica", "--stack", "aws-ha", "--stacks-dir", p.stacksDir, "--name", "master-b"]);
    expect(r.code).toBe(0);
    const [first, second] = r.automation.ups.map((u) => u.stackFileText);
    expect(replicasOf(first!).map((x) => x.zone)).toEqual(["eu-west-1a", "eu-west-1c"]);
    expect(networkZonesOf(first!)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(networkZonesOf(second!)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(second).toContain("# the office");
  });

  it("remove-replica --no-up keeps the zone it empties", async () => {
    const p = tempProject({ five: FIVE });
    const r = await runCli(["remove-replica", "--stack", "five", "--stacks-dir", p.stacksDir, "--name", "master-d", "--force", "--no-up"]);
    expect(r.code).toBe(0);
    const text = fs.readFileSync(p.file("five"), "utf8");
    expect(replicasOf(text).map((x) => x.zone)).not.toContain("europe-west1-d");
    expect(networkZonesOf(text)).toEqual(["europe-west1-b", "europe-west1-c", "europe-west1-d"]);
  });

  it("add-replica writes the sorted union of the network's zones (its networkZones and replicas) and the new replicas' zones, per stage", async () => {
    const single = repoStack("gcp-single").replace("  kube-ha:apiServerAllowedCidrs:", "  kube-ha:networkZones: [us-central1-f]\n  kube-ha:apiServerAllowedCidrs:");
    const p = tempProject({ single });
    const r = await runCli(["add-replica", "--stack", "single", "--stacks-dir", p.stacksDir, "--zone", "us-central1-c", "--zone", "us-central1-b"]);
    expect(r.code).toBe(0);
    const [first, second] = r.automation.ups.map((u) => u.stackFileText);
    expect(networkZonesOf(first!)).toEqual(["us-central1-a", "us-central1-c", "us-central1-f"]);
    expect(networkZonesOf(second!)).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
    expect(configKeys(second!).filter((k) => k === "kube-ha:networkZones")).toHaveLength(1);
  });

  it("is not written for a stack on an existing network", async () => {
    const p = tempProject({ vpc: EXISTING_VPC });
    const r = await runCli(["replace-replica", "--stack", "vpc", "--stacks-dir", p.stacksDir, "--name", "master-b"]);
    expect(r.code).toBe(0);
    expect(r.automation.ups).toHaveLength(2);
    for (const up of r.automation.ups) expect(configKeys(up.stackFileText)).not.toContain("kube-ha:networkZones");
    expect(replicasOf(fs.readFileSync(p.file("vpc"), "utf8")).map((x) => x.name)).toEqual(["master-a", "master-b", "master-c"]);
  });
});

describe("refusals exit 2 with the planner's reason", () => {
  it("removing the last replica", async () => {
    const r = await runCli(["remove-replica", "--stack", "gcp-single", "--stacks-dir", REPO_STACKS, "--name", "master-a", "--force"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused (last-replica): master-a is the last replica");
  });

  it("landing on 2 replicas without --force", async () => {
    const r = await runCli(["remove-replica", "--stack", "gcp-ha", "--stacks-dir", REPO_STACKS, "--name", "master-c"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused (two-replicas): 3 → 2 replicas: a 2-replica etcd is less available than 1");
  });

  it("growing 1 → 2 without --force", async () => {
    const r = await runCli(["add-replica", "--stack", "gcp-single", "--stacks-dir", REPO_STACKS, "--zone", "us-central1-b", "--dry-run"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused (two-replicas)");
    expect(r.err).toMatch(/suggestion: add 2 at once to reach 3: --zone us-central1-\w --zone us-central1-\w/);
  });

  it("an unknown replica name", async () => {
    const r = await runCli(["remove-replica", "--stack", "gcp-ha", "--stacks-dir", REPO_STACKS, "--name", "master-z"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('refused (unknown-name): no replica named "master-z" (replicas: master-b, master-c, master-d)');
  });

  it("a zone that holds several replicas, naming them", async () => {
    const p = tempProject({ five: FIVE });
    const r = await runCli(["remove-replica", "--stack", "five", "--stacks-dir", p.stacksDir, "--zone", "europe-west1-b", "--force"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused (ambiguous-zone): zone europe-west1-b holds 2 replicas (master-b, master-b-2)");
    expect(r.err).toContain("suggestion: --name master-b");
  });

  it("replacing the only replica (it would lose the etcd data)", async () => {
    const r = await runCli(["replace-replica", "--stack", "gcp-single", "--stacks-dir", REPO_STACKS, "--name", "master-a"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("refused (last-replica)");
  });
});

describe("kube-up / kube-down environment variables", () => {
  it("KUBE_GCE_ZONE gives the zone and KUBE_REPLICA_NAME the name of the new replica when the flags are absent", async () => {
    const p = tempProject({ "gcp-ha": repoStack("gcp-ha") });
    const env = { KUBE_GCE_ZONE: "europe-west1-d", KUBE_REPLICA_NAME: "master-extra" };
    const r = await runCli(["add-replica", "--stack", "gcp-ha", "--stacks-dir", p.stacksDir, "--force", "--no-up"], { env });
    expect(r.code).toBe(0);
    const replicas = replicasOf(fs.readFileSync(p.file("gcp-ha"), "utf8"));
    expect(replicas[3]).toMatchObject({ name: "master-extra", zone: "europe-west1-d" });
  });

  it("KUBE_REPLICA_NAME and KUBE_DELETE_NODES=false choose the replica and keep its Node (KUBE_HA_KEEP_NODES=true for up)", async () => {
    const p = tempProject({ five: FIVE });
    const env = { KUBE_REPLICA_NAME: "master-b-2", KUBE_DELETE_NODES: "false" };
    const r = await runCli(["remove-replica", "--stack", "five", "--stacks-dir", p.stacksDir, "--force"], { env });
    expect(r.code).toBe(0);
    expect(r.automation.selected[0]!.envVars).toEqual({ KUBE_HA_KEEP_NODES: "true", KUBE_HA_SKIP_MEMBER_REMOVAL: "false" });
    expect(r.out).not.toContain("delete-node-object");
    const text = fs.readFileSync(p.file("five"), "utf8");
    expect(replicasOf(text).map((x) => x.name)).toEqual(["master-b", "master-c", "master-d", "master-c-2"]);
    expect(text).toContain("# five masters");
  });

  it("flags win over the environment", async () => {
    const env = { KUBE_REPLICA_NAME: "master-b", KUBE_GCE_ZONE: "europe-west1-b" };
    const r = await runCli(["remove-replica", "--stack", "five", "--stacks-dir", tempProject({ five: FIVE }).stacksDir, "--name", "master-c-2", "--force", "--dry-run"], { env });
    expect(r.code).toBe(0);
    expect(r.out).toContain("request: remove replica master-c-2");
    expect(r.out).toContain("[master-c-2] delete-node-object: kubectl delete node master-c-2");
  });

  it("--no-up with --keep-nodes prints the up command with KUBE_HA_KEEP_NODES=true", async () => {
    const p = tempProject({ five: FIVE });
    const r = await runCli(["remove-replica", "--stack", "five", "--stacks-dir", p.stacksDir, "--name", "master-c-2", "--force", "--keep-nodes", "--no-up"]);
    expect(r.code).toBe(0);
    expect(r.out).toContain("KUBE_HA_KEEP_NODES=true pulumi up --stack five");
  });
});

describe("the kube-ha entry point", () => {
  it("has the replica commands: add-replica --dry-run on gcp-ha from the repo root refuses 3 → 4 with exit 2", async () => {
    let out = "";
    let err = "";
    const code = await main(["add-replica", "--stack", "gcp-ha", "--zone", "europe-west1-c", "--dry-run"], {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      cwd: path.join(REPO_STACKS, ".."),
    });
    expect(code).toBe(2);
    expect(err).toContain("refused (even-count)");
    expect(out).toBe("");
  });
});

describe("usage", () => {
  it("every replica command has --help", async () => {
    for (const cmd of ["add-replica", "remove-replica", "replace-replica"]) {
      const r = await runCli([cmd, "--help"]);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: kube-ha ${cmd}`);
      expect(r.out).toContain("--dry-run");
      expect(r.out).toContain("--no-up");
      expect(r.out).toContain("--stacks-dir");
    }
  });

  it("a stack without a file is an error naming the stacks that exist", async () => {
    const r = await runCli(["add-replica", "--stack", "nope", "--stacks-dir", REPO_STACKS, "--zone", "europe-west1-b"]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('no stack file for "nope"');
    expect(r.err).toContain("gcp-ha");
  });

  it("remove-replica without a name or zone says what to give", async () => {
    const r = await runCli(["remove-replica", "--stack", "gcp-ha", "--stacks-dir", REPO_STACKS]);
    expect(r.code).toBe(1);
    expect(r.err).toContain("--name NAME or --zone ZONE (or KUBE_REPLICA_NAME / KUBE_GCE_ZONE)");
  });
});
