/**
 * The kubeconfig a worker's kubelet or kube-proxy uses to reach the
 * apiservers through the worker's local load balancer (local-lb-config.ts):
 * `server: https://127.0.0.1:<port>`. Every apiserver's serving certificate
 * names 127.0.0.1 (plan/cert-specs.ts), so the connection verifies against
 * the cluster CA whichever master the load balancer picked. Credentials are
 * files on the worker (the kubelet's rotated client cert, kube-proxy's
 * service-account token), named by path, never embedded.
 */
import { stringify } from "yaml";
import { LbInputError, checkBind, checkName, checkPath } from "./lb-input-checks";
import type { LbBind } from "./types";

export type LocalLbCredentials =
  | { kind: "client-certificate"; certFile: string; keyFile: string }
  | { kind: "token-file"; tokenFile: string };

export interface LocalLbKubeconfigInput {
  /** Where the local load balancer listens (127.0.0.1:6443 by default in the planner). */
  listen: LbBind;
  /** The cluster CA certificate file on the worker. */
  caFile: string;
  clusterName: string;
  /** e.g. `system:node:<name>` for the kubelet, `kube-proxy`. */
  userName: string;
  credentials: LocalLbCredentials;
}

/** The `server:` URL of the local load balancer. */
export function localLbServer(listen: LbBind): string {
  checkBind("listen", listen);
  if (!listen.address.startsWith("127.")) {
    throw new LbInputError(`listen.address: got ${JSON.stringify(listen.address)}, wants a loopback address (127.x)`);
  }
  return `https://${listen.address}:${listen.port}`;
}

export function renderLocalLbKubeconfig(input: LocalLbKubeconfigInput): string {
  const server = localLbServer(input.listen);
  checkPath("caFile", input.caFile);
  checkName("clusterName", input.clusterName);
  if (typeof input.userName !== "string" || !/^[A-Za-z0-9:._-]{1,253}$/.test(input.userName)) {
    throw new LbInputError(`userName: got ${JSON.stringify(input.userName)}, wants a Kubernetes user name such as system:node:worker-1`);
  }
  const c = input.credentials;
  let user: Record<string, string>;
  if (c?.kind === "client-certificate") {
    user = { "client-certificate": checkPath("credentials.certFile", c.certFile), "client-key": checkPath("credentials.keyFile", c.keyFile) };
  } else if (c?.kind === "token-file") {
    user = { tokenFile: checkPath("credentials.tokenFile", c.tokenFile) };
  } else {
    throw new LbInputError(`credentials.kind: got ${JSON.stringify((c as { kind?: unknown })?.kind)}, wants "client-certificate" or "token-file"`);
  }
  const context = `${input.userName}@${input.clusterName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: input.clusterName, cluster: { server, "certificate-authority": input.caFile } }],
    users: [{ name: input.userName, user }],
    contexts: [{ name: context, context: { cluster: input.clusterName, user: input.userName } }],
    "current-context": context,
  });
}
