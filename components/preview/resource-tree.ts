import type { RecordedResource } from "./recorder";

/**
 * The recorded registrations as a tree, children indented under their
 * parent, in registration order. A child whose parent was never recorded is
 * shown at the top level.
 */
export function formatResourceTree(resources: readonly RecordedResource[]): string {
  const byUrn = new Set(resources.map((r) => r.urn));
  const children = new Map<string | undefined, RecordedResource[]>();
  for (const r of resources) {
    const parent = r.parentUrn && byUrn.has(r.parentUrn) ? r.parentUrn : undefined;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      if (seen.has(r.urn)) {
        // The mock runtime does not reject duplicate URNs: show them, flagged, once each.
        lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}  (duplicate URN!)`);
        continue;
      }
      seen.add(r.urn);
      lines.push(`${"  ".repeat(depth)}${r.type}  ${r.name}`);
      if (depth < 32) walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  const custom = resources.filter((r) => r.custom).length;
  const header = `Resources: ${resources.length} (${custom} cloud resources, ${resources.length - custom} components)`;
  return `${header}\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}
