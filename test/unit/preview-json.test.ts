import { describe, expect, it } from "vitest";
import { renderKubeconfig } from "../../components/pki/kubeconfig";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import { buildHaReport } from "../../components/preview/ha-report";
import { previewJson, previewJsonText } from "../../components/preview/preview-json";
import type { RecordedResource } from "../../components/preview/recorder";
import { REDACTED } from "../../components/preview/redact";
import { parseClusterSpec } from "../../components/spec/validate";

/** PEM text whose body is a recognisable marker (not a real key). */
const pem = (label: string, marker: string) => `-----BEGIN ${label}-----\n${Buffer.from(marker).toString("base64")}\n-----END ${label}-----\n`;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

const KEY = pem("EC PRIVATE KEY", "key-that-lost-its-secret-marking");
const CLIENT_KEY = pem("PRIVATE KEY", "admin-client-key");
const CA_CERT = pem("CERTIFICATE", "cluster-ca-cert");
const kubeconfig = renderKubeconfig({
  server: "https://203.0.113.10:6443",
  caCertPem: CA_CERT,
  clientCertPem: pem("CERTIFICATE", "admin-client-cert"),
  clientKeyPem: CLIENT_KEY,
  clusterName: "prod",
});

const report = buildHaReport(
  "prod",
  planControlPlane(parseClusterSpec({ cloud: "gcp", region: "europe-west1", replicaZones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] }, { stackName: "prod" })),
);

/**
 * Registrations as if an earlier redaction layer had missed them (a secret
 * that lost its marking on the way): the last pass of previewJsonText must
 * still catch the key material by its shape.
 */
const leaky: RecordedResource[] = [
  { urn: "urn:pki", type: "kube-ha:index:ClusterPki", name: "prod-pki", custom: false, inputs: {} },
  {
    urn: "urn:key",
    type: "tls:index/locallySignedCert:LocallySignedCert",
    name: "prod-master-b-apiserver",
    parentUrn: "urn:pki",
    custom: true,
    inputs: { caPrivateKeyPem: KEY, caCertPem: CA_CERT, allowedUses: ["server_auth"], nested: { files: [KEY] } },
  },
  {
    urn: "urn:cmd",
    type: "command:local:Command",
    name: "prod-master-b-member-removal",
    parentUrn: "urn:pki",
    custom: true,
    inputs: { environment: { KUBE_HA_ADMIN_KUBECONFIG: kubeconfig } },
  },
];

describe("previewJsonText's last redaction pass", () => {
  const text = previewJsonText(previewJson("prod", leaky, report));
  const doc = JSON.parse(text) as { resources: { name: string; parent: string | null; inputs: Record<string, unknown> }[] };

  it("the fixture holds what it should: a key and a kubeconfig with client-key-data, unredacted", () => {
    expect(leaky[1]!.inputs["caPrivateKeyPem"]).toContain("BEGIN EC PRIVATE KEY");
    expect(kubeconfig).toContain(`client-key-data: ${b64(CLIENT_KEY)}`);
  });

  it("redacts an unmarked PEM private key wherever it sits in the inputs", () => {
    expect(text).not.toContain("PRIVATE KEY");
    expect(text).not.toContain(b64("key-that-lost-its-secret-marking"));
    const inputs = doc.resources.find((r) => r.name === "prod-master-b-apiserver")!.inputs;
    expect(inputs["caPrivateKeyPem"]).toBe(`${REDACTED}\n`);
    expect(inputs["nested"]).toEqual({ files: [`${REDACTED}\n`] });
  });

  it("redacts a kubeconfig's client-key-data and keeps the rest of it", () => {
    expect(text).not.toContain(b64(CLIENT_KEY));
    const env = doc.resources.find((r) => r.name === "prod-master-b-member-removal")!.inputs["environment"] as Record<string, string>;
    expect(env["KUBE_HA_ADMIN_KUBECONFIG"]).toContain(`client-key-data: ${REDACTED}`);
    expect(env["KUBE_HA_ADMIN_KUBECONFIG"]).toContain("server: https://203.0.113.10:6443");
    expect(env["KUBE_HA_ADMIN_KUBECONFIG"]).toContain(`certificate-authority-data: ${b64(CA_CERT)}`);
  });

  it("leaves public material, structure and the report alone", () => {
    const inputs = doc.resources.find((r) => r.name === "prod-master-b-apiserver")!.inputs;
    expect(inputs["caCertPem"]).toBe(CA_CERT);
    expect(inputs["allowedUses"]).toEqual(["server_auth"]);
    expect(doc.resources.map((r) => r.parent)).toEqual([null, "prod-pki", "prod-pki"]);
    expect((JSON.parse(text) as { report: unknown }).report).toEqual(JSON.parse(JSON.stringify(report)));
  });
});
