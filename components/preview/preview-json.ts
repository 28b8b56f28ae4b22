import type { HaReport } from "./ha-report";
import type { RecordedResource } from "./recorder";
import { redactValue } from "./redact";

/** The `--json` document: exactly `{ stack, resources: [{ type, name, parent, inputs }], report }`. */
export interface PreviewJson {
  stack: string;
  resources: { type: string; name: string; parent: string | null; inputs: Record<string, unknown> }[];
  report: HaReport;
}

/**
 * Recorded registrations (already redacted) → the JSON document. `parent` is
 * the parent's name (null at the top level).
 */
export function previewJson(stack: string, resources: readonly RecordedResource[], report: HaReport): PreviewJson {
  const nameByUrn = new Map(resources.map((r) => [r.urn, r.name]));
  return {
    stack,
    resources: resources.map((r) => ({
      type: r.type,
      name: r.name,
      parent: r.parentUrn ? (nameByUrn.get(r.parentUrn) ?? r.parentUrn) : null,
      inputs: r.inputs,
    })),
    report,
  };
}

/** Pretty JSON text, with a last pass for key material in every string of it (defence in depth). */
export function previewJsonText(doc: PreviewJson): string {
  return `${JSON.stringify(redactValue(doc, new Set()), null, 2)}\n`;
}
