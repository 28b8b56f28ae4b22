/**
 * Compacts bash for transport: drops comment-only lines, blank lines and
 * leading indentation. EC2 takes at most 16 KiB of (gzipped) user-data and
 * the boot script carries the membership script and kubeadm's YAML; the
 * commented sources stay in this repository (and `kube-ha render` writes
 * the etcd parts in full), so the copy a machine runs need not repeat them.
 *
 * Byte-exact, never touched: here-document bodies (file contents such as
 * YAML, whose indentation matters), lines that continue a quoted string
 * across a line break, the shebang and `# shellcheck` directives (so the
 * compacted copy is checked like its source). Inline comments after code stay.
 * Measured on the membership script, stripping saves about a tenth of its
 * gzipped size; gzip+base64 of the script inside the (already gzipped)
 * user-data saves nothing, as base64 of compressed data does not compress.
 */

type Quote = "'" | '"' | "$'" | undefined;

interface Heredoc {
  delimiter: string;
  stripTabs: boolean;
}

export function compactShell(script: string): string {
  const out: string[] = [];
  const pending: Heredoc[] = [];
  let body: Heredoc | undefined;
  let quote: Quote;
  const lines = script.split("\n");
  lines.forEach((line, index) => {
    if (body) {
      out.push(line);
      if ((body.stripTabs ? line.replace(/^\t+/, "") : line) === body.delimiter) body = pending.shift();
      return;
    }
    if (quote !== undefined) {
      out.push(line);
    } else {
      const code = line.replace(/^[ \t]+/, "");
      const kept = (index === 0 && code.startsWith("#!")) || /^# shellcheck /.test(code);
      if (code === "" || (code.startsWith("#") && !kept)) return;
      out.push(code);
    }
    quote = scan(line, quote, pending);
    if (!body && pending.length > 0) body = pending.shift();
  });
  // A script ending in a newline keeps it (split gives a last empty line, dropped above).
  return script.endsWith("\n") ? `${out.join("\n")}\n` : out.join("\n");
}

/** Reads one line: returns the quote still open at its end; queues here-documents it opens. */
function scan(line: string, start: Quote, pending: Heredoc[]): Quote {
  let quote = start;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      continue;
    }
    if (quote === "$'" || quote === '"') {
      if (c === "\\") i++;
      else if ((quote === '"' && c === '"') || (quote === "$'" && c === "'")) quote = undefined;
      continue;
    }
    if (c === "\\") {
      i++;
    } else if (c === "'") {
      quote = line[i - 1] === "$" ? "$'" : "'";
    } else if (c === '"') {
      quote = '"';
    } else if (c === "#" && (i === 0 || /[\s;&|()]/.test(line[i - 1]!))) {
      break;
    } else if (c === "<" && line[i + 1] === "<" && line[i + 2] !== "<" && line[i - 1] !== "<") {
      const m = /^<<(-?)[ \t]*(?:'([^']+)'|"([^"]+)"|\\?([A-Za-z0-9_]+))/.exec(line.slice(i));
      if (m) {
        pending.push({ delimiter: m[2] ?? m[3] ?? m[4]!, stripTabs: m[1] === "-" });
        i += m[0].length - 1;
      }
    }
  }
  return quote;
}
