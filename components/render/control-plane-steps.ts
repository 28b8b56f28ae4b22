import { filledShellFile } from "../shell/shell-file";
import { CRI_SOCKET } from "./kubeadm-config";
import { PATHS } from "./paths";

/**
 * Bash that makes this master a Kubernetes control-plane node with kubeadm,
 * once (CONTROL_PLANE_DONE marks a finished init or join):
 *
 * - a peer master's apiserver answers /readyz → `kubeadm join --control-plane`
 *   with credentials minted here from the shared CA: a one-hour
 *   cluster-admin client kubeconfig (`kubeadm kubeconfig user`, group
 *   kubeadm:cluster-admins) creates a one-hour bootstrap token, which goes
 *   into the file-discovery kubeconfig on tmpfs; both are deleted after the
 *   join, and the token too. Nothing expires in between, so an add-replica
 *   weeks after the cluster was made joins like the first replicas did.
 * - this replica may found the control plane (`may_init`, below) →
 *   `kubeadm init`;
 * - otherwise wait (bounded), then fail: kube-ha-boot.service runs the boot
 *   again (Restart=on-failure), so a slow founder is simply waited for.
 *
 * A failed attempt is cleaned up before the next one (`clean_partial_attempt`).
 *
 * Reaching the cluster from a master. Cloud LBs hand a backend's own
 * connection to the LB address back to that backend, or drop it: on GCP the
 * guest agent installs every forwarded-rule IP as a local route on each
 * backend (GoogleCloudPlatform/guest-agent#555), so a packet to the LB
 * address gets the LB address as its *source*; on AWS an NLB drops hairpins.
 * So:
 * - what the joiner runs itself (token creation with its minted kubeconfig,
 *   file discovery) talks to the ready peer directly, https://PEER:6443 —
 *   the peer's serving certificate names its own address
 *   (components/plan/cert-specs.ts);
 * - what kubeadm and the kubelet take from the cluster (cluster-info's
 *   controlPlaneEndpoint, the LB) is detoured while kubeadm runs: connections
 *   to the endpoint's addresses on 6443 are DNAT-ed to the ready peer (join)
 *   or to this master (init), and SNAT-ed to this replica's own address, so
 *   the peer's reply comes back here instead of to its own copy of the LB
 *   address. The detour is removed afterwards.
 * kubeadm's output, which can hold a token, goes to a root-only log file.
 *
 * After kubeadm, the kubelet is pointed at the local apiserver (lesson of
 * kubeadm #2271; ControlPlaneKubeletLocalMode does this on join).
 */

export interface ControlPlaneStepsOptions {
  /** Whether this master runs an etcd member (stacked topology). */
  etcdOnMaster: boolean;
}

/** Written once this master finished `kubeadm init` or `kubeadm join`. */
export const CONTROL_PLANE_DONE = `${PATHS.stateDir}/control-plane-done`;

/**
 * The etcd range request (gRPC gateway JSON: base64 keys) counting the keys
 * under /registry/, where the apiserver keeps every object.
 */
export const ETCD_REGISTRY_RANGE = JSON.stringify({
  key: Buffer.from("/registry/").toString("base64"),
  range_end: Buffer.from("/registry0").toString("base64"),
  count_only: true,
});

export function controlPlaneConstants(opts: ControlPlaneStepsOptions, externalEtcdUrls: string[]): Record<string, string> {
  return {
    CONTROL_PLANE_DONE,
    CRI_SOCKET,
    ...(opts.etcdOnMaster ? {} : { ETCD_CLIENT_URLS: externalEtcdUrls.join(","), ETCD_REGISTRY_RANGE }),
  };
}

/**
 * The functions, from control-plane-steps.ts's shell files: the common steps
 * (control-plane-steps.sh), `may_init` for this topology, `control_plane_node`.
 */
export function controlPlaneFunctions(opts: ControlPlaneStepsOptions): string {
  return [
    "render/control-plane-steps.sh",
    opts.etcdOnMaster ? "render/may-init-stacked.sh" : "render/may-init-external.sh",
    "render/control-plane-node.sh",
  ]
    .map((path) => filledShellFile(path))
    .join("\n");
}
