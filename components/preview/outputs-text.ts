/** The stack outputs a preview would export, one per line (already redacted). */
export function formatOutputs(outputs: Record<string, unknown>): string {
  const lines = ["Stack outputs:"];
  for (const [key, value] of Object.entries(outputs)) {
    lines.push(`  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
  }
  return `${lines.join("\n")}\n`;
}
