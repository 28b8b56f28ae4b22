import * as pulumi from "@pulumi/pulumi";
import * as tls from "@pulumi/tls";
import {
  type CertSpec,
  adminCertSpec,
  caCertSpecs,
  etcdMemberCertSpecs,
  masterCertSpecs,
} from "../plan/cert-specs";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { PKI_FILES } from "../plan/pki-files";
import { type IssuedCert, type IssuerRef, issueCert } from "./issue-cert";
import { apiServerUrl, renderKubeconfig } from "./kubeconfig";
import type { ClusterPkiArgs, ClusterPkiOutputs } from "./types";

type FileMap = Record<string, pulumi.Output<string>>;

/**
 * The cluster's PKI with @pulumi/tls: four shared CAs (Kubernetes, etcd,
 * etcd peer, front proxy), the service-account key pair, per-replica leaf
 * certificates and the admin kubeconfig. Masters get the Kubernetes and
 * front-proxy CA keys (kubeadm signs their kubelet, controller-manager and
 * scheduler credentials) but never the etcd or etcd peer CA key.
 *
 * Per-replica resources are named `<name>-<replica>-<cert>` and their inputs
 * depend only on that replica, the LB endpoint and cluster-wide settings, so
 * adding a replica only adds resources and removing one only deletes its own.
 */
export class ClusterPki extends pulumi.ComponentResource implements ClusterPkiOutputs {
  readonly kubernetesCaCertPem: pulumi.Output<string>;
  readonly etcdCaCertPem: pulumi.Output<string>;
  /** PEM of the etcd peer CA (public): the only issuer etcd's peer port trusts. */
  readonly etcdPeerCaCertPem: pulumi.Output<string>;
  readonly frontProxyCaCertPem: pulumi.Output<string>;
  /** PEM of the service-account token verification key (public). */
  readonly serviceAccountPublicKeyPem: pulumi.Output<string>;
  readonly replicaFiles: Record<string, pulumi.Output<Record<string, string>>>;
  readonly adminKubeconfig: pulumi.Output<string>;
  /** Every private key's PEM by its PrivateKey resource name; each a secret. For audits and tests. */
  readonly privateKeyPems: Record<string, pulumi.Output<string>> = {};

  constructor(name: string, args: ClusterPkiArgs, opts?: pulumi.ComponentResourceOptions) {
    super("kube-ha:index:ClusterPki", name, {}, opts);
    const child: pulumi.CustomResourceOptions = { parent: this };
    const { plan } = args;
    const endpoint = pulumi.output(args.endpointAddress);

    const caSpecs = caCertSpecs();
    const issuers: Partial<Record<CertSpec["issuer"], IssuerRef>> = {};
    const issue = (resourceName: string, spec: CertSpec, sans?: Parameters<typeof issueCert>[4]) => {
      const cert = issueCert(resourceName, spec, issuers[spec.issuer], child, sans);
      this.privateKeyPems[`${resourceName}-key`] = cert.keyPem;
      return cert;
    };

    const kubernetesCa = issue(`${name}-kubernetes-ca`, caSpecs.kubernetesCa);
    const etcdCa = issue(`${name}-etcd-ca`, caSpecs.etcdCa);
    // A resource of its own, added beside the others: no existing CA's inputs change.
    const etcdPeerCa = issue(`${name}-etcd-peer-ca`, caSpecs.etcdPeerCa);
    const frontProxyCa = issue(`${name}-front-proxy-ca`, caSpecs.frontProxyCa);
    issuers["kubernetes-ca"] = ref(kubernetesCa);
    issuers["etcd-ca"] = ref(etcdCa);
    issuers["etcd-peer-ca"] = ref(etcdPeerCa);
    issuers["front-proxy-ca"] = ref(frontProxyCa);

    // RSA, not ECDSA: service-account tokens are verified outside the cluster
    // too (OIDC discovery, cloud workload-identity federation), where RS256 is
    // the one algorithm every verifier accepts; 2048 bits is kubeadm's default.
    const saKey = new tls.PrivateKey(`${name}-sa`, { algorithm: "RSA", rsaBits: 2048 }, child);
    const saKeyPem = pulumi.secret(saKey.privateKeyPem);
    this.privateKeyPems[`${name}-sa`] = saKeyPem;

    const shared: FileMap = {
      [PKI_FILES.ca.cert]: kubernetesCa.certPem,
      [PKI_FILES.ca.key]: kubernetesCa.keyPem,
      [PKI_FILES.frontProxyCa.cert]: frontProxyCa.certPem,
      [PKI_FILES.frontProxyCa.key]: frontProxyCa.keyPem,
      // The etcd CA's key stays in Pulumi state: kubeadm always runs with etcd.external here and
      // never mints etcd certificates, and every etcd member's leaf certs are issued here.
      [PKI_FILES.etcdCa.cert]: etcdCa.certPem,
      [PKI_FILES.serviceAccount.pub]: saKey.publicKeyPem,
      [PKI_FILES.serviceAccount.key]: saKeyPem,
    };

    const replicaFiles: Record<string, pulumi.Output<Record<string, string>>> = {};
    for (const replica of [...plan.masters, ...plan.etcdNodes]) {
      const files: FileMap =
        replica.role === "master" ? { ...shared } : { [PKI_FILES.etcdCa.cert]: etcdCa.certPem };
      // The peer CA's key stays in state like the etcd CA's: only ClusterPki signs peer certs.
      if (replica.etcdMember) files[PKI_FILES.etcdPeerCa.cert] = etcdPeerCa.certPem;
      Object.assign(files, leafFiles(name, plan, replica, endpoint, issue));
      replicaFiles[replica.name] = pulumi.secret(pulumi.all(files));
    }

    const admin = issue(`${name}-admin`, adminCertSpec());
    const server = endpoint.apply((address) => apiServerUrl(plan.loadBalancer.dnsName ?? address, plan.loadBalancer.port));
    const adminKubeconfig = pulumi
      .all([server, kubernetesCa.certPem, admin.certPem, admin.keyPem])
      .apply(([url, caCertPem, clientCertPem, clientKeyPem]) =>
        renderKubeconfig({ server: url, caCertPem, clientCertPem, clientKeyPem, clusterName: plan.clusterName }),
      );

    this.kubernetesCaCertPem = kubernetesCa.certPem;
    this.etcdCaCertPem = etcdCa.certPem;
    this.etcdPeerCaCertPem = etcdPeerCa.certPem;
    this.frontProxyCaCertPem = frontProxyCa.certPem;
    this.serviceAccountPublicKeyPem = saKey.publicKeyPem;
    this.replicaFiles = replicaFiles;
    this.adminKubeconfig = pulumi.secret(adminKubeconfig);
    this.registerOutputs({
      kubernetesCaCertPem: this.kubernetesCaCertPem,
      etcdCaCertPem: this.etcdCaCertPem,
      etcdPeerCaCertPem: this.etcdPeerCaCertPem,
      frontProxyCaCertPem: this.frontProxyCaCertPem,
      serviceAccountPublicKeyPem: this.serviceAccountPublicKeyPem,
      replicaFiles: this.replicaFiles,
      adminKubeconfig: this.adminKubeconfig,
    });
  }
}

function ref(ca: IssuedCert): IssuerRef {
  return { certPem: ca.certPem, keyPem: ca.keyPem };
}

/** One replica's own leaf certs and keys, under kubeadm's file names. */
function leafFiles(
  name: string,
  plan: ControlPlanePlan,
  replica: ReplicaPlan,
  endpoint: pulumi.Output<string>,
  issue: (resourceName: string, spec: CertSpec, sans?: Parameters<typeof issueCert>[4]) => IssuedCert,
): FileMap {
  const files: FileMap = {};
  const put = (paths: { cert: string; key: string }, cert: IssuedCert) => {
    files[paths.cert] = cert.certPem;
    files[paths.key] = cert.keyPem;
  };
  const prefix = `${name}-${replica.name}`;
  if (replica.etcdMember) {
    const etcd = etcdMemberCertSpecs(plan, replica.name);
    put(PKI_FILES.etcdServer, issue(`${prefix}-${etcd.server.id}`, etcd.server));
    put(PKI_FILES.etcdPeer, issue(`${prefix}-${etcd.peer.id}`, etcd.peer));
  }
  if (replica.role === "master") {
    // Everything but the apiserver's SANs is independent of the LB address.
    const specs = masterCertSpecs(plan, replica.name, "");
    const withLb = endpoint.apply((address) => masterCertSpecs(plan, replica.name, address).apiserver);
    put(
      PKI_FILES.apiserver,
      issue(`${prefix}-${specs.apiserver.id}`, specs.apiserver, {
        dnsNames: withLb.apply((s) => s.dnsNames),
        ipAddresses: withLb.apply((s) => s.ipAddresses),
      }),
    );
    put(PKI_FILES.apiserverEtcdClient, issue(`${prefix}-${specs.apiserverEtcdClient.id}`, specs.apiserverEtcdClient));
    put(PKI_FILES.apiserverKubeletClient, issue(`${prefix}-${specs.apiserverKubeletClient.id}`, specs.apiserverKubeletClient));
  }
  return files;
}
