import type { HaReport } from "./ha-report";

/** The HA report as a person reads it in a terminal or a pull request. */
export function formatHaReport(r: HaReport): string {
  const lines: string[] = [];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  const zones = Object.keys(r.replicasPerZone);
  lines.push(`HA report: stack ${r.stack} (${r.cloud}, ${r.region}, cluster ${r.clusterName}, Kubernetes ${r.kubernetesVersion})`);
  lines.push("");
  lines.push(`Replicas per zone: ${plural(r.replicas.length, "master")} in ${plural(zones.length, "zone")}`);
  const width = Math.max(...zones.map((z) => z.length), 4);
  for (const zone of zones) {
    const masters = r.replicas.filter((m) => m.zone === zone).map((m) => `${m.name} (${m.address})`);
    lines.push(`  ${zone.padEnd(width)}  ${masters.join(", ")}`);
  }
  lines.push("");
  const where = r.etcd.topology === "stacked" ? "one on every master" : "on dedicated etcd VMs";
  lines.push(`etcd: ${plural(r.etcd.members, "member")} (${where}), quorum ${r.etcd.quorum}`);
  lines.push(
    `  survives the loss of ${plural(r.etcd.toleratedFailures, "replica")}` +
      ` and of ${plural(r.etcd.toleratedZoneFailures, "whole zone")}; writes stop beyond that`,
  );
  lines.push(`  heartbeat ${r.etcd.heartbeatIntervalMs} ms, election timeout ${r.etcd.electionTimeoutMs} ms`);
  lines.push("");
  const lb = r.loadBalancer;
  const hc = lb.healthCheck;
  lines.push(`Load balancer: ${lb.scheme}, TCP ${lb.port}${lb.dnsName ? `, DNS name ${lb.dnsName}` : ""}`);
  lines.push(
    `  health check: ${hc.protocol} ${hc.method} ${hc.path} on ${hc.port}, every ${hc.intervalSeconds} s, timeout ${hc.timeoutSeconds} s,` +
      ` healthy after ${hc.healthyThreshold} passes, unhealthy after ${hc.unhealthyThreshold} failures`,
  );
  lines.push(`  failover budget: ${lb.failoverBudgetSeconds} s (${lb.failoverBudgetFormula}) from a dead apiserver to the LB routing around it`);
  lines.push(`  recovery: ${lb.recoverySeconds} s from a healed apiserver to the LB sending it traffic again`);
  lines.push("");
  lines.push("Open ports (nothing else is open):");
  const portWidth = Math.max(...r.ports.map((p) => `${p.ports}/${p.protocol}`.length));
  const nameWidth = Math.max(...r.ports.map((p) => p.name.length));
  for (const p of r.ports) {
    lines.push(
      `  ${`${p.ports}/${p.protocol}`.padEnd(portWidth)}  ${p.name.padEnd(nameWidth)}  to ${p.to.join(", ")} from ${p.from.join(", ")}`,
    );
    lines.push(`  ${"".padEnd(portWidth)}  ${"".padEnd(nameWidth)}  (${p.why})`);
  }
  lines.push("");
  lines.push(r.warnings.length === 0 ? "Warnings: none" : "Warnings:");
  for (const w of r.warnings) lines.push(`  - ${w}`);
  return `${lines.join("\n")}\n`;
}
