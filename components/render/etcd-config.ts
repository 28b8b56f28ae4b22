import { stringify } from "yaml";
import type { ControlPlanePlan, EtcdMemberPlan } from "../plan/types";
import { ETCD_VERSION } from "../spec/versions";
import { PKI_FILES } from "../plan/pki-files";
import { PATHS } from "./paths";

/**
 * One etcd member's configuration file (etcd's `--config-file` YAML), as a
 * pure function of the plan and the member's name. The same renderer serves
 * stacked members (the masters) and dedicated etcd VMs (external topology).
 *
 * The rendered file holds everything but the initial cluster: which peers a
 * member starts with is decided at its first start by the membership script
 * (bootstrap: the founding members; join: what `member add` answered), which
 * writes `initial-cluster.yaml` and assembles `member.yaml` from both — etcd
 * ignores flags and environment when given a config file. So this file
 * depends on this member and cluster-wide settings only: adding or removing
 * a member never changes another member's file.
 */

/** Files of the etcd member on its machine. */
export const ETCD_FILES = {
  /** Rendered by kube-ha (this module). */
  config: `${PATHS.etcdConfigDir}/config.yaml`,
  /** Written by the membership script at the member's first start: initial-cluster and its state. */
  initialCluster: `${PATHS.etcdConfigDir}/initial-cluster.yaml`,
  /** What etcd reads: config.yaml followed by initial-cluster.yaml, assembled by the membership script. */
  memberConfig: `${PATHS.etcdConfigDir}/member.yaml`,
  /** This member's identity for the membership script (name and URLs; no secret). */
  memberEnv: `${PATHS.etcdConfigDir}/member.env`,
} as const;

/** TLS 1.2 suites etcd accepts under the same names in 3.4 and 3.5: ECDHE key exchange, AEAD ciphers only. */
export const TLS12_CIPHER_SUITES = [
  "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
  "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
  "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
] as const;

/** etcd writes a snapshot every this many applied entries (kubeadm's choice; etcd 3.4's default is 100000). */
export const ETCD_SNAPSHOT_COUNT = 10_000;

export interface EtcdVersion {
  major: number;
  minor: number;
  patch: number;
}

export function parseEtcdVersion(text: string): EtcdVersion {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`etcd version "${text}" is not MAJOR.MINOR.PATCH (e.g. ${ETCD_VERSION})`);
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

/** `tls-min-version` exists from etcd 3.5.8; older releases are TLS 1.2+ by default and only take cipher suites. */
export function supportsTlsMinVersion(v: EtcdVersion): boolean {
  if (v.major !== 3) return v.major > 3;
  return v.minor > 5 || (v.minor === 5 && v.patch >= 8);
}

export interface EtcdConfigOptions {
  /** The etcd release the member runs (default ETCD_VERSION); decides the TLS keys. */
  etcdVersion?: string;
  /** Also serve clients on https://127.0.0.1 (default true: the local apiserver uses it). */
  listenLocalhost?: boolean;
  /** Data directory (default PATHS.etcdDataDir, on the etcd disk). */
  dataDir?: string;
  /** kubeadm-layout PKI directory holding PKI_FILES (default PATHS.pkiDir). */
  pkiDir?: string;
}

/** The plan's etcd member of that name, or an error naming the members. */
export function etcdMemberOf(plan: ControlPlanePlan, memberName: string): EtcdMemberPlan {
  const member = plan.etcd.members.find((m) => m.name === memberName);
  if (!member) {
    const names = plan.etcd.members.map((m) => m.name).join(", ") || "none";
    throw new Error(`no etcd member named ${memberName} in the plan (members: ${names})`);
  }
  return member;
}

/** The configuration as the object etcd's YAML loader reads (keys are etcd's flag names). */
export function etcdConfigFor(plan: ControlPlanePlan, memberName: string, opts: EtcdConfigOptions = {}): Record<string, unknown> {
  const member = etcdMemberOf(plan, memberName);
  const etcd = plan.etcd;
  const version = parseEtcdVersion(opts.etcdVersion ?? ETCD_VERSION);
  const pki = opts.pkiDir ?? PATHS.pkiDir;
  const file = (rel: string) => `${pki}/${rel}`;
  const clientUrls = [member.clientUrl];
  if (opts.listenLocalhost ?? true) clientUrls.push(`https://127.0.0.1:${etcd.clientPort}`);

  const security = (cert: { cert: string; key: string }, ca: { cert: string }) => ({
    "cert-file": file(cert.cert),
    "key-file": file(cert.key),
    "trusted-ca-file": file(ca.cert),
    "client-cert-auth": true,
    "auto-tls": false,
  });

  return {
    name: member.name,
    "data-dir": opts.dataDir ?? PATHS.etcdDataDir,
    "listen-peer-urls": member.peerUrl,
    "initial-advertise-peer-urls": member.peerUrl,
    "listen-client-urls": clientUrls.join(","),
    "advertise-client-urls": member.clientUrl,
    "listen-metrics-urls": member.metricsUrl,
    "initial-cluster-token": plan.clusterName,
    "client-transport-security": security(PKI_FILES.etcdServer, PKI_FILES.etcdCa),
    // Peers trust only the etcd peer CA, so a client certificate of the etcd CA (the apiserver's) is refused on 2380.
    "peer-transport-security": security(PKI_FILES.etcdPeer, PKI_FILES.etcdPeerCa),
    "cipher-suites": [...TLS12_CIPHER_SUITES],
    ...(supportsTlsMinVersion(version) ? { "tls-min-version": "TLS1.2" } : {}),
    "heartbeat-interval": etcd.heartbeatIntervalMs,
    "election-timeout": etcd.electionTimeoutMs,
    "snapshot-count": ETCD_SNAPSHOT_COUNT,
    "quota-backend-bytes": etcd.quotaBackendBytes,
    "auto-compaction-mode": "periodic",
    "auto-compaction-retention": `${etcd.autoCompactionRetentionHours}h`,
    "strict-reconfig-check": true,
    "enable-v2": false,
    // The command line turns the HTTP/JSON gateway on by default, a config file does not: keep it
    // on (same mutual TLS as gRPC) so both ways of running etcd behave alike and curl can debug.
    "enable-grpc-gateway": true,
    "enable-pprof": false,
    "experimental-initial-corrupt-check": true,
    logger: "zap",
    "log-level": "info",
    "log-outputs": ["stderr"],
  };
}

/** The member's config.yaml (see ETCD_FILES), written with the `yaml` package. */
export function renderEtcdConfig(plan: ControlPlanePlan, memberName: string, opts: EtcdConfigOptions = {}): string {
  const header = `# etcd member ${memberName} of ${plan.clusterName}, rendered by kube-ha.\n# initial-cluster is added at first start by ${PATHS.membershipScript} (see ${ETCD_FILES.memberConfig}).\n`;
  return header + stringify(etcdConfigFor(plan, memberName, opts), { lineWidth: 0 });
}

/** Every member's client URL, in plan order (for clients that may use any member). */
export function etcdEndpointsFor(plan: ControlPlanePlan): string[] {
  return plan.etcd.members.map((m) => m.clientUrl);
}

/** The local member's client URL on a machine that runs one (served on 127.0.0.1 by every member). */
export function localEtcdEndpoint(plan: ControlPlanePlan): string {
  return `https://127.0.0.1:${plan.etcd.clientPort}`;
}

/**
 * What an apiserver on `masterName` uses as external etcd: its own member
 * when stacked (so a master's config never lists its peers), every etcd VM
 * when external.
 */
export function apiserverEtcdEndpointsFor(plan: ControlPlanePlan, masterName: string): string[] {
  if (!plan.masters.some((m) => m.name === masterName)) throw new Error(`no master named ${masterName} in the plan`);
  return plan.etcd.topology === "stacked" ? [localEtcdEndpoint(plan)] : etcdEndpointsFor(plan);
}

/** The files an apiserver presents to etcd (kubeadm's external etcd `caFile`/`certFile`/`keyFile`). */
export function apiserverEtcdClientFiles(pkiDir: string = PATHS.pkiDir): { caFile: string; certFile: string; keyFile: string } {
  return {
    caFile: `${pkiDir}/${PKI_FILES.etcdCa.cert}`,
    certFile: `${pkiDir}/${PKI_FILES.apiserverEtcdClient.cert}`,
    keyFile: `${pkiDir}/${PKI_FILES.apiserverEtcdClient.key}`,
  };
}
