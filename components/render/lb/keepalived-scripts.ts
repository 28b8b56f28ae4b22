import { shellFile } from "../../shell/shell-file";

/**
 * The two scripts keepalived runs on a kube-ha master, as installed (static
 * text, the .sh files next to this one, read through the one shell-file
 * mechanism; their arguments come from keepalived.conf, see
 * keepalived-config.ts):
 * - the check (keepalived-check.sh): fails when this master cannot serve the
 *   endpoint — HAProxy down or no apiserver healthy behind it;
 * - the notify hook (keepalived-notify.sh): logs every VRRP transition.
 */
export const KEEPALIVED_SHELL = {
  check: "render/lb/keepalived-check.sh",
  notify: "render/lb/keepalived-notify.sh",
} as const;

export function keepalivedCheckScript(): string {
  return shellFile(KEEPALIVED_SHELL.check);
}

export function keepalivedNotifyScript(): string {
  return shellFile(KEEPALIVED_SHELL.notify);
}
