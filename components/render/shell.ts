import { filledShellFile } from "../shell/shell-file";

/**
 * Small helpers for rendering bash: quoting values and writing files with
 * quoted here-documents (no expansion inside, so file contents are written
 * byte for byte and stay readable in the rendered script) through the
 * `write_file` function of write-file.sh.
 */

/** A single-quoted bash word that stands for exactly `value`. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** `NAME='value'` lines, read-only, for the constants at the top of a script. */
export function shellConstants(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      if (!/^[A-Z_][A-Z0-9_]*$/.test(name)) throw new Error(`not a shell variable name: ${name}`);
      return `readonly ${name}=${shellQuote(value)}`;
    })
    .join("\n");
}

/** A here-document delimiter that does not occur as a line of `content`. */
export function heredocDelimiter(content: string, base = "KUBE_HA_EOF"): string {
  const lines = new Set(content.split("\n"));
  if (!lines.has(base)) return base;
  for (let i = 1; ; i++) {
    const candidate = `${base}_${i}`;
    if (!lines.has(candidate)) return candidate;
  }
}

/** File modes as bash writes them: `0644`. */
export function octalMode(mode: number | string): string {
  if (typeof mode === "number") return `0${mode.toString(8).padStart(3, "0")}`;
  if (!/^0?[0-7]{3,4}$/.test(mode)) throw new Error(`not a file mode: ${mode}`);
  return mode.length === 3 ? `0${mode}` : mode;
}

/**
 * Bash that writes `content` to `path` with `mode`, atomically (temp file in
 * the same directory, then rename), creating the directory.
 */
export function writeFileCommand(path: string, content: string, mode: number | string): string {
  const body = content.endsWith("\n") ? content : `${content}\n`;
  const eof = heredocDelimiter(body);
  const q = shellQuote(path);
  return [
    `write_file ${q} ${octalMode(mode)} <<'${eof}'`,
    `${body}${eof}`,
  ].join("\n");
}

/** The `write_file PATH MODE < content` function writeFileCommand relies on (write-file.sh). */
export function writeFileFunction(): string {
  return filledShellFile("render/write-file.sh");
}
