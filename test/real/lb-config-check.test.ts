import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_LB_BACKEND_CHECK } from "../../components/plan/vip-failover";
import { renderMasterHaproxyConfig } from "../../components/render/lb/haproxy-config";
import { renderKeepalivedConfig } from "../../components/render/lb/keepalived-config";
import { keepalivedCheckScript, keepalivedNotifyScript } from "../../components/render/lb/keepalived-scripts";
import { renderLocalLbConfig } from "../../components/render/lb/local-lb-config";
import { renderNginxStreamConfig } from "../../components/render/lb/nginx-stream-config";
import { caCertSpecs } from "../../components/plan/cert-specs";
import { nginxStreamModule, requireBinary } from "../support/lb-binaries";
import { mintCert } from "../support/real-pki";
import { type LbFixtureOptions, backendsOf, keepalivedInput, masterHaproxyInput } from "../support/lb-fixture";

/**
 * Every rendered load-balancer config is accepted by the real daemon's own
 * config check (`haproxy -c`, `keepalived -t`, `nginx -t`), every script is
 * shellcheck-clean, and the two keepalived scripts do what keepalived relies
 * on: the check's exit status follows the HAProxy monitor, the notify hook
 * logs a transition.
 */

const run = promisify(execFile);

let dir: string;
let fixture: LbFixtureOptions;

async function exec(file: string, args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(file, args, { timeout: 30_000 });
    return { code: 0, out: `${r.stdout}${r.stderr}` };
  } catch (e) {
    const err = e as { code?: number | string; stdout?: string; stderr?: string; message: string };
    if (typeof err.code !== "number") throw e;
    return { code: err.code, out: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-lb-check-"));
  fs.mkdirSync(path.join(dir, "bin"));
  fs.mkdirSync(path.join(dir, "m1"));
  fs.writeFileSync(path.join(dir, "bin", "kube-ha-lb-check.sh"), keepalivedCheckScript(), { mode: 0o755 });
  fs.writeFileSync(path.join(dir, "bin", "kube-ha-vip-notify.sh"), keepalivedNotifyScript(), { mode: 0o755 });
  await mintCert(path.join(dir, "ca"), caCertSpecs().kubernetesCa, undefined);
  fixture = {
    masters: [
      { name: "m1", address: "10.20.30.11" },
      { name: "m2", address: "10.20.30.12" },
      { name: "m3", address: "10.20.30.13" },
    ],
    vip: "10.20.30.100",
    dir,
  };
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the daemons accept every rendered config", () => {
  it("haproxy -c accepts the masters' config, with and without a CA", async () => {
    const haproxy = requireBinary("haproxy");
    for (const [name, input] of [
      ["no-ca", masterHaproxyInput(fixture, "m1")],
      ["ca", masterHaproxyInput({ ...fixture, caFile: path.join(dir, "ca.crt") }, "m1")],
    ] as const) {
      const file = path.join(dir, `haproxy-${name}.cfg`);
      fs.writeFileSync(file, renderMasterHaproxyConfig(input));
      const r = await exec(haproxy, ["-c", "-f", file]);
      expect(r.out).not.toMatch(/\[(WARNING|ALERT)\]/);
      expect(r.code, r.out).toBe(0);
    }
  });

  it("haproxy -c accepts a worker's local load-balancer config", async () => {
    const file = path.join(dir, "local-lb.cfg");
    fs.writeFileSync(
      file,
      renderLocalLbConfig({
        listen: { address: "127.0.0.1", port: 6443 },
        backends: backendsOf(fixture.masters),
        check: { timings: LOCAL_LB_BACKEND_CHECK },
        runtime: { statsSocket: path.join(dir, "local-lb.sock"), hardStopAfterSeconds: 300 },
      }),
    );
    const r = await exec(requireBinary("haproxy"), ["-c", "-f", file]);
    expect(r.out).not.toMatch(/\[(WARNING|ALERT)\]/);
    expect(r.code, r.out).toBe(0);
  });

  it("keepalived -t accepts every master's config", async () => {
    const keepalived = requireBinary("keepalived");
    for (const m of fixture.masters) {
      const file = path.join(dir, `keepalived-${m.name}.conf`);
      fs.writeFileSync(file, renderKeepalivedConfig(keepalivedInput(fixture, m.name)), { mode: 0o600 });
      const r = await exec(keepalived, ["-t", "-f", file, "-l", "-p", path.join(dir, "k.pid"), "-r", path.join(dir, "v.pid"), "-c", path.join(dir, "c.pid")]);
      expect(r.code, r.out).toBe(0);
      expect(r.out).not.toMatch(/(unknown keyword|configuration error|WARNING|unsafe)/i);
    }
  });

  it("keepalived -t rejects a config with a broken line (the check is not a no-op)", async () => {
    const file = path.join(dir, "keepalived-broken.conf");
    fs.writeFileSync(file, renderKeepalivedConfig(keepalivedInput(fixture, "m1")).replace("advert_int 1", "advert_int"));
    const r = await exec(requireBinary("keepalived"), ["-t", "-f", file, "-l"]);
    expect(r.code).not.toBe(0);
  });

  it("nginx -t accepts the stream config", async () => {
    const nginx = requireBinary("nginx");
    const module = nginxStreamModule(nginx);
    const file = path.join(dir, "nginx.conf");
    fs.writeFileSync(
      file,
      renderNginxStreamConfig({
        listen: { address: "127.0.0.1", port: 16443 },
        backends: backendsOf(fixture.masters),
        pidFile: path.join(dir, "nginx.pid"),
        errorLog: path.join(dir, "nginx-error.log"),
        ...(module ? { streamModule: module } : {}),
      }),
    );
    const r = await exec(nginx, ["-t", "-c", file, "-e", path.join(dir, "nginx-error.log"), "-p", dir]);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/syntax is ok/);
  });
});

describe("the keepalived scripts", () => {
  it("are shellcheck-clean", async () => {
    const shellcheck = requireBinary("shellcheck");
    for (const name of ["kube-ha-lb-check.sh", "kube-ha-vip-notify.sh"]) {
      const r = await exec(shellcheck, ["--shell=bash", "--severity=style", "--format=gcc", path.join(dir, "bin", name)]);
      expect(r.out, name).toBe("");
      expect(r.code).toBe(0);
    }
  });

  it("the check passes only while the monitor answers 200: 503 (no apiserver healthy) and nothing listening (HAProxy down) fail it", async () => {
    requireBinary("curl");
    let status = 200;
    const server = http.createServer((_req, res) => res.writeHead(status).end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/kube-ha-healthz`;
    const check = path.join(dir, "bin", "kube-ha-lb-check.sh");
    try {
      expect((await exec(check, [url, "0.8"])).code).toBe(0);
      status = 503;
      expect((await exec(check, [url, "0.8"])).code).not.toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect((await exec(check, [url, "0.8"])).code).not.toBe(0);
    expect((await exec(check, [])).code).toBe(64);
  });

  it("the notify hook appends the transition with a timestamp", async () => {
    const log = path.join(dir, "m1", "vip.log");
    const r = await exec(path.join(dir, "bin", "kube-ha-vip-notify.sh"), [log, "INSTANCE", "kube_apiserver", "MASTER", "102"]);
    expect(r.code, r.out).toBe(0);
    expect(fs.readFileSync(log, "utf8")).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z vrrp instance kube_apiserver -> MASTER \(priority 102\)\n$/);
  });
});
