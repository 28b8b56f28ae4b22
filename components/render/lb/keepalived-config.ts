/**
 * keepalived.conf for one master in `keepalived-haproxy` mode: one VRRP v2
 * instance that holds the cluster VIP on the master best able to serve it.
 *
 * - The check (keepalived-check.sh, `vrrp_script`) asks this master's HAProxy
 *   monitor every second and fails when HAProxy is down or no apiserver is
 *   healthy behind it; `fall`/`rise` from plan/vip-failover.ts (seed 004
 *   checked only for an haproxy process, every 3 s, `fall 10`).
 * - Priorities are distinct and the failing check's weight is larger than
 *   their spread (plan/vrrp-priorities.ts), so a failing holder always drops
 *   below every healthy master and, preemption being on, one of them takes
 *   the VIP. Every master starts as BACKUP: the priorities decide, not the
 *   start order. The price of preemption: when the best master recovers it
 *   takes the VIP back, one more short move.
 * - Unicast advertisements to the other masters (no multicast needed).
 * - `auth_type PASS`: a shared password sent in clear in every advertisement.
 *   It keeps two clusters that picked the same router id from fighting over
 *   each other's VIP; it does not stop an attacker on the segment (nothing in
 *   VRRP v2 does).
 * - The notify hook logs every transition.
 * The file holds the VRRP password: install it root-only (0600).
 */
import { parseCidr, containsIp, parseIpv4 } from "../../spec/cidr";
import {
  LbInputError,
  checkHttpUrl,
  checkIntRange,
  checkInterface,
  checkIpv4,
  checkName,
  checkPath,
  checkVrrpPassword,
  checkVrrpTimings,
} from "./lb-input-checks";
import type { VrrpInstanceInput } from "./types";

const CHECK_NAME = "kube_ha_endpoint";

function checkInput(input: VrrpInstanceInput): void {
  checkName("instanceName", input.instanceName);
  checkName("routerId", input.routerId);
  checkInterface("interface", input.interface);
  checkIpv4("vip", input.vip);
  checkIntRange("prefix", input.prefix, 1, 32);
  checkIntRange("virtualRouterId", input.virtualRouterId, 1, 255);
  checkIpv4("sourceAddress", input.sourceAddress);
  if (!Array.isArray(input.peers)) throw new LbInputError("peers: wants a list of the other masters' addresses");
  input.peers.forEach((p, i) => checkIpv4(`peers[${i}]`, p));
  checkVrrpPassword("authPassword", input.authPassword);
  checkIntRange("priority", input.priority, 1, 254);
  checkIntRange("checkWeight", input.checkWeight, -253, 253);
  checkVrrpTimings("timings", input.timings);
  checkPath("checkScript", input.checkScript);
  checkHttpUrl("checkUrl", input.checkUrl);
  checkPath("notifyScript", input.notifyScript);
  checkPath("notifyLog", input.notifyLog);
  if (input.scriptUser !== undefined) checkName("scriptUser", input.scriptUser, 32);

  const subnet = parseCidr(`${input.vip}/${input.prefix}`)!;
  if (!containsIp(subnet, parseIpv4(input.sourceAddress)!)) {
    throw new LbInputError(`vip: ${input.vip}/${input.prefix} is not in the subnet of this master's address ${input.sourceAddress}: the VIP must be on the hosts' subnet`);
  }
  const all = [input.sourceAddress, ...input.peers];
  if (new Set(all).size !== all.length) throw new LbInputError(`peers: ${all.join(", ")} repeat an address (the peers are the other masters, each once)`);
  if (all.includes(input.vip)) throw new LbInputError(`vip: ${input.vip} is a master's own address; the VIP must be an unused address`);
  if (input.checkWeight >= 0) throw new LbInputError(`checkWeight: got ${input.checkWeight}, wants a negative weight (plan/vrrp-priorities.ts)`);
}

export function renderKeepalivedConfig(input: VrrpInstanceInput): string {
  checkInput(input);
  const t = input.timings;
  // curl must give up before keepalived kills the script.
  const curlSeconds = (t.checkTimeoutSeconds * 0.8).toFixed(1);
  return [
    `# keepalived.conf for kube-ha master ${input.routerId} (rendered by kube-ha; edits are overwritten)`,
    "global_defs {",
    `  router_id ${input.routerId}`,
    `  script_user ${input.scriptUser ?? "root"}`,
    "  enable_script_security",
    "}",
    "",
    `vrrp_script ${CHECK_NAME} {`,
    `  script "${input.checkScript} ${input.checkUrl} ${curlSeconds}"`,
    `  interval ${t.checkIntervalSeconds}`,
    `  timeout ${t.checkTimeoutSeconds}`,
    `  fall ${t.fall}`,
    `  rise ${t.rise}`,
    `  weight ${input.checkWeight}`,
    "}",
    "",
    `vrrp_instance ${input.instanceName} {`,
    "  state BACKUP",
    `  interface ${input.interface}`,
    `  virtual_router_id ${input.virtualRouterId}`,
    `  priority ${input.priority}`,
    `  advert_int ${t.advertIntervalSeconds}`,
    // The second round of gratuitous ARPs 1 s after taking the VIP, not keepalived's default 5 s:
    // a neighbour that ignored the first round (Linux ignores an ARP update within its 1 s
    // locktime) learns the new holder 4 s sooner.
    "  garp_master_delay 1",
    `  unicast_src_ip ${input.sourceAddress}`,
    "  unicast_peer {",
    ...input.peers.map((p) => `    ${p}`),
    "  }",
    "  authentication {",
    "    auth_type PASS",
    `    auth_pass ${input.authPassword}`,
    "  }",
    "  virtual_ipaddress {",
    `    ${input.vip}/${input.prefix} dev ${input.interface}`,
    "  }",
    "  track_script {",
    `    ${CHECK_NAME}`,
    "  }",
    `  notify "${input.notifyScript} ${input.notifyLog}"`,
    "}",
    "",
  ].join("\n");
}
