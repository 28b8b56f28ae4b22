import type { ClusterSpec } from "../spec/cluster-spec";
import type { OpenPort } from "./types";

/**
 * The range Google's Identity-Aware Proxy connects from when it forwards TCP
 * (`gcloud compute ssh --tunnel-through-iap`).
 */
export const GCP_IAP_TCP_FORWARDING_RANGE = "35.235.240.0/20";

/**
 * Every port the control plane opens and who may reach it, cloud-neutral.
 * The GCP firewall rules and the AWS security groups are both made from
 * this list, and the HA report prints it. Nothing else is open.
 */
export function openPorts(spec: ClusterSpec): OpenPort[] {
  const etcdTargets: OpenPort["to"] = spec.etcd.topology === "stacked" ? ["master"] : ["etcd"];
  const ports: OpenPort[] = [
    {
      name: "apiserver",
      protocol: "tcp",
      ports: [6443, 6443],
      to: ["master"],
      from: { kind: "cidrs", cidrs: spec.apiServerAllowedCidrs, why: "kubectl, CI and workers through the load balancer" },
    },
    {
      name: "apiserver-health",
      protocol: "tcp",
      ports: [6443, 6443],
      to: ["master"],
      from: { kind: "health-checkers", why: "load-balancer health checks (HTTPS GET /readyz)" },
    },
    {
      name: "apiserver-masters",
      protocol: "tcp",
      ports: [6443, 6443],
      to: ["master"],
      from: { kind: "masters", why: "control-plane joins and components reaching peer apiservers" },
    },
    {
      name: "etcd",
      protocol: "tcp",
      ports: [2379, 2380],
      to: etcdTargets,
      from: { kind: "masters", why: "etcd clients (apiservers) and peers, mutual TLS" },
    },
    {
      name: "kubelet",
      protocol: "tcp",
      ports: [10250, 10250],
      to: ["master"],
      from: { kind: "masters", why: "apiserver → kubelet (logs, exec, metrics)" },
    },
  ];
  if (spec.cloud === "gcp") {
    // The etcd member removal command reaches a surviving member with
    // `gcloud compute ssh --tunnel-through-iap` (components/membership): IAP
    // connects from its own range, after checking the caller's IAM
    // (roles/iap.tunnelResourceAccessor) and OS Login (roles/compute.osAdminLogin).
    // On AWS the removal goes through SSM Run Command, which opens no port.
    ports.push({
      name: "ssh-from-iap",
      protocol: "tcp",
      ports: [22, 22],
      to: etcdTargets,
      from: {
        kind: "cidrs",
        cidrs: [GCP_IAP_TCP_FORWARDING_RANGE],
        why: "Identity-Aware Proxy TCP forwarding only: etcd member removal by gcloud compute ssh --tunnel-through-iap (IAM and OS Login checked)",
      },
    });
  }
  if (spec.sshAllowedCidr) {
    ports.push({
      name: "ssh",
      protocol: "tcp",
      ports: [22, 22],
      to: spec.etcd.topology === "stacked" ? ["master"] : ["master", "etcd"],
      from: { kind: "cidrs", cidrs: [spec.sshAllowedCidr], why: "operator ssh" },
    });
  }
  return ports;
}
