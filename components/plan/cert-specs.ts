import { parseIpv4 } from "../spec/cidr";
import type { ControlPlanePlan, ReplicaPlan } from "./types";

/**
 * Certificate specs: subject, SANs, usages, lifetime and issuing CA of every
 * certificate of the cluster, as pure functions of the plan. ClusterPki turns
 * them into @pulumi/tls resources; the real-binary tests turn them into real
 * certificates with openssl. Names follow kubeadm so its phases accept them.
 *
 * A replica's specs depend only on that replica, the load balancer endpoint
 * and cluster-wide settings, never on the other replicas: adding a replica
 * changes no existing certificate.
 */

/** Key usages, in @pulumi/tls's `allowedUses` vocabulary. */
export type KeyUsage = "digital_signature" | "key_encipherment" | "cert_signing" | "crl_signing";
/** Extended key usages, in @pulumi/tls's `allowedUses` vocabulary. */
export type ExtendedKeyUsage = "server_auth" | "client_auth";

export type CaId = "kubernetes-ca" | "etcd-ca" | "etcd-peer-ca" | "front-proxy-ca";
export type Issuer = CaId | "self";

export type LeafId =
  | "etcd-server"
  | "etcd-peer"
  | "apiserver"
  | "apiserver-etcd-client"
  | "apiserver-kubelet-client"
  | "admin";

export interface CertSpec {
  /** Stable identifier; per-replica resources are named `<replica>-<id>`. */
  id: CaId | LeafId;
  commonName: string;
  organizations: string[];
  dnsNames: string[];
  ipAddresses: string[];
  keyUsages: KeyUsage[];
  extendedKeyUsages: ExtendedKeyUsage[];
  validityHours: number;
  isCa: boolean;
  issuer: Issuer;
}

export const CA_VALIDITY_HOURS = 10 * 365 * 24;
export const LEAF_VALIDITY_HOURS = 365 * 24;
/** A `pulumi up` within 30 days of a leaf's expiry re-issues it. */
export const LEAF_EARLY_RENEWAL_HOURS = 30 * 24;

/** The organisation kubeadm binds to cluster-admin (Kubernetes ≥ 1.29). */
export const CLUSTER_ADMINS_GROUP = "kubeadm:cluster-admins";

const CA_USAGES: KeyUsage[] = ["digital_signature", "cert_signing", "crl_signing"];
const LEAF_USAGES: KeyUsage[] = ["digital_signature", "key_encipherment"];

/** `keyUsages` then `extendedKeyUsages`: what @pulumi/tls takes as `allowedUses`. */
export function allowedUses(spec: CertSpec): string[] {
  return [...spec.keyUsages, ...spec.extendedKeyUsages];
}

function ca(id: CaId, commonName: string): CertSpec {
  return {
    id,
    commonName,
    organizations: [],
    dnsNames: [],
    ipAddresses: [],
    keyUsages: [...CA_USAGES],
    extendedKeyUsages: [],
    validityHours: CA_VALIDITY_HOURS,
    isCa: true,
    issuer: "self",
  };
}

function leaf(
  id: LeafId,
  issuer: CaId,
  commonName: string,
  extendedKeyUsages: ExtendedKeyUsage[],
  extra: Partial<Pick<CertSpec, "organizations" | "dnsNames" | "ipAddresses">> = {},
): CertSpec {
  return {
    id,
    commonName,
    organizations: extra.organizations ?? [],
    dnsNames: extra.dnsNames ?? [],
    ipAddresses: extra.ipAddresses ?? [],
    keyUsages: [...LEAF_USAGES],
    extendedKeyUsages,
    validityHours: LEAF_VALIDITY_HOURS,
    isCa: false,
    issuer,
  };
}

export interface CaCertSpecs {
  kubernetesCa: CertSpec;
  etcdCa: CertSpec;
  /**
   * Signs only etcd peer certificates; etcd's peer port trusts only it. kubeadm
   * signs peers with the etcd CA, so its peer port (2380) also accepts the
   * apiserver's etcd client certificate: a stolen apiserver credential could
   * join raft as a peer. A CA of its own closes that, on every etcd release
   * (`peer-cert-allowed-cn`/`-hostname` take one value in 3.4 and 3.5, while
   * peer certs name their member). docs/contracts.md, "PKI".
   */
  etcdPeerCa: CertSpec;
  frontProxyCa: CertSpec;
}

/** The shared CAs (kubeadm's common names, plus the etcd peer CA), ten years each. */
export function caCertSpecs(): CaCertSpecs {
  return {
    kubernetesCa: ca("kubernetes-ca", "kubernetes"),
    etcdCa: ca("etcd-ca", "etcd-ca"),
    etcdPeerCa: ca("etcd-peer-ca", "etcd-peer-ca"),
    frontProxyCa: ca("front-proxy-ca", "front-proxy-ca"),
  };
}

export interface EtcdMemberCertSpecs {
  server: CertSpec;
  peer: CertSpec;
}

/**
 * The etcd member's serving cert (etcd CA: what clients verify on 2379) and
 * peer cert (etcd peer CA: the only issuer 2380 trusts); both carry
 * serverAuth and clientAuth, as etcd uses them both ways.
 */
export function etcdMemberCertSpecs(plan: ControlPlanePlan, memberName: string): EtcdMemberCertSpecs {
  const member = plan.etcd.members.find((m) => m.name === memberName);
  if (!member) throw new Error(`no etcd member named ${memberName} in the plan`);
  const both: ExtendedKeyUsage[] = ["server_auth", "client_auth"];
  return {
    server: leaf("etcd-server", "etcd-ca", member.name, both, {
      dnsNames: unique([member.name, "localhost"]),
      ipAddresses: unique([member.address, "127.0.0.1"]),
    }),
    peer: leaf("etcd-peer", "etcd-peer-ca", member.name, both, {
      dnsNames: [member.name],
      ipAddresses: [member.address],
    }),
  };
}

export interface MasterCertSpecs {
  apiserver: CertSpec;
  apiserverEtcdClient: CertSpec;
  apiserverKubeletClient: CertSpec;
}

/**
 * The leaf certs of one master's apiserver. `lbAddress` is the load
 * balancer's address (an IP, or a host name as AWS's NLB gives); the LB's
 * DNS name from the spec is added when set.
 */
export function masterCertSpecs(plan: ControlPlanePlan, masterName: string, lbAddress: string): MasterCertSpecs {
  const master = findMaster(plan, masterName);
  const lb = hostSans([lbAddress, plan.loadBalancer.dnsName]);
  const domain = plan.kubernetes.clusterDomain;
  return {
    apiserver: leaf("apiserver", "kubernetes-ca", "kube-apiserver", ["server_auth"], {
      dnsNames: unique([
        ...lb.dnsNames,
        master.name,
        "kubernetes",
        "kubernetes.default",
        "kubernetes.default.svc",
        `kubernetes.default.svc.${domain}`,
        "localhost",
      ]),
      ipAddresses: unique([...lb.ipAddresses, master.address, plan.kubernetes.apiServiceIp, "127.0.0.1"]),
    }),
    apiserverEtcdClient: leaf("apiserver-etcd-client", "etcd-ca", "kube-apiserver-etcd-client", ["client_auth"]),
    apiserverKubeletClient: leaf("apiserver-kubelet-client", "kubernetes-ca", "kube-apiserver-kubelet-client", ["client_auth"], {
      organizations: [CLUSTER_ADMINS_GROUP],
    }),
  };
}

/** Every leaf spec of one replica: its etcd member's certs and, for a master, its apiserver's. */
export function replicaCertSpecs(plan: ControlPlanePlan, replicaName: string, lbAddress: string): CertSpec[] {
  const replica = findReplica(plan, replicaName);
  const out: CertSpec[] = [];
  if (replica.etcdMember) out.push(...Object.values(etcdMemberCertSpecs(plan, replica.name)));
  if (replica.role === "master") out.push(...Object.values(masterCertSpecs(plan, replica.name, lbAddress)));
  return out;
}

/** The cluster-admin client certificate behind the admin kubeconfig. */
export function adminCertSpec(): CertSpec {
  return leaf("admin", "kubernetes-ca", "kubernetes-admin", ["client_auth"], { organizations: [CLUSTER_ADMINS_GROUP] });
}

/** Splits host names and IPv4 addresses for subjectAltName (undefined and empty entries dropped). */
export function hostSans(hosts: ReadonlyArray<string | undefined>): { dnsNames: string[]; ipAddresses: string[] } {
  const dnsNames: string[] = [];
  const ipAddresses: string[] = [];
  for (const h of hosts) {
    const host = h?.trim();
    if (!host) continue;
    (parseIpv4(host) === undefined ? dnsNames : ipAddresses).push(host);
  }
  return { dnsNames: unique(dnsNames), ipAddresses: unique(ipAddresses) };
}

function findMaster(plan: ControlPlanePlan, name: string): ReplicaPlan {
  const m = plan.masters.find((r) => r.name === name);
  if (!m) throw new Error(`no master named ${name} in the plan (masters: ${plan.masters.map((r) => r.name).join(", ")})`);
  return m;
}

function findReplica(plan: ControlPlanePlan, name: string): ReplicaPlan {
  const r = [...plan.masters, ...plan.etcdNodes].find((x) => x.name === name);
  if (!r) throw new Error(`no replica named ${name} in the plan`);
  return r;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
