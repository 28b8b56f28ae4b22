/**
 * Embeds components/render/scripts/kube-ha-etcd.sh (the membership script's
 * source, kept as a real file so it can be read and shellchecked as bash)
 * into components/render/scripts/kube-ha-etcd-sh.ts, because the library is
 * built by `tsc` alone and must not read assets from disk at run time.
 *
 * After editing the .sh file: `npx tsx test/support/etcd-embed-script.ts`.
 * test/unit/etcd-membership-script.test.ts fails while the two differ.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const SCRIPT_SOURCE_PATH = join(here, "../../components/render/scripts/kube-ha-etcd.sh");
export const SCRIPT_MODULE_PATH = join(here, "../../components/render/scripts/kube-ha-etcd-sh.ts");

/** The TypeScript module text that embeds `source` verbatim in a template literal. */
export function embedScriptModule(source: string): string {
  const body = source.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${");
  return [
    "// Generated from kube-ha-etcd.sh by test/support/etcd-embed-script.ts: edit the .sh file, then",
    "// run `npx tsx test/support/etcd-embed-script.ts`. A unit test fails while they differ.",
    "",
    "/** The membership script's source; components/render/membership-script.ts fills in its defaults. */",
    `export const KUBE_HA_ETCD_SH = \`${body}\`;`,
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCRIPT_MODULE_PATH, embedScriptModule(readFileSync(SCRIPT_SOURCE_PATH, "utf8")));
  console.log(`wrote ${SCRIPT_MODULE_PATH}`);
}
