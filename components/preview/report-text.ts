import type { HaReport } from "./ha-report";

/** Lines of the report longer than this are wrapped (source lists). */
const WIDTH = 110;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** The HA report as a person reads it in a terminal or a pull request. */
export function formatHaReport(r: HaReport): string {
  const lines: string[] = [];
  const zones = Object.keys(r.replicasPerZone);
  lines.push(`HA report: stack ${r.stack} (${r.cloud}, ${r.region}, cluster ${r.clusterName}, Kubernetes ${r.kubernetesVersion})`);
  lines.push("");
  lines.push(`Replicas per zone: ${plural(r.replicas.length, "master")} in ${plural(zones.length, "zone")}`);
  lines.push(...machinesPerZone(r.replicas));
  lines.push("");
  lines.push(...etcdSection(r));
  lines.push("");
  lines.push(`Control plane: ${controlPlaneSentence(r)}`);
  lines.push("");
  const lb = r.loadBalancer;
  const hc = lb.healthCheck;
  lines.push(`Load balancer: ${lb.scheme}, TCP ${lb.port}${lb.dnsName ? `, DNS name ${lb.dnsName}` : ""}`);
  lines.push(
    `  health check: ${hc.protocol} ${hc.method} ${hc.path} on ${hc.port}, every ${hc.intervalSeconds} s, timeout ${hc.timeoutSeconds} s,` +
      ` healthy after ${hc.healthyThreshold} passes, unhealthy after ${hc.unhealthyThreshold} failures`,
  );
  if (r.controlPlane.masters > 1) {
    lines.push(`  failover budget: ${lb.failoverBudgetSeconds} s (${lb.failoverBudgetFormula}) from a dead apiserver to the LB routing around it`);
    lines.push(`  recovery: ${lb.recoverySeconds} s from a healed apiserver to the LB sending it traffic again`);
  } else {
    lines.push("  failover budget: moot with one master (no other backend to route to);");
    lines.push(`    the health check marks it down after ${lb.failoverBudgetSeconds} s (${lb.failoverBudgetFormula})`);
    lines.push(`  recovery: ${lb.recoverySeconds} s from a healed apiserver to the LB sending it traffic again`);
  }
  lines.push("");
  lines.push("Open ports (nothing else is open):");
  const portWidth = Math.max(...r.ports.map((p) => `${p.ports}/${p.protocol}`.length));
  const nameWidth = Math.max(...r.ports.map((p) => p.name.length));
  const indent = " ".repeat(2 + portWidth + 2 + nameWidth + 2);
  for (const p of r.ports) {
    const head = `  ${`${p.ports}/${p.protocol}`.padEnd(portWidth)}  ${p.name.padEnd(nameWidth)}  to ${p.to.join(", ")} from `;
    lines.push(...wrapList(head, p.from, p.sourcesNote ? `(${p.sourcesNote})` : undefined, `${indent}  `));
    lines.push(`${indent}(${p.why})`);
  }
  lines.push("");
  lines.push(r.warnings.length === 0 ? "Warnings: none" : "Warnings:");
  for (const w of r.warnings) lines.push(`  - ${w}`);
  return `${lines.join("\n")}\n`;
}

function machinesPerZone(machines: HaReport["replicas"]): string[] {
  const zones = [...new Set(machines.map((m) => m.zone))].sort();
  const width = Math.max(...zones.map((z) => z.length), 4);
  return zones.map(
    (zone) =>
      `  ${zone.padEnd(width)}  ${machines
        .filter((m) => m.zone === zone)
        .map((m) => `${m.name} (${m.address})`)
        .join(", ")}`,
  );
}

function etcdSection(r: HaReport): string[] {
  const e = r.etcd;
  const external = e.topology === "external";
  let where = r.replicas.length === 1 ? "on the master" : "one on every master";
  if (external) where = `on dedicated etcd VMs in ${plural(Object.keys(e.membersPerZone).length, "zone")}`;
  const lines = [`etcd: ${plural(e.members, "member")} (${where}), quorum ${e.quorum}`];
  // Stacked, a member goes with its master: the control-plane line says it all.
  if (external) lines.push(...machinesPerZone(e.nodes), `  etcd alone ${etcdTolerance(r)}`);
  lines.push(`  heartbeat ${e.heartbeatIntervalMs} ms, election timeout ${e.electionTimeoutMs} ms`);
  return lines;
}

function etcdTolerance(r: HaReport): string {
  const e = r.etcd;
  if (e.members === 1) return "stops taking writes with the loss of its only member";
  if (e.toleratedFailures === 0) return `stops taking writes with the loss of any member (quorum ${e.quorum} of ${e.members})`;
  const zones = e.toleratedZoneFailures === 0 ? "but not of a whole zone" : `and of ${plural(e.toleratedZoneFailures, "whole zone")}`;
  return `survives the loss of ${plural(e.toleratedFailures, "etcd member")} ${zones}`;
}

/** One sentence: which losses the control plane (etcd quorum and a master left) survives. */
export function controlPlaneSentence(r: HaReport): string {
  const cp = r.controlPlane;
  const stacked = r.etcd.topology === "stacked";
  if (cp.masters === 1) return "does not survive the loss of its only master";
  if (cp.toleratedFailures === 0) {
    if (r.etcd.members === 1) return "does not survive the loss of its only etcd member";
    return stacked
      ? `does not survive the loss of any master: each carries an etcd member and etcd needs ${r.etcd.quorum} of ${r.etcd.members}`
      : `does not survive the loss of any etcd member: etcd needs ${r.etcd.quorum} of ${r.etcd.members}`;
  }
  const what = stacked
    ? `${plural(cp.toleratedFailures, "master")} (with ${cp.toleratedFailures === 1 ? "its etcd member" : "their etcd members"})`
    : `any ${plural(cp.toleratedFailures, "machine")} (${cp.toleratedFailures === 1 ? "a master or an etcd member" : "masters or etcd members"})`;
  if (cp.toleratedZoneFailures > 0) {
    return `survives the loss of ${what} and of ${plural(cp.toleratedZoneFailures, "whole zone")}; writes stop beyond that`;
  }
  const costly = cp.criticalZones.map((z) => `losing ${z.zone} costs ${z.costs.join(" and ")}`).join("; ");
  return `survives the loss of ${what} but not of a whole zone: ${costly}`;
}

/**
 * `head` followed by the items, comma-separated, then the note (said once for
 * all of them); wrapped at WIDTH with continuation lines indented.
 */
function wrapList(head: string, items: readonly string[], note: string | undefined, indent: string): string[] {
  const words = [...items.map((item, i) => (i < items.length - 1 ? `${item},` : item)), ...(note ? [note] : [])];
  const lines: string[] = [];
  let line = head;
  if (words.length > 0 && `${head}${words[0]}`.length > WIDTH) {
    // Even the first source does not fit after the head: every line starts at the indent.
    lines.push(`${head.trimEnd()}:`);
    line = indent;
  }
  words.forEach((word, i) => {
    if (line !== indent && i > 0 && `${line} ${word}`.length > WIDTH) {
      lines.push(line);
      line = `${indent}${word}`;
    } else {
      line = i === 0 || line === indent ? `${line}${word}` : `${line} ${word}`;
    }
  });
  lines.push(line);
  return lines;
}
