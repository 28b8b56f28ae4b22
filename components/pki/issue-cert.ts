import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import { type CertSpec, LEAF_EARLY_RENEWAL_HOURS, allowedUses } from "../plan/cert-specs";

/**
 * One certificate of a CertSpec as @pulumi/tls resources: its private key,
 * and either a self-signed cert (a CA) or a CSR signed by the issuing CA.
 *
 * Keys are ECDSA P-256: accepted by every consumer here (kube-apiserver,
 * kubelet, etcd, kubectl are all Go, whose TLS stack prefers it; kubeadm
 * reads ECDSA CA keys when it makes a joining master's missing certs),
 * generated instantly, and small enough to keep a replica's whole key
 * bundle well inside one Secret Manager / Secrets Manager value.
 */
export interface IssuedCert {
  key: tls.PrivateKey;
  /** The private key PEM, as a Pulumi secret. */
  keyPem: pulumi.Output<string>;
  certPem: pulumi.Output<string>;
}

export interface IssuerRef {
  certPem: pulumi.Input<string>;
  /** Secret. */
  keyPem: pulumi.Input<string>;
}

/** SANs may depend on values known only at deploy time (the LB address). */
export interface SanInputs {
  dnsNames: pulumi.Input<string[]>;
  ipAddresses: pulumi.Input<string[]>;
}

export function issueCert(
  resourceName: string,
  spec: CertSpec,
  issuer: IssuerRef | undefined,
  opts: pulumi.CustomResourceOptions,
  sans: SanInputs = { dnsNames: spec.dnsNames, ipAddresses: spec.ipAddresses },
): IssuedCert {
  if (spec.organizations.length > 1) {
    throw new Error(`${spec.id}: @pulumi/tls subjects take one organization, the spec has ${spec.organizations.length}`);
  }
  if ((spec.issuer === "self") !== (issuer === undefined)) {
    throw new Error(`${spec.id}: issuer ${spec.issuer} does not match the signer given`);
  }
  const key = new tls.PrivateKey(`${resourceName}-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
  const keyPem = pulumi.secret(key.privateKeyPem);
  const subject = {
    commonName: spec.commonName,
    ...(spec.organizations[0] !== undefined ? { organization: spec.organizations[0] } : {}),
  };

  if (issuer === undefined) {
    const cert = new tls.SelfSignedCert(
      resourceName,
      {
        privateKeyPem: keyPem,
        subject,
        dnsNames: sans.dnsNames,
        ipAddresses: sans.ipAddresses,
        isCaCertificate: spec.isCa,
        setSubjectKeyId: true,
        allowedUses: allowedUses(spec),
        validityPeriodHours: spec.validityHours,
      },
      opts,
    );
    return { key, keyPem, certPem: cert.certPem };
  }

  const csr = new tls.CertRequest(
    `${resourceName}-csr`,
    { privateKeyPem: keyPem, subject, dnsNames: sans.dnsNames, ipAddresses: sans.ipAddresses },
    opts,
  );
  const cert = new tls.LocallySignedCert(
    resourceName,
    {
      certRequestPem: csr.certRequestPem,
      caCertPem: issuer.certPem,
      caPrivateKeyPem: issuer.keyPem,
      isCaCertificate: spec.isCa,
      setSubjectKeyId: true,
      allowedUses: allowedUses(spec),
      validityPeriodHours: spec.validityHours,
      // A `pulumi up` within this window of expiry re-issues the leaf: the rotation story.
      ...(spec.isCa ? {} : { earlyRenewalHours: LEAF_EARLY_RENEWAL_HOURS }),
    },
    opts,
  );
  return { key, keyPem, certPem: cert.certPem };
}
