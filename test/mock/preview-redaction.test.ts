import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { describe, expect, it } from "vitest";
import { runProgramOnMocks } from "../../components/preview/run-program";

// A small program, not kube-ha's: the preview runner works for any program that registers resources.
const SECRET_VALUE = "known-secret-value-0123456789";
const KNOWN_PEM = "-----BEGIN RSA PRIVATE KEY-----\nMIIEknownKeyMaterialThatMustNeverBePrinted0123456789\n-----END RSA PRIVATE KEY-----\n";
const KUBECONFIG = [
  "apiVersion: v1",
  "kind: Config",
  "users:",
  "- name: admin",
  "  user:",
  "    client-certificate-data: Q0VSVElGSUNBVEU=",
  "    client-key-data: a2V5LW1hdGVyaWFsLWluLWEta3ViZWNvbmZpZw==",
].join("\n");

function program() {
  const box = new pulumi.ComponentResource("test:index:Box", "box");
  const secret = new aws.secretsmanager.Secret("s", { name: "s" }, { parent: box });
  const version = new aws.secretsmanager.SecretVersion(
    "v",
    { secretId: secret.id, secretString: pulumi.secret(SECRET_VALUE) },
    { parent: box },
  );
  // A secret that loses its marking on the way (unsecret) and lands in a plain input.
  // (Parameter.value is a secret input in the provider's schema; description is plain.)
  const leaked = pulumi.unsecret(version.secretString).apply((s) => `prefix ${s ?? ""} suffix`);
  new aws.ssm.Parameter("leak", { name: "leak", type: "String", value: "v", description: leaked }, { parent: box });
  // Key material that was never marked secret at all.
  new aws.ssm.Parameter("pem", { name: "pem", type: "String", value: "v", description: KNOWN_PEM });
  new aws.ssm.Parameter("kubeconfig", { name: "kubeconfig", type: "String", value: "v", description: KUBECONFIG });
  const key = new tls.PrivateKey("k", { algorithm: "ED25519" });
  return { version, key, outputs: { versionSecret: version.secretString, plain: secret.name, keyPem: key.privateKeyPem } };
}

describe("running a program on the preview's mock runtime", () => {
  it("records every registration with type, name, parent and redacted inputs, and redacts secrets in outputs", async () => {
    const run = await runProgramOnMocks({
      project: "kube-ha",
      stack: "redaction",
      config: {},
      program,
      outputs: (r) => r.outputs,
    });

    const byName = new Map(run.resources.map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(["box", "k", "kubeconfig", "leak", "pem", "s", "v"]);
    expect(byName.get("box")!.custom).toBe(false);
    expect(byName.get("v")!.parentUrn).toBe(byName.get("box")!.urn);
    expect(byName.get("pem")!.parentUrn).toBeUndefined();

    // 1. marked secret on the wire
    expect(byName.get("v")!.inputs["secretString"]).toBe("[secret]");
    // 2. the same plaintext, unmarked, inside another input
    expect(byName.get("leak")!.inputs["description"]).toBe("prefix [secret] suffix");
    // 3. key material by shape
    expect(byName.get("pem")!.inputs["description"]).toBe("[secret]\n");
    expect(byName.get("kubeconfig")!.inputs["description"]).toContain("client-key-data: [secret]");
    expect(byName.get("kubeconfig")!.inputs["description"]).toContain("client-certificate-data: Q0VSVElGSUNBVEU=");

    expect(run.outputs).toEqual({ versionSecret: "[secret]", plain: "s", keyPem: "[secret]" });
    const everything = JSON.stringify({ resources: run.resources, outputs: run.outputs });
    expect(everything).not.toContain(SECRET_VALUE);
    expect(everything).not.toContain("MIIEknownKeyMaterial");
    expect(everything).not.toContain("a2V5LW1hdGVyaWFsLWluLWEta3ViZWNvbmZpZw==");
    expect(everything).not.toMatch(/PRIVATE KEY-----/);
  });

  it("hands secret inputs back to the program still secret, and marks private keys secret as the real provider does", async () => {
    const run = await runProgramOnMocks({
      project: "kube-ha",
      stack: "secretness",
      config: {},
      program,
      outputs: (r) => r.outputs,
    });
    expect(await pulumi.isSecret(run.result.version.secretString)).toBe(true);
    expect(await pulumi.isSecret(run.result.key.privateKeyPem)).toBe(true);
    expect(await pulumi.isSecret(run.result.key.publicKeyPem)).toBe(false);
  });
});
