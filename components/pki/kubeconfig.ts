import { stringify } from "yaml";

/** What a client-certificate kubeconfig needs. PEM text, not paths: the result is self-contained. */
export interface KubeconfigInput {
  /** e.g. https://203.0.113.10:6443 (see apiServerUrl). */
  server: string;
  caCertPem: string;
  clientCertPem: string;
  clientKeyPem: string;
  clusterName: string;
  /** Default "kubernetes-admin" (kubeadm's admin user). */
  userName?: string;
}

/** `https://host:port`, bracketing IPv6 literals. */
export function apiServerUrl(host: string, port = 6443): string {
  return `https://${host.includes(":") ? `[${host}]` : host}:${port}`;
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

/** A kubeconfig (YAML) with one cluster, one client-certificate user and one current context. */
export function renderKubeconfig(input: KubeconfigInput): string {
  const user = input.userName ?? "kubernetes-admin";
  const context = `${user}@${input.clusterName}`;
  return stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: input.clusterName,
        cluster: { server: input.server, "certificate-authority-data": b64(input.caCertPem) },
      },
    ],
    users: [
      {
        name: user,
        user: { "client-certificate-data": b64(input.clientCertPem), "client-key-data": b64(input.clientKeyPem) },
      },
    ],
    contexts: [{ name: context, context: { cluster: input.clusterName, user } }],
    "current-context": context,
    preferences: {},
  });
}
