import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { LOCAL_LB_BACKEND_CHECK } from "../../components/plan/vip-failover";
import { renderMasterHaproxyConfig } from "../../components/render/lb/haproxy-config";
import { renderKeepalivedConfig } from "../../components/render/lb/keepalived-config";
import { renderLocalLbConfig } from "../../components/render/lb/local-lb-config";
import { localLbServer, renderLocalLbKubeconfig } from "../../components/render/lb/local-lb-kubeconfig";
import { renderNginxStreamConfig } from "../../components/render/lb/nginx-stream-config";
import { backendsOf, keepalivedInput, masterHaproxyInput, type LbFixtureOptions } from "../support/lb-fixture";

const fixture: LbFixtureOptions = {
  masters: [
    { name: "m1", address: "10.20.30.11" },
    { name: "m2", address: "10.20.30.12" },
    { name: "m3", address: "10.20.30.13" },
  ],
  vip: "10.20.30.100",
  dir: "/run/kube-ha",
  caFile: "/etc/kubernetes/pki/ca.crt",
};

describe("masters' HAProxy config", () => {
  const cfg = renderMasterHaproxyConfig(masterHaproxyInput(fixture, "m1"));

  it("listens on exactly VIP:6443 and balances every master's apiserver", () => {
    expect(cfg).toMatch(/^ {2}bind 10\.20\.30\.100:6443$/m);
    expect(cfg).not.toMatch(/bind (\*|0\.0\.0\.0|:)/);
    for (const m of fixture.masters) expect(cfg).toContain(`  server ${m.name} ${m.address}:6443`);
  });

  it("checks each apiserver with HTTPS GET /readyz against the CA, at the plan's timings, and cuts a dead server's sessions", () => {
    expect(cfg).toContain("http-check send meth GET uri /readyz");
    expect(cfg).toContain("http-check expect status 200");
    expect(cfg).toMatch(/default-server check check-ssl verify required ca-file \/etc\/kubernetes\/pki\/ca\.crt inter 1000ms fastinter 500ms downinter 1000ms fall 2 rise 2 .*on-marked-down shutdown-sessions/);
    expect(cfg).toContain("timeout check 1000ms");
  });

  it("answers keepalived's check on loopback only, failing when no apiserver is up", () => {
    expect(cfg).toMatch(/bind 127\.0\.0\.1:6444\n {2}monitor-uri \/kube-ha-healthz\n {2}monitor fail if \{ nbsrv\(kube_apiserver\) lt 1 \}/);
  });

  it("hands its listeners to a reloaded worker and bounds how long the old one lingers", () => {
    expect(cfg).toContain("stats socket /run/kube-ha/m1/haproxy.sock mode 600 level admin expose-fd listeners");
    expect(cfg).toContain("hard-stop-after 60s");
  });

  it("without a CA it still needs a TLS handshake but does not verify the chain", () => {
    const { caFile: _, ...noCa } = fixture;
    expect(renderMasterHaproxyConfig(masterHaproxyInput(noCa, "m1"))).toContain("check check-ssl verify none inter");
  });

  it.each([
    ["a bad backend address", (i: ReturnType<typeof masterHaproxyInput>) => (i.backends[1]!.address = "10.20.30.300"), /backends\[1\]\.address: got "10\.20\.30\.300"/],
    ["an address with a space", (i: ReturnType<typeof masterHaproxyInput>) => (i.frontend.address = "10.20.30.100 "), /frontend\.address/],
    ["a duplicate backend name", (i: ReturnType<typeof masterHaproxyInput>) => (i.backends[2]!.name = "m1"), /backends\[2\]\.name: got "m1", wants a name no other backend has/],
    ["a name that would start a comment", (i: ReturnType<typeof masterHaproxyInput>) => (i.backends[0]!.name = "m1#x"), /backends\[0\]\.name/],
    ["no backend", (i: ReturnType<typeof masterHaproxyInput>) => (i.backends = []), /at least one backend/],
    ["a monitor off loopback", (i: ReturnType<typeof masterHaproxyInput>) => (i.monitor.address = "10.20.30.11"), /monitor\.address.*loopback/],
    ["a socket path with a space", (i: ReturnType<typeof masterHaproxyInput>) => (i.runtime.statsSocket = "/run/my sock"), /runtime\.statsSocket/],
    ["a zero fall", (i: ReturnType<typeof masterHaproxyInput>) => (i.check.timings = { ...i.check.timings, fall: 0 }), /check\.timings\.fall/],
  ])("refuses %s with a message naming the field", (_what, mutate, message) => {
    const input = structuredClone(masterHaproxyInput(fixture, "m1"));
    mutate(input);
    expect(() => renderMasterHaproxyConfig(input)).toThrow(message);
  });
});

describe("keepalived config", () => {
  const cfg = renderKeepalivedConfig(keepalivedInput(fixture, "m2"));

  it("starts every master as BACKUP with its plan priority and a weight larger than the spread", () => {
    expect(cfg).toContain("  state BACKUP");
    expect(cfg).toContain("  priority 101");
    expect(cfg).toContain("  weight -3");
    expect(cfg).not.toContain("nopreempt");
  });

  it("checks this master's HAProxy monitor every second, failing after 2 and recovering after 2", () => {
    expect(cfg).toContain('script "/run/kube-ha/bin/kube-ha-lb-check.sh http://127.0.0.1:6444/kube-ha-healthz 0.8"');
    expect(cfg).toMatch(/interval 1\n {2}timeout 1\n {2}fall 2\n {2}rise 2/);
  });

  it("advertises by unicast from its own address to the other masters, with the password, and holds the VIP on the interface", () => {
    expect(cfg).toMatch(/unicast_src_ip 10\.20\.30\.12\n {2}unicast_peer \{\n {4}10\.20\.30\.11\n {4}10\.20\.30\.13\n {2}\}/);
    expect(cfg).toMatch(/auth_type PASS\n {4}auth_pass k8s-vip1/);
    expect(cfg).toContain("    10.20.30.100/24 dev eth0");
    expect(cfg).toContain('notify "/run/kube-ha/bin/kube-ha-vip-notify.sh /run/kube-ha/m2/vip-transitions.log"');
  });

  it("sends its second round of gratuitous ARPs 1 s after taking the VIP (keepalived's default is 5 s)", () => {
    expect(cfg).toMatch(/advert_int 1\n {2}garp_master_delay 1\n/);
  });

  it.each([
    ["a VIP outside the hosts' subnet", { vip: "10.20.31.100" }, /not in the subnet of this master's address 10\.20\.30\.12/],
    ["a VIP that is a master's address", { vip: "10.20.30.13" }, /is a master's own address/],
    ["a router id out of range", { virtualRouterId: 256 }, /virtualRouterId: got 256/],
    ["the master itself among its peers", { peers: ["10.20.30.12", "10.20.30.13"] }, /repeat an address/],
    ["an interface name longer than 15", { interface: "a-very-long-iface" }, /interface/],
    ["a positive weight", { checkWeight: 3 }, /wants a negative weight/],
  ])("refuses %s", (_what, change, message) => {
    expect(() => renderKeepalivedConfig({ ...keepalivedInput(fixture, "m2"), ...change })).toThrow(message);
  });

  it("refuses a bad password without ever showing it", () => {
    for (const secret of ["much-too-long-secret", "has space", 'q"uote', ""]) {
      let message = "";
      try {
        renderKeepalivedConfig({ ...keepalivedInput(fixture, "m2"), authPassword: secret });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/authPassword: wants 1–8 characters/);
      if (secret) expect(message).not.toContain(secret);
    }
  });
});

describe("nginx stream config", () => {
  const input = {
    listen: { address: "10.20.30.50", port: 6443 },
    backends: backendsOf(fixture.masters),
    pidFile: "/run/kube-ha-nginx.pid",
    errorLog: "/var/log/nginx/kube-ha-error.log",
  };

  it("proxies the endpoint to every apiserver with passive checks and a retry on the next one", () => {
    const cfg = renderNginxStreamConfig(input);
    for (const m of fixture.masters) expect(cfg).toContain(`server ${m.address}:6443 max_fails=1 fail_timeout=10s; # ${m.name}`);
    expect(cfg).toMatch(/listen 10\.20\.30\.50:6443;\n {4}proxy_pass kube_apiserver;\n {4}proxy_connect_timeout 1000ms;/);
    expect(cfg).toContain("proxy_next_upstream_tries 3;");
    expect(cfg).not.toContain("load_module");
  });

  it("loads the dynamic stream module when told where it is", () => {
    expect(renderNginxStreamConfig({ ...input, streamModule: "/usr/lib/nginx/modules/ngx_stream_module.so" })).toMatch(
      /^load_module \/usr\/lib\/nginx\/modules\/ngx_stream_module\.so;$/m,
    );
  });

  it("refuses to listen where a backend is", () => {
    expect(() => renderNginxStreamConfig({ ...input, listen: { address: "10.20.30.11", port: 6443 } })).toThrow(/proxy to itself/);
  });
});

describe("a worker's local load balancer", () => {
  const input = {
    listen: { address: "127.0.0.1", port: 6443 },
    backends: backendsOf(fixture.masters),
    check: { timings: LOCAL_LB_BACKEND_CHECK, caFile: "/etc/kubernetes/pki/ca.crt" },
    runtime: { statsSocket: "/run/kube-ha/local-lb.sock", hardStopAfterSeconds: 300 },
  };

  it("listens on loopback only and checks every master, five times less often than the masters do", () => {
    const cfg = renderLocalLbConfig(input);
    expect(cfg).toMatch(/^ {2}bind 127\.0\.0\.1:6443$/m);
    expect(cfg).toContain("inter 5000ms");
    expect(cfg).toContain("observe layer4 error-limit 1 on-error fastinter");
    for (const m of fixture.masters) expect(cfg).toContain(`server ${m.name} ${m.address}:6443`);
  });

  it("refuses an address off loopback", () => {
    expect(() => renderLocalLbConfig({ ...input, listen: { address: "0.0.0.0", port: 6443 } })).toThrow(/loopback/);
  });

  it("gives the kubelet and kube-proxy kubeconfigs whose server is the local load balancer", () => {
    expect(localLbServer(input.listen)).toBe("https://127.0.0.1:6443");
    const kubelet = parse(
      renderLocalLbKubeconfig({
        listen: input.listen,
        caFile: "/etc/kubernetes/pki/ca.crt",
        clusterName: "prod",
        userName: "system:node:worker-1",
        credentials: { kind: "client-certificate", certFile: "/var/lib/kubelet/pki/kubelet-client-current.pem", keyFile: "/var/lib/kubelet/pki/kubelet-client-current.pem" },
      }),
    );
    expect(kubelet.clusters[0].cluster).toEqual({ server: "https://127.0.0.1:6443", "certificate-authority": "/etc/kubernetes/pki/ca.crt" });
    expect(kubelet.users[0]).toEqual({
      name: "system:node:worker-1",
      user: { "client-certificate": "/var/lib/kubelet/pki/kubelet-client-current.pem", "client-key": "/var/lib/kubelet/pki/kubelet-client-current.pem" },
    });
    expect(kubelet["current-context"]).toBe("system:node:worker-1@prod");
    const proxy = parse(
      renderLocalLbKubeconfig({
        listen: input.listen,
        caFile: "/etc/kubernetes/pki/ca.crt",
        clusterName: "prod",
        userName: "kube-proxy",
        credentials: { kind: "token-file", tokenFile: "/var/lib/kube-proxy/token" },
      }),
    );
    expect(proxy.users[0].user).toEqual({ tokenFile: "/var/lib/kube-proxy/token" });
    expect(proxy.clusters[0].cluster.server).toBe("https://127.0.0.1:6443");
  });
});
