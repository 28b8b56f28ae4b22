/**
 * The real load-balancer binaries the on-premises tests run (Debian's
 * haproxy, keepalived, nginx, shellcheck, curl). Daemons live in /usr/sbin,
 * which a non-root PATH often lacks, so that is searched too. A missing one
 * fails the test with the package to install; it never skips.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { delimiter, join } from "node:path";

const PACKAGES: Record<string, string> = {
  haproxy: "haproxy",
  keepalived: "keepalived",
  nginx: "nginx",
  shellcheck: "shellcheck",
  curl: "curl",
  tc: "iproute2",
  ip: "iproute2",
};

/** The absolute path of `name`, from PATH or the sbin directories; throws naming the Debian package when missing. */
export function requireBinary(name: string): string {
  const dirs = [...(process.env["PATH"] ?? "").split(delimiter), "/usr/local/sbin", "/usr/sbin", "/sbin"].filter(Boolean);
  for (const dir of dirs) {
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  throw new Error(`${name} is not installed: the on-premises load-balancer tests need it (apt-get install ${PACKAGES[name] ?? name}; .ci/run installs it)`);
}

/** Where Debian's libnginx-mod-stream puts the dynamic stream module. */
export const DEBIAN_NGINX_STREAM_MODULE = "/usr/lib/nginx/modules/ngx_stream_module.so";

/**
 * The stream module nginx must load: undefined when nginx is built with it,
 * the module's path when it is a dynamic module; throws when that module is
 * not installed.
 */
export function nginxStreamModule(nginx: string): string | undefined {
  // nginx -V prints its build flags on stderr.
  const r = spawnSync(nginx, ["-V"], { encoding: "utf8", timeout: 10_000 });
  const text = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (/--with-stream(\s|$)/.test(text)) return undefined;
  if (!/--with-stream=dynamic/.test(text)) throw new Error(`this nginx (${nginx}) has no stream module: nginx-stream mode needs one`);
  if (!existsSync(DEBIAN_NGINX_STREAM_MODULE)) {
    throw new Error(
      `nginx's stream module is a dynamic module that is not installed (${DEBIAN_NGINX_STREAM_MODULE} is missing): apt-get install libnginx-mod-stream (.ci/run installs it)`,
    );
  }
  return DEBIAN_NGINX_STREAM_MODULE;
}
