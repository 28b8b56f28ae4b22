import type { HaReport } from "./ha-report";

/**
 * The HA report as a Graphviz graph (DOT text): one cluster per zone with its
 * masters, the load balancer, who reaches it, the health checkers, etcd
 * peering between members, and the firewall rules. Layout is Graphviz's job;
 * this only states what is connected to what. Pure.
 */

/** A DOT double-quoted string: backslashes, quotes and line breaks escaped. */
export function dotString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

/** A left-justified multi-line DOT label. */
function leftLabel(lines: string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join("\\l")}\\l"`;
}

/**
 * The left-aligned text boxes (clients, health checks, firewall rules, warnings) are set in a monospace font: Graphviz
 * sizes a box from its own table of the font's widths, and a proportional
 * font drawn by a viewer without Helvetica (DejaVu Sans, about a tenth wider)
 * ran past its box. Every monospace font is as wide as Courier's table says.
 */
const NOTE_FONT = dotString("Courier");

/** Widest line of a note, in characters: longer text wraps at spaces (continuation lines indented). */
export const NOTE_WIDTH = 90;

/** One line of text → lines of at most `width` characters, broken at spaces; the first keeps its prefix. */
export function wrapLine(text: string, width = NOTE_WIDTH, indent = "  "): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    const next = line === "" ? word : `${line} ${word}`;
    if (next.length > width && line.trim() !== "") {
      out.push(line);
      line = `${indent}${word}`;
    } else {
      line = next;
    }
  }
  if (line !== "") out.push(line);
  return out;
}

function id(kind: string, name: string): string {
  return dotString(`${kind}:${name}`);
}

export function haReportDot(r: HaReport): string {
  const out: string[] = [];
  const lb = r.loadBalancer;
  const hc = lb.healthCheck;
  out.push(`digraph ${dotString(`kube-ha ${r.stack}`)} {`);
  out.push("  graph [rankdir=TB, fontname=\"Helvetica\", fontsize=12, labelloc=t, compound=true, pad=0.4,");
  out.push(
    `    label=${dotString(
      `kube-ha ${r.stack}: ${r.cloud} ${r.region}, ${r.replicas.length} masters, etcd quorum ${r.etcd.quorum}, survives ${r.controlPlane.toleratedFailures} loss${r.controlPlane.toleratedFailures === 1 ? "" : "es"}, failover budget ${lb.failoverBudgetSeconds} s`,
    )}];`,
  );
  out.push('  node [fontname="Helvetica", fontsize=11];');
  out.push('  edge [fontname="Helvetica", fontsize=10];');

  const clients = r.ports.find((p) => p.name === "apiserver");
  out.push(
    `  ${id("clients", "api")} [shape=box, style=rounded, fontname=${NOTE_FONT}, label=${leftLabel(["API clients", ...(clients?.from ?? []), ...(clients?.sourcesNote ? [clients.sourcesNote] : [])])}];`,
  );
  out.push(
    `  ${id("lb", "api")} [shape=hexagon, style=filled, fillcolor="#dbeafe", label=${dotString(
      `${lb.scheme} load balancer\nTCP ${lb.port}${lb.dnsName ? `\n${lb.dnsName}` : ""}`,
    )}];`,
  );
  const checkers = r.ports.find((p) => p.name === "apiserver-health");
  out.push(
    `  ${id("checkers", "health")} [shape=box, style="rounded,dashed", fontname=${NOTE_FONT}, label=${leftLabel([
      "health checks",
      `${hc.protocol} ${hc.method} ${hc.path} :${hc.port}`,
      `every ${hc.intervalSeconds} s, timeout ${hc.timeoutSeconds} s`,
      `up after ${hc.healthyThreshold}, down after ${hc.unhealthyThreshold}`,
      ...(checkers?.from ?? []),
    ])}];`,
  );
  out.push(`  ${id("clients", "api")} -> ${id("lb", "api")} [label=${dotString(`${lb.port}/tcp`)}];`);

  const zones = Object.keys(r.replicasPerZone);
  zones.forEach((zone, i) => {
    out.push(`  subgraph ${dotString(`cluster_zone_${i}`)} {`);
    out.push(`    label=${dotString(`zone ${zone}`)}; style="rounded,filled"; fillcolor="#f8fafc"; color="#94a3b8";`);
    for (const m of r.replicas.filter((x) => x.zone === zone)) {
      const etcd = r.etcd.topology === "stacked" ? "\napiserver + etcd member" : "\napiserver";
      out.push(`    ${id("master", m.name)} [shape=box3d, label=${dotString(`${m.name}\n${m.address}${etcd}`)}];`);
    }
    if (r.etcd.topology === "external") {
      for (const name of r.etcd.membersPerZone[zone] ?? []) {
        out.push(`    ${id("etcd", name)} [shape=cylinder, label=${dotString(`${name}\netcd member`)}];`);
      }
    }
    out.push("  }");
  });
  // External etcd members in zones without masters.
  for (const [zone, names] of Object.entries(r.etcd.membersPerZone)) {
    if (r.etcd.topology !== "external" || zones.includes(zone)) continue;
    out.push(`  subgraph ${dotString(`cluster_etcd_${zone}`)} {`);
    out.push(`    label=${dotString(`zone ${zone}`)}; style=rounded;`);
    for (const name of names) out.push(`    ${id("etcd", name)} [shape=cylinder, label=${dotString(`${name}\netcd member`)}];`);
    out.push("  }");
  }

  for (const m of r.replicas) {
    out.push(`  ${id("lb", "api")} -> ${id("master", m.name)} [label=${dotString(`${lb.port}`)}];`);
    out.push(`  ${id("checkers", "health")} -> ${id("master", m.name)} [style=dashed, label=${dotString(hc.path)}];`);
  }
  const etcdNodes =
    r.etcd.topology === "stacked" ? r.replicas.map((m) => id("master", m.name)) : Object.values(r.etcd.membersPerZone).flat().map((n) => id("etcd", n));
  for (let a = 0; a < etcdNodes.length; a++) {
    for (let b = a + 1; b < etcdNodes.length; b++) {
      out.push(`  ${etcdNodes[a]} -> ${etcdNodes[b]} [dir=both, color="#16a34a", constraint=false, label="2379-2380"];`);
    }
  }
  if (r.etcd.topology === "external") {
    for (const m of r.replicas) {
      const first = etcdNodes[0];
      if (first) out.push(`  ${id("master", m.name)} -> ${first} [color="#16a34a", style=dotted, label="etcd client"];`);
    }
  }

  // One source per line: a long list on one line runs off the note.
  const rules = r.ports.flatMap((p) => [`${p.ports}/${p.protocol} ${p.name} from:`, ...p.from.map((f) => `    ${f}`), ...(p.sourcesNote ? [`    ${p.sourcesNote}`] : [])]);
  out.push(`  ${id("rules", "firewall")} [shape=note, fontname=${NOTE_FONT}, label=${leftLabel(["firewall rules (nothing else open)", ...rules])}];`);
  if (r.warnings.length > 0) {
    out.push(`  ${id("warnings", "plan")} [shape=note, fontname=${NOTE_FONT}, color="#b45309", label=${leftLabel(["warnings", ...r.warnings.flatMap((w) => wrapLine(`- ${w}`))])}];`);
  }
  out.push("}");
  return `${out.join("\n")}\n`;
}
