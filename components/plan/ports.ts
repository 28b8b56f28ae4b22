import { PLATFORM_RULES } from "../platforms/rules";
import type { ClusterSpec } from "../spec/cluster-spec";
import type { OpenPort } from "./types";

/** The range GCP's Identity-Aware Proxy forwards TCP from (the GCP rules', re-exported for the library's users). */
export { GCP_IAP_TCP_FORWARDING_RANGE } from "../platforms/gcp/rules";

/**
 * Every port the control plane opens and who may reach it, cloud-neutral
 * except for the ports a platform's rules add (extraPorts).
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
  // What the platform's etcd member removal transport needs (GCP: ssh through
  // Identity-Aware Proxy; AWS: SSM Run Command opens no port).
  ports.push(...PLATFORM_RULES[spec.cloud].extraPorts(etcdTargets));
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
