import { describe, expect, it } from "vitest";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { buildHaReport } from "../../components/preview/ha-report";
import { SpecError } from "../../components/spec/errors";
import { mistypedNamespace } from "../../components/spec/namespace-check";
import { plaintextCredentialFindings } from "../../components/spec/plaintext-credentials";
import { parseStackConfig } from "../../components/spec/stack-checks";
import { rawConfigFromStackFile } from "../../components/spec/stack-config";
import { parseClusterSpec } from "../../components/spec/validate";
import { base } from "../support/invalid-configs";

const ok: Record<string, string> = {
  "kube-ha:cloud": "gcp",
  "kube-ha:region": "europe-west1",
  "kube-ha:replicaZones": JSON.stringify(base.replicaZones),
};
const parse = (all: Record<string, string>, secret: string[] = []) =>
  parseStackConfig(all, { stackName: "s", isSecret: (k) => secret.includes(k) });
const problemsOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (e instanceof SpecError) return [...e.problems];
    throw e;
  }
  return [];
};

describe("stack config keys outside kube-ha's own: mistyped namespaces", () => {
  it("keeps every other namespace's keys accepted (gcp:project, aws:region, pulumi:tags, kubernetes:context …)", () => {
    const others = {
      "gcp:project": "p",
      "gcp:region": "europe-west1",
      "aws:region": "eu-west-1",
      "aws:profile": "prod",
      "aws:skipCredentialsValidation": "true",
      "pulumi:tags": '{"team":"infra"}',
      "kubernetes:context": "prod",
      "kubernetes:namespace": "default",
      "kubevirt:region": "x",
      "command:shell": "bash",
      "tls:x": "y",
    };
    const parsed = parse({ ...ok, ...others });
    expect(parsed.spec.replicas).toHaveLength(3);
    expect(parsed.warnings).toEqual([]);
    for (const key of Object.keys(others)) expect(mistypedNamespace(key, "kube-ha"), key).toBeUndefined();
  });

  it.each([
    ["kube_ha:replicas", "kube-ha:replicas"],
    ["kubeha:replicas", "kube-ha:replicas"],
    ["KUBE-HA:region", "kube-ha:region"],
    ["kube.ha:region", "kube-ha:region"],
    ["kueb-ha:region", "kube-ha:region"],
    ["kube:replicaZones", "kube-ha:replicaZones"],
    ["kubeha-prod:region", "kube-ha:region"],
    ["kube_ha:replcias", "kube-ha:replicas"],
    ["kube-ha:kube-ha.replicas", "kube-ha:replicas"],
    ["kube-ha:kube_ha:replicas", "kube-ha:replicas"],
    ["kube-ha:kube-ha-replicas", "kube-ha:replicas"],
    ["kube-ha.replicas", "kube-ha:replicas"],
  ])("takes %s for %s", (key, meant) => {
    expect(mistypedNamespace(key, "kube-ha")).toBe(meant);
  });

  it("reports a mistyped namespace and the spec's own problems in one error", () => {
    const problems = problemsOf(() => parse({ ...ok, "kube-ha:kubernetesVersion": "1.20.0", "kube_ha:replicas": "[]" }));
    expect(problems.map((p) => p.key).sort()).toEqual(["kube-ha:kubernetesVersion", "kube_ha:replicas"]);
  });

  it("the CLI's stack-file reader refuses them too, and still reads other namespaces", () => {
    const file = (extra: string) => `config:\n  gcp:project: p\n  aws:region: eu-west-1\n  kube-ha:cloud: gcp\n${extra}`;
    expect(rawConfigFromStackFile(file("")).cloud).toBe("gcp");
    const problems = problemsOf(() => rawConfigFromStackFile(file("  kube_ha:replicaZones: [europe-west1-b]\n")));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ key: "kube_ha:replicaZones", message: expect.stringMatching(/did you mean "kube-ha:replicaZones"/) });
  });
});

describe("credentials in plain text in the stack file", () => {
  const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

  it("refuses a plain-text aws:secretKey without ever printing it, and accepts it set as a secret", () => {
    const problems = problemsOf(() => parse({ ...ok, "aws:secretKey": secret }));
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe("aws:secretKey");
    expect(problems[0]!.message).toContain("pulumi config set --secret aws:secretKey");
    expect(JSON.stringify(problems)).not.toContain(secret.slice(0, 8));
    expect(problemsOf(() => parse({ ...ok, "aws:secretKey": secret }, ["aws:secretKey"]))).toEqual([]);
  });

  it("accepts gcp:credentials naming a key file; refuses the key file's JSON itself", () => {
    expect(parse({ ...ok, "gcp:credentials": "/home/me/key.json" }).warnings).toEqual([]);
    expect(problemsOf(() => parse({ ...ok, "gcp:credentials": '{"private_key":"x"}' })).map((p) => p.key)).toEqual(["gcp:credentials"]);
  });

  it("warns (names the key, says --secret) for other keys named like a secret: aws:accessKey, a kube-ha or provider token", () => {
    const { warnings } = parse({ ...ok, "aws:accessKey": "AKIAIOSFODNN7EXAMPLE", "cloudflare:apiToken": "t0ken", "aws:skipCredentialsValidation": "true" });
    expect(warnings).toEqual([
      "aws:accessKey looks like a credential and is in plain text in the stack file: set it with `pulumi config set --secret aws:accessKey`",
      "cloudflare:apiToken looks like a credential and is in plain text in the stack file: set it with `pulumi config set --secret cloudflare:apiToken`",
    ]);
    expect(plaintextCredentialFindings([{ key: "kube-ha:etcdPassword", value: "hunter2", secret: false }]).warnings[0]).toContain("kube-ha:etcdPassword");
    expect(plaintextCredentialFindings([{ key: "aws:accessKey", value: "AKIA", secret: true }]).warnings).toEqual([]);
  });

  it("the CLI's stack-file reader refuses a plain-text secret key and accepts a secure: one", () => {
    const file = (value: string) => `config:\n  kube-ha:cloud: gcp\n  aws:secretKey: ${value}\n`;
    expect(problemsOf(() => rawConfigFromStackFile(file(secret))).map((p) => p.key)).toEqual(["aws:secretKey"]);
    expect(rawConfigFromStackFile(file("\n    secure: AAABAKz0")).cloud).toBe("gcp");
  });
});

describe("world-open administrative access is a warning naming the key and the fix", () => {
  const warningsOf = (extra: Record<string, unknown>) => planControlPlane(parseClusterSpec({ ...base, apiServerAllowedCidrs: ["100.64.7.0/24"], ...extra })).warnings;

  it("warns for sshAllowedCidr 0.0.0.0/0 (and any range wider than a /8), in the plan and the HA report", () => {
    const warnings = warningsOf({ sshAllowedCidr: "0.0.0.0/0" });
    const ssh = warnings.filter((w) => w.startsWith("sshAllowedCidr"));
    expect(ssh).toEqual([expect.stringMatching(/^sshAllowedCidr 0\.0\.0\.0\/0 opens ssh \(22\) on every master to the whole internet: set it to your admin network/)]);
    expect(warningsOf({ sshAllowedCidr: "0.0.0.0/4" }).some((w) => w.startsWith("sshAllowedCidr 0.0.0.0/4 opens ssh"))).toBe(true);
    const plan = planControlPlane(parseClusterSpec({ ...base, sshAllowedCidr: "0.0.0.0/0" }));
    expect(buildHaReport("s", plan).warnings).toContain(ssh[0]);
  });

  it("stays quiet for an admin network, and for no ssh at all", () => {
    expect(warningsOf({ sshAllowedCidr: "198.51.100.0/24" })).toEqual([]);
    expect(warningsOf({})).toEqual([]);
  });

  it("warns for an apiServerAllowedCidrs entry that opens the API to most of the internet without being 0.0.0.0/0", () => {
    expect(warningsOf({ apiServerAllowedCidrs: ["0.0.0.0/1", "128.0.0.0/1"] })).toEqual([
      "apiServerAllowedCidrs 0.0.0.0/1 lets 2147483648 addresses, most of them on the internet reach the API server: narrow it to your networks",
      "apiServerAllowedCidrs 128.0.0.0/1 lets 2147483648 addresses, most of them on the internet reach the API server: narrow it to your networks",
    ]);
  });
});
