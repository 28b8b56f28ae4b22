import { apiserverEtcdClientFiles, apiserverEtcdEndpointsFor } from "./etcd-config";
import { stringify } from "yaml";
import { hostSans } from "../plan/cert-specs";
import type { ControlPlanePlan, ReplicaPlan } from "../plan/types";
import { PKI_FILES } from "../plan/pki-files";
import { PATHS } from "./paths";

/**
 * kubeadm configuration (kubeadm.k8s.io/v1beta4) for one master, written
 * with the `yaml` package. It depends only on this master, the load
 * balancer endpoint and cluster-wide settings — never on the other masters:
 *
 * - certSANs: the LB address and DNS name only (cluster-wide; see below);
 * - stacked etcd: the apiserver talks to its own local member on
 *   127.0.0.1, so no other replica is listed;
 * - external etcd: the dedicated etcd VMs' client URLs (cluster-wide, not
 *   the masters).
 *
 * The join document uses file discovery: the boot script mints a bootstrap
 * token from the shared CA at join time and writes it, with the CA, into a
 * discovery kubeconfig at KUBEADM_FILES.discoveryKubeconfig. No token or
 * key is ever part of the rendered YAML.
 */

export const KUBEADM_API_VERSION = "kubeadm.k8s.io/v1beta4";

/** Where the boot script writes the documents and the join-time discovery kubeconfig. */
export const KUBEADM_FILES = {
  /** InitConfiguration + ClusterConfiguration (also what `kubeadm kubeconfig user` reads). */
  init: PATHS.kubeadmConfig,
  join: "/etc/kube-ha/kubeadm-join.yaml",
  /** Written at join time on tmpfs (carries a short-lived bootstrap token), removed after the join. */
  discoveryKubeconfig: "/run/kube-ha/discovery.conf",
} as const;

export const CRI_SOCKET = "unix:///run/containerd/containerd.sock";
export const API_SERVER_PORT = 6443;

/** The minor from which ControlPlaneKubeletLocalMode is on by default (beta in 1.33). */
export const KUBELET_LOCAL_MODE_DEFAULT_FROM_MINOR = 33;

export interface KubeadmDocuments {
  /** `kubeadm init --config`: InitConfiguration and ClusterConfiguration. */
  init: string;
  /** `kubeadm join --config`: JoinConfiguration (control plane). */
  join: string;
}

type ExtraArg = { name: string; value: string };

/** `host:6443` for controlPlaneEndpoint: the LB DNS name when set, else the LB address. */
export function controlPlaneEndpoint(plan: ControlPlanePlan, lbAddress: string): string {
  const host = plan.loadBalancer.dnsName ?? lbAddress;
  return `${host}:${API_SERVER_PORT}`;
}

export function renderKubeadmConfig(plan: ControlPlanePlan, replicaName: string, lbAddress: string): KubeadmDocuments {
  const replica = findMaster(plan, replicaName);
  const init = [initConfiguration(replica), clusterConfiguration(plan, replica, lbAddress)];
  return {
    init: init.map((doc) => stringify(doc, { lineWidth: 0 })).join("---\n"),
    join: stringify(joinConfiguration(replica), { lineWidth: 0 }),
  };
}

function nodeRegistration(replica: ReplicaPlan) {
  return {
    name: replica.name,
    criSocket: CRI_SOCKET,
    kubeletExtraArgs: [{ name: "node-ip", value: replica.address }] satisfies ExtraArg[],
  };
}

function localApiEndpoint(replica: ReplicaPlan) {
  return { advertiseAddress: replica.address, bindPort: API_SERVER_PORT };
}

export function initConfiguration(replica: ReplicaPlan) {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "InitConfiguration",
    nodeRegistration: nodeRegistration(replica),
    localAPIEndpoint: localApiEndpoint(replica),
  };
}

export function joinConfiguration(replica: ReplicaPlan) {
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "JoinConfiguration",
    nodeRegistration: nodeRegistration(replica),
    caCertPath: `${PATHS.pkiDir}/${PKI_FILES.ca.cert}`,
    discovery: { file: { kubeConfigPath: KUBEADM_FILES.discoveryKubeconfig } },
    controlPlane: { localAPIEndpoint: localApiEndpoint(replica) },
  };
}

export function clusterConfiguration(plan: ControlPlanePlan, replica: ReplicaPlan, lbAddress: string) {
  // certSANs are cluster-wide: kubeadm stores this ClusterConfiguration in the cluster
  // (kubeadm-config) and checks every joining node's apiserver.crt against it, so a
  // replica's own address or name here would fail every other replica's join. kubeadm
  // adds each node's own name and advertise address itself; ClusterPki issues them.
  const sans = hostSans([lbAddress, plan.loadBalancer.dnsName]);
  // Lesson 1 of the seeds: every replica runs these two with leader election, explicitly.
  const leaderElect = (): ExtraArg[] => [{ name: "leader-elect", value: "true" }];
  const featureGates: Record<string, boolean> =
    plan.kubernetes.minor < KUBELET_LOCAL_MODE_DEFAULT_FROM_MINOR ? { ControlPlaneKubeletLocalMode: true } : {};
  return {
    apiVersion: KUBEADM_API_VERSION,
    kind: "ClusterConfiguration",
    clusterName: plan.clusterName,
    kubernetesVersion: `v${plan.kubernetes.version}`,
    controlPlaneEndpoint: controlPlaneEndpoint(plan, lbAddress),
    certificatesDir: PATHS.pkiDir,
    networking: {
      podSubnet: plan.kubernetes.podCidr,
      serviceSubnet: plan.kubernetes.serviceCidr,
      dnsDomain: plan.kubernetes.clusterDomain,
    },
    etcd: {
      external: {
        endpoints: apiserverEtcdEndpointsFor(plan, replica.name),
        ...apiserverEtcdClientFiles(),
      },
    },
    apiServer: {
      certSANs: [...sans.ipAddresses, ...sans.dnsNames],
    },
    controllerManager: { extraArgs: leaderElect() },
    scheduler: { extraArgs: leaderElect() },
    ...(Object.keys(featureGates).length > 0 ? { featureGates } : {}),
  };
}

function findMaster(plan: ControlPlanePlan, name: string): ReplicaPlan {
  const m = plan.masters.find((r) => r.name === name);
  if (!m) throw new Error(`no master named ${name} in the plan (masters: ${plan.masters.map((r) => r.name).join(", ")})`);
  return m;
}
