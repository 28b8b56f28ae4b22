import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fillPlaceholders } from "./placeholders";

/**
 * kube-ha's shell lives in real `.sh` files under components/, next to the
 * module that renders each one, so it is read, edited and shellchecked as
 * bash. They are read at run time, by their path relative to components/:
 * from the TypeScript sources (tests, the CLI in a checkout, a Pulumi
 * program) the files sit beside the sources; a build (`npm run build`)
 * copies every .sh file under components/ to the same place under
 * dist/components/ (build/copy-shell.mjs), beside the compiled modules.
 */

/** components/ (or dist/components/ once built): this module is components/shell/shell-file. */
const COMPONENTS_ROOT = join(__dirname, "..");

const SHELL_PATH = /^[a-z0-9][-a-z0-9]*(\/[a-z0-9][-a-z0-9]*)*\.sh$/;

const cache = new Map<string, string>();

/** The text of components/<path> (e.g. "render/scripts/kube-ha-etcd.sh"), read once. */
export function shellFile(path: string): string {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  if (!SHELL_PATH.test(path)) throw new Error(`${JSON.stringify(path)} is not a shell file path under components/ (lowercase words, /, ending in .sh)`);
  const file = join(COMPONENTS_ROOT, path);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(
      `kube-ha cannot read its shell file ${file} (${(e as Error).message}): ` +
        "a build must copy components/**/*.sh beside the compiled modules (npm run build does)",
    );
  }
  cache.set(path, text);
  return text;
}

/**
 * The text of components/<path> with its @@NAME@@ placeholders filled
 * (placeholders.ts): every placeholder needs a value and every value a
 * placeholder, so a file without placeholders takes none.
 */
export function filledShellFile(path: string, values: Readonly<Record<string, string>> = {}): string {
  return fillPlaceholders(shellFile(path), values, path);
}
