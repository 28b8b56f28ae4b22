import type { OnpremConfig } from "./config";
import { APISERVER_PORT } from "./load-balancer-plan";

/**
 * Traffic between hosts that an on-premises control plane needs beyond the
 * cloud-neutral open ports (plan/ports.ts), for the HA report and for the
 * firewall the user runs: kube-ha manages no firewall on machines it does not
 * own. VRRP is IP protocol 112, which the cloud-neutral OpenPort (TCP only,
 * and the clouds' firewall rules built from it) cannot say.
 */
export interface HostTraffic {
  name: string;
  /** `vrrp` is IP protocol 112 (no ports). */
  protocol: "tcp" | "vrrp";
  ports?: [number, number];
  from: string;
  to: string;
  why: string;
}

export function onpremHostTraffic(config: OnpremConfig): HostTraffic[] {
  const masters = config.hosts.filter((h) => h.role === "master").map((h) => h.address);
  const out: HostTraffic[] = [
    {
      name: "ssh",
      protocol: "tcp",
      ports: [22, 22],
      from: config.sshFrom ?? "the machines running pulumi and the kube-ha CLI (set sshAllowedCidr to say which)",
      to: "every host",
      why: "provisioning, configuration updates and etcd member removal over ssh",
    },
  ];
  if (config.endpoint.mode === "keepalived-haproxy") {
    out.push({
      name: "vrrp",
      protocol: "vrrp",
      from: masters.join(", "),
      to: masters.join(", "),
      why: `keepalived's unicast advertisements between the masters (IP protocol 112, VRRP router id ${config.endpoint.virtualRouterId})`,
    });
  }
  if (config.endpoint.mode === "nginx-stream") {
    out.push({
      name: "apiserver-from-load-balancers",
      protocol: "tcp",
      ports: [APISERVER_PORT, APISERVER_PORT],
      from: config.endpoint.loadBalancers.map((lb) => lb.address).join(", "),
      to: masters.join(", "),
      why: "nginx stream proxying client connections to the apiservers",
    });
  }
  return out;
}
