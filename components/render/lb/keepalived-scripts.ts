/**
 * The two scripts keepalived runs on a kube-ha master, as installed (static
 * text, the .sh files next to this one; their arguments come from
 * keepalived.conf, see keepalived-config.ts):
 * - the check (keepalived-check.sh): fails when this master cannot serve the
 *   endpoint — HAProxy down or no apiserver healthy behind it;
 * - the notify hook (keepalived-notify.sh): logs every VRRP transition.
 * Read from disk for now; a build step will embed them once the shell-files
 * work settles how .sh files ship.
 */
import * as fs from "node:fs";
import * as path from "node:path";

function script(name: string): string {
  return fs.readFileSync(path.join(__dirname, name), "utf8");
}

export function keepalivedCheckScript(): string {
  return script("keepalived-check.sh");
}

export function keepalivedNotifyScript(): string {
  return script("keepalived-notify.sh");
}
