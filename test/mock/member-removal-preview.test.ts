import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../components/cli/main";
import { MEMBER_REMOVAL_TYPE } from "../../components/membership/etcd-member-removal";
import { GCP_IAP_TCP_FORWARDING_RANGE } from "../../components/plan/ports";

/**
 * The offline preview of the example stacks shows the removal wiring as a
 * reviewer sees it in `--json`: a removal command per replica whose admin
 * kubeconfig alone is redacted (the replica's instance and project stay
 * readable, so nothing else is over-redacted), and on GCP the IAP ssh rule
 * in both the firewall and the HA report.
 */

const REPO = path.join(__dirname, "..", "..");

interface PreviewDoc {
  resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
  report: { ports: { name: string; ports: string; to: string[]; from: string[] }[] };
}

async function previewJson(stack: string): Promise<PreviewDoc> {
  let out = "";
  let err = "";
  const code = await main(["preview", "--stack", stack, "--json"], { cwd: REPO, stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  expect(err).toBe("");
  expect(code).toBe(0);
  return JSON.parse(out) as PreviewDoc;
}

let gcp: PreviewDoc;
let aws: PreviewDoc;

beforeAll(async () => {
  gcp = await previewJson("gcp-ha");
  aws = await previewJson("aws-ha");
});

const commands = (doc: PreviewDoc) => doc.resources.filter((r) => r.type === MEMBER_REMOVAL_TYPE && r.name.endsWith("-member-removal"));
const joinWaits = (doc: PreviewDoc) => doc.resources.filter((r) => r.type === MEMBER_REMOVAL_TYPE && r.name.endsWith("-join-wait"));

describe("the offline preview with member removal wired in", () => {
  it("gcp-ha: a removal command per replica, under the control plane, with only the kubeconfig redacted", () => {
    expect(commands(gcp).map((r) => [r.name, r.parent])).toEqual([
      ["gcp-ha-master-b-member-removal", "gcp-ha"],
      ["gcp-ha-master-c-member-removal", "gcp-ha"],
      ["gcp-ha-master-d-member-removal", "gcp-ha"],
    ]);
    for (const r of commands(gcp)) {
      const replica = r.name.replace(/-member-removal$/, "");
      expect(r.inputs["environment"]).toEqual({
        KUBE_HA_ADMIN_KUBECONFIG: "[secret]",
        KUBE_HA_GCP_PROJECT: "my-gcp-project",
        KUBE_HA_INSTANCE: replica,
      });
    }
    const instance = gcp.resources.find((r) => r.name === "gcp-ha-master-c-instance")!;
    expect(instance.inputs["name"]).toBe("gcp-ha-master-c");
    expect(gcp.resources.find((r) => r.name === "gcp-ha-master-c-pki")!.inputs["secretId"]).toBe("gcp-ha-master-c-pki");
  });

  it("shows a join-wait command per master whose only input that is not the script, the kubeconfig, is redacted", () => {
    expect(joinWaits(gcp).map((r) => [r.name, r.parent])).toEqual(["b", "c", "d"].map((z) => [`gcp-ha-master-${z}-join-wait`, "gcp-ha"]));
    expect(joinWaits(aws).map((r) => r.name)).toEqual(["a", "b", "c"].map((z) => `aws-ha-master-${z}-join-wait`));
    for (const r of [...joinWaits(gcp), ...joinWaits(aws)]) {
      expect(r.inputs["environment"]).toEqual({ KUBE_HA_ADMIN_KUBECONFIG: "[secret]" });
      expect(r.inputs["create"]).toContain("kube-apiserver-master-");
    }
  });

  it("gcp-ha: the firewall rule and the HA report agree on port 22: from IAP's range only, to the masters", () => {
    const rule = gcp.resources.find((r) => r.name === "gcp-ha-allow-ssh-from-iap")!;
    expect(rule.inputs).toMatchObject({ sourceRanges: [GCP_IAP_TCP_FORWARDING_RANGE], targetTags: ["gcp-ha-master"] });
    const ssh = gcp.report.ports.filter((p) => p.ports === "22");
    expect(ssh.map((p) => [p.name, p.from, p.to])).toEqual([["ssh-from-iap", rule.inputs["sourceRanges"], ["master"]]]);
  });

  it("aws-ha: a removal command per replica, the SSM policy on the masters' role, and no port 22", () => {
    expect(commands(aws).map((r) => r.name)).toEqual(["aws-ha-master-a-member-removal", "aws-ha-master-b-member-removal", "aws-ha-master-c-member-removal"]);
    for (const r of commands(aws)) {
      const env = r.inputs["environment"] as Record<string, string>;
      expect(env["KUBE_HA_ADMIN_KUBECONFIG"]).toBe("[secret]");
      expect(env["KUBE_HA_AWS_REGION"]).toBe("eu-west-1");
      expect(env["KUBE_HA_INSTANCE"]).toMatch(/^i-[0-9a-f]+$/);
    }
    const ssm = aws.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
    expect(ssm.map((r) => r.inputs["policyArn"])).toEqual(["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]);
    expect(aws.report.ports.filter((p) => p.ports === "22")).toEqual([]);
  });
});
