/**
 * Seed 004's keepalived + HAProxy configuration (keepalived.conf,
 * haproxy.cfg and check-haproxy.sh beside this file), filled in for the
 * bench's masters: the same VIP, addresses and ports kube-ha's rendered
 * configuration gets, so that only the configuration differs. Data for
 * bench/vip-failover.ts to measure, not a renderer of the project.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The seed's priorities: master1's 100 as printed; master2's and master3's (screenshots in the seed) one and two below. */
export const SEED_PRIORITIES = [100, 99, 98];

/** The apiserver backend's name in the seed's haproxy.cfg. */
export const SEED_BACKEND = "kubernetes-apiserver";

export const SEED_CHECK_SCRIPT = join(__dirname, "check-haproxy.sh");

export interface SeedMaster {
  name: string;
  address: string;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/@([A-Z_]+)@/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`seed 004 template: no value for ${whole}`);
    return v;
  });
}

function template(file: string): string {
  return readFileSync(join(__dirname, file), "utf8");
}

/** keepalived.conf of master `index` (0-based): MASTER with the first priority, BACKUP with the others. */
export function seedKeepalivedConfig(opts: { index: number; vip: string; interface: string; priorities: number[] }): string {
  const priority = opts.priorities[opts.index];
  if (priority === undefined) throw new Error(`seed 004: no priority for master ${opts.index + 1}`);
  return fill(template("keepalived.conf"), {
    CHECK_SCRIPT: SEED_CHECK_SCRIPT,
    STATE: opts.index === 0 ? "MASTER" : "BACKUP",
    INTERFACE: opts.interface,
    PRIORITY: String(priority),
    VIP: opts.vip,
  });
}

export function seedHaproxyConfig(opts: { vip: string; masters: SeedMaster[]; statsSocket: string }): string {
  return fill(template("haproxy.cfg"), {
    VIP: opts.vip,
    STATS_SOCKET: opts.statsSocket,
    SERVERS: opts.masters.map((m) => `  server ${m.name} ${m.address}:6443 check`).join("\n"),
  });
}
