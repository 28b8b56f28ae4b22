/**
 * Real certificates for real-binary tests, minted with the openssl CLI from
 * the same pure cert specs ClusterPki uses (components/plan/cert-specs.ts).
 * Keys are ECDSA P-256 (node:crypto, fast); signing is openssl's. Files are
 * laid out as kubeadm does (PKI_FILES), one directory per member, so a test
 * can point a member's PKI directory at `memberDirs[name]`.
 */
import { execFile } from "node:child_process";
import { randomBytes, generateKeyPair } from "node:crypto";
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import {
  type CertSpec,
  type ExtendedKeyUsage,
  type KeyUsage,
  adminCertSpec,
  caCertSpecs,
  etcdMemberCertSpecs,
  masterCertSpecs,
} from "../../components/plan/cert-specs";
import { planControlPlane } from "../../components/plan/control-plane-plan";
import type { ControlPlanePlan } from "../../components/plan/types";
import { PKI_FILES } from "../../components/plan/pki-files";
import { parseClusterSpec } from "../../components/spec/validate";

const run = promisify(execFile);
const genKeyPair = promisify(generateKeyPair);

export interface CertFiles {
  cert: string;
  key: string;
}

export interface RealEtcdMemberFiles {
  serverCert: string;
  serverKey: string;
  peerCert: string;
  peerKey: string;
  /** The etcd CA cert, copied into this member's directory (etcd/ca.crt). */
  caCert: string;
  /** The etcd peer CA cert, copied into this member's directory (etcd/peer-ca.crt). */
  peerCaCert: string;
}

export interface RealPki {
  dir: string;
  etcdCa: CertFiles;
  /** Signs the members' peer certs only (what etcd's peer port trusts). */
  etcdPeerCa: CertFiles;
  members: Record<string, RealEtcdMemberFiles>;
  /** Per member: a kubeadm-style PKI directory (etcd/ca.crt, etcd/peer-ca.crt, etcd/server.*, etcd/peer.*, apiserver-etcd-client.*). */
  memberDirs: Record<string, string>;
  /** The apiserver→etcd client cert (CN kube-apiserver-etcd-client), signed by the etcd CA. */
  etcdClient: CertFiles;
  kubernetesCa?: CertFiles;
  /** The apiserver serving cert of `opts.apiserverFor`. */
  apiserver?: CertFiles;
  admin?: CertFiles;
}

export interface MintOptions {
  /** Also mint the Kubernetes CA and this master's apiserver serving cert. */
  apiserverFor?: string;
  /** The LB address put into the apiserver cert (default 127.0.0.100). */
  lbAddress?: string;
  /** Also mint the admin client cert (implies the Kubernetes CA). */
  admin?: boolean;
}

/** A signer: the issuing CA's files (undefined for self-signed). */
type Signer = CertFiles | undefined;

/**
 * Mints the etcd CA and etcd peer CA, each etcd member's server and peer cert, an etcd client
 * cert and, when asked, the Kubernetes CA, one apiserver cert and the admin
 * cert, under `dir`. Returns the file paths.
 */
export async function mintRealPki(dir: string, plan: ControlPlanePlan, opts: MintOptions = {}): Promise<RealPki> {
  await mkdir(dir, { recursive: true });
  const cas = caCertSpecs();
  const etcdCa = await mintCert(join(dir, "etcd-ca"), cas.etcdCa, undefined);
  const etcdPeerCa = await mintCert(join(dir, "etcd-peer-ca"), cas.etcdPeerCa, undefined);
  const firstMaster = plan.masters[0]?.name;
  if (!firstMaster) throw new Error("the plan has no master");
  const lb = opts.lbAddress ?? "127.0.0.100";
  const etcdClient = await mintCert(join(dir, "apiserver-etcd-client"), masterCertSpecs(plan, firstMaster, lb).apiserverEtcdClient, etcdCa);

  const members: Record<string, RealEtcdMemberFiles> = {};
  const memberDirs: Record<string, string> = {};
  await Promise.all(
    plan.etcd.members.map(async (m) => {
      const mdir = join(dir, m.name);
      memberDirs[m.name] = mdir;
      members[m.name] = await mintEtcdMemberInto(mdir, plan, m.name, { etcdCa, etcdPeerCa }, etcdClient);
    }),
  );

  const out: RealPki = { dir, etcdCa, etcdPeerCa, members, memberDirs, etcdClient };
  if (opts.apiserverFor !== undefined || opts.admin) {
    out.kubernetesCa = await mintCert(join(dir, "kubernetes-ca"), cas.kubernetesCa, undefined);
    if (opts.apiserverFor !== undefined) {
      const spec = masterCertSpecs(plan, opts.apiserverFor, lb).apiserver;
      out.apiserver = await mintCert(join(dir, opts.apiserverFor, "apiserver"), spec, out.kubernetesCa);
    }
    if (opts.admin) out.admin = await mintCert(join(dir, "admin"), adminCertSpec(), out.kubernetesCa);
  }
  return out;
}

/**
 * Mints one more member's certs with an existing etcd CA (e.g. for a member
 * added to the plan after mintRealPki), into `<pki.dir>/<name>`.
 */
export async function mintRealEtcdMember(pki: RealPki, plan: ControlPlanePlan, name: string): Promise<RealEtcdMemberFiles> {
  const mdir = join(pki.dir, name);
  const files = await mintEtcdMemberInto(mdir, plan, name, pki, pki.etcdClient);
  pki.members[name] = files;
  pki.memberDirs[name] = mdir;
  return files;
}

async function mintEtcdMemberInto(
  mdir: string,
  plan: ControlPlanePlan,
  name: string,
  cas: { etcdCa: CertFiles; etcdPeerCa: CertFiles },
  etcdClient: CertFiles,
): Promise<RealEtcdMemberFiles> {
  const specs = etcdMemberCertSpecs(plan, name);
  const signer = { "etcd-ca": cas.etcdCa, "etcd-peer-ca": cas.etcdPeerCa } as Record<string, CertFiles>;
  const [server, peer] = await Promise.all([
    mintCert(join(mdir, stem(PKI_FILES.etcdServer.cert)), specs.server, signer[specs.server.issuer]),
    mintCert(join(mdir, stem(PKI_FILES.etcdPeer.cert)), specs.peer, signer[specs.peer.issuer]),
  ]);
  const caCert = join(mdir, PKI_FILES.etcdCa.cert);
  const peerCaCert = join(mdir, PKI_FILES.etcdPeerCa.cert);
  await copyFile(cas.etcdCa.cert, caCert);
  await copyFile(cas.etcdPeerCa.cert, peerCaCert);
  await copyFile(etcdClient.cert, join(mdir, PKI_FILES.apiserverEtcdClient.cert));
  await copyFile(etcdClient.key, join(mdir, PKI_FILES.apiserverEtcdClient.key));
  return { serverCert: server.cert, serverKey: server.key, peerCert: peer.cert, peerKey: peer.key, caCert, peerCaCert };
}

/**
 * One certificate from its spec: `<base>.key` (ECDSA P-256, SEC1 PEM) and
 * `<base>.crt`, signed by `signer` or self-signed.
 */
export async function mintCert(base: string, spec: CertSpec, signer: Signer): Promise<CertFiles> {
  await mkdir(dirname(base), { recursive: true });
  const files = { cert: `${base}.crt`, key: `${base}.key` };
  const { privateKey } = await genKeyPair("ec", {
    namedCurve: "P-256",
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "sec1", format: "pem" },
  });
  await writeFile(files.key, privateKey, { mode: 0o600 });
  const csr = `${base}.csr`;
  const ext = `${base}.ext`;
  await writeFile(ext, extensionsFile(spec, signer === undefined));
  await openssl(["req", "-new", "-key", files.key, "-subj", subject(spec), "-out", csr]);
  const signing = signer ? ["-CA", signer.cert, "-CAkey", signer.key] : ["-signkey", files.key];
  await openssl([
    "x509", "-req", "-in", csr, ...signing,
    "-set_serial", `0x${randomBytes(16).toString("hex").replace(/^[89a-f]/, "1")}`,
    "-days", String(Math.max(1, Math.ceil(spec.validityHours / 24))),
    "-sha256", "-extfile", ext, "-extensions", "ext", "-out", files.cert,
  ]);
  await Promise.all([rm(csr, { force: true }), rm(ext, { force: true })]);
  return files;
}

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args, { timeout: 20_000 });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT") throw new Error("openssl is not installed: real-binary PKI tests need the openssl CLI (apt-get install openssl)");
    throw new Error(`openssl ${args[0]} failed: ${err.stderr ?? err.message}`);
  }
}

const OPENSSL_KEY_USAGE: Record<KeyUsage, string> = {
  digital_signature: "digitalSignature",
  key_encipherment: "keyEncipherment",
  cert_signing: "keyCertSign",
  crl_signing: "cRLSign",
};
const OPENSSL_EXT_KEY_USAGE: Record<ExtendedKeyUsage, string> = {
  server_auth: "serverAuth",
  client_auth: "clientAuth",
};

function extensionsFile(spec: CertSpec, selfSigned: boolean): string {
  const lines = [
    "[ext]",
    `basicConstraints = critical, CA:${spec.isCa ? "TRUE" : "FALSE"}`,
    `keyUsage = critical, ${spec.keyUsages.map((u) => OPENSSL_KEY_USAGE[u]).join(", ")}`,
    "subjectKeyIdentifier = hash",
  ];
  if (!selfSigned) lines.push("authorityKeyIdentifier = keyid:always");
  if (spec.extendedKeyUsages.length > 0) {
    lines.push(`extendedKeyUsage = ${spec.extendedKeyUsages.map((u) => OPENSSL_EXT_KEY_USAGE[u]).join(", ")}`);
  }
  const sans = [...spec.dnsNames.map((d) => `DNS:${d}`), ...spec.ipAddresses.map((ip) => `IP:${ip}`)];
  if (sans.length > 0) lines.push(`subjectAltName = ${sans.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function subject(spec: CertSpec): string {
  const esc = (v: string) => v.replace(/([\\/=+,])/g, "\\$1");
  return [...spec.organizations.map((o) => `/O=${esc(o)}`), `/CN=${esc(spec.commonName)}`].join("");
}

function stem(path: string): string {
  return path.replace(/\.(crt|key|pub)$/, "");
}

/**
 * A plan whose members listen on 127.0.0.11, .12, … (names m1, m2, …), spread
 * over three GCP zones, for real etcd clusters on loopback.
 */
export function loopbackPlan(
  count: number,
  opts: { names?: string[]; firstHost?: number; spec?: Record<string, unknown> } = {},
): ControlPlanePlan {
  const zones = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
  const first = opts.firstHost ?? 11;
  const replicas = Array.from({ length: count }, (_, i) => ({
    name: opts.names?.[i] ?? `m${i + 1}`,
    zone: zones[i % zones.length]!,
    address: `127.0.0.${first + i}`,
  }));
  return planControlPlane(
    parseClusterSpec({
      cloud: "gcp",
      region: "europe-west1",
      networkCidr: "127.0.0.0/16",
      podCidr: "10.244.0.0/16",
      serviceCidr: "10.96.0.0/12",
      replicas,
      ...(count % 2 === 0 || count > 7 ? { allowEvenReplicaCount: true, allowLargeControlPlane: true } : {}),
      ...opts.spec,
    }),
  );
}
