import { describe, expect, it } from "vitest";
import { parseOnpremConfig } from "../../components/platforms/onprem/config";
import { onpremHostTraffic } from "../../components/platforms/onprem/host-ports";
import { type OnpremPlanInput, planOnpremLoadBalancing, withVrrpPassword } from "../../components/platforms/onprem/load-balancer-plan";
import type { ReplicaPlan } from "../../components/plan/types";
import { electedMaster, vrrpPrioritiesByPosition, MAX_POSITIONED_MASTERS } from "../../components/plan/vrrp-priorities";
import { renderMasterHaproxyConfig } from "../../components/render/lb/haproxy-config";
import { renderKeepalivedConfig } from "../../components/render/lb/keepalived-config";
import { renderNginxStreamConfig } from "../../components/render/lb/nginx-stream-config";
import { VRRP_PASSWORD, onpremMasters, onpremStack, withEndpoint } from "../support/onprem-fixture";

/** The part of a control-plane plan the mapping reads, for masters as the stack lists them. */
function planOf(masters: { name: string; zone: string; address: string }[]): OnpremPlanInput {
  return {
    masters: masters.map((m): ReplicaPlan => ({ ...m, role: "master", addressPinned: true, etcdMember: true, subnetCidr: "192.168.10.0/24" })),
  };
}

function lbPlan(masters: { name: string; zone: string; address: string }[], stack: Record<string, unknown> = {}) {
  return planOnpremLoadBalancing(planOf(masters), parseOnpremConfig(onpremStack({ replicas: masters, allowEvenReplicaCount: true, ...stack })));
}

const priorities = (masters: { name: string; zone: string; address: string }[]) =>
  Object.fromEntries(lbPlan(masters).masters.map((m) => [m.name, [m.keepalived.priority, m.keepalived.checkWeight]]));

describe("on-premises load balancing: keepalived-haproxy", () => {
  it.each([3, 5])("gives each of %i masters HAProxy on VIP:6443 over every apiserver and keepalived with the other masters as unicast peers", (n) => {
    const masters = onpremMasters(n);
    const plan = lbPlan(masters);
    expect(plan.endpoint).toEqual({ host: "192.168.10.250", port: 6443 });
    expect(plan.nginx).toEqual([]);
    expect(plan.masters.map((m) => m.name)).toEqual(masters.map((m) => m.name));
    for (const [i, m] of plan.masters.entries()) {
      expect(m.haproxy.frontend).toEqual({ address: "192.168.10.250", port: 6443 });
      expect(m.haproxy.backends).toEqual(masters.map((x) => ({ name: x.name, address: x.address, port: 6443 })));
      expect(m.haproxy.check.caFile).toBe("/etc/kubernetes/pki/ca.crt");
      expect(m.keepalived).toMatchObject({ vip: "192.168.10.250", prefix: 24, virtualRouterId: 51, interface: "eth0", routerId: masters[i]!.name, sourceAddress: masters[i]!.address });
      expect(m.keepalived.peers).toEqual(masters.filter((_, j) => j !== i).map((x) => x.address));
      expect(m.keepalived.checkUrl).toBe("http://127.0.0.1:6444/kube-ha-healthz");
      expect(m.haproxy.monitor).toEqual({ address: "127.0.0.1", port: 6444, path: "/kube-ha-healthz" });
      // The renderers accept every input as mapped (they refuse bad ones before writing a line).
      expect(renderMasterHaproxyConfig(m.haproxy)).toContain("bind 192.168.10.250:6443");
      const conf = renderKeepalivedConfig(withVrrpPassword(m.keepalived, VRRP_PASSWORD));
      expect(conf).toContain(`priority ${m.keepalived.priority}`);
      expect(conf).toContain(`auth_pass ${VRRP_PASSWORD}`);
    }
    expect(JSON.stringify(plan)).not.toContain(VRRP_PASSWORD);
  });

  it("takes each master's own VIP interface", () => {
    const plan = lbPlan(onpremMasters(3), { onprem: { ssh: { user: "ubuntu" }, hosts: { "cp-2": { interface: "bond0" } }, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } } });
    expect(plan.masters.map((m) => m.keepalived.interface)).toEqual(["eth0", "bond0", "eth0"]);
  });

  it("a failing check hands the VIP to a healthy master whenever one exists, for 3 and 5 masters", () => {
    for (const n of [3, 5]) {
      const p = { priorities: lbPlan(onpremMasters(n)).masters.map((m) => m.keepalived.priority), checkWeight: lbPlan(onpremMasters(n)).masters[0]!.keepalived.checkWeight };
      expect(new Set(p.priorities).size).toBe(n);
      for (let bits = 0; bits < 2 ** n; bits++) {
        const failing = Array.from({ length: n }, (_, i) => ((bits >> i) & 1) === 1);
        if (failing.some((f) => !f)) expect(failing[electedMaster(p, failing)]).toBe(false);
      }
    }
  });

  it("adding a master (appended, as add-replica does) changes no other master's priority or weight, and the new one never outranks them", () => {
    const three = priorities(onpremMasters(3));
    const four = priorities(onpremMasters(4));
    const five = priorities(onpremMasters(5));
    for (const name of Object.keys(three)) {
      expect(four[name]).toEqual(three[name]);
      expect(five[name]).toEqual(three[name]);
    }
    const newest = five["cp-5"]![0]!;
    for (const [name, [priority]] of Object.entries(five)) if (name !== "cp-5") expect(priority).toBeGreaterThan(newest);
  });

  it("removing a master keeps the others' order (those after it move up one), so the VIP holder keeps the VIP", () => {
    const masters = onpremMasters(5);
    const before = priorities(masters);
    const without = masters.filter((m) => m.name !== "cp-2");
    const after = priorities(without);
    const order = (p: Record<string, number[]>) => Object.entries(p).sort((a, b) => b[1][0]! - a[1][0]!).map(([name]) => name);
    expect(order(after)).toEqual(order(before).filter((n) => n !== "cp-2"));
    expect(after["cp-1"]).toEqual(before["cp-1"]);
    expect(after["cp-3"]![0]).toBe(before["cp-3"]![0]! + 1);
    // With nothing failing the holder is the same master before and after.
    const elected = (p: Record<string, number[]>) => order(p)[0];
    expect(elected(after)).toBe(elected(before));
  });

  it("the weight does not depend on the count, and keepalived's priority range holds the largest control plane", () => {
    const weights = new Set([1, 3, 7, MAX_POSITIONED_MASTERS].map((n) => vrrpPrioritiesByPosition(n).checkWeight));
    expect(weights.size).toBe(1);
    const largest = vrrpPrioritiesByPosition(MAX_POSITIONED_MASTERS);
    expect(Math.max(...largest.priorities)).toBeLessThanOrEqual(254);
    expect(Math.min(...largest.priorities) + largest.checkWeight).toBeGreaterThanOrEqual(1);
    expect(() => vrrpPrioritiesByPosition(MAX_POSITIONED_MASTERS + 1)).toThrow(/from 1 to 100/);
  });

  it("gives the HA report keepalived-haproxy's failover budget", () => {
    const { failover } = lbPlan(onpremMasters(3));
    expect(failover).toEqual({
      mode: "keepalived-haproxy",
      budget: { keepalivedStopped: 1, holderLost: 4, haproxyDown: 8, noHealthyBackend: 11.5, backendDown: 3.5, worst: 11.5 },
      backendRecovery: 3.5,
    });
  });

  it("lists VRRP between the masters and ssh from where pulumi runs as host traffic", () => {
    const config = parseOnpremConfig(onpremStack({ sshAllowedCidr: "10.99.0.0/24" }));
    expect(onpremHostTraffic(config)).toEqual([
      expect.objectContaining({ name: "ssh", protocol: "tcp", ports: [22, 22], from: "10.99.0.0/24" }),
      expect.objectContaining({ name: "vrrp", protocol: "vrrp", from: "192.168.10.11, 192.168.10.12, 192.168.10.13" }),
    ]);
  });
});

describe("on-premises load balancing: nginx-stream and external", () => {
  const lbs = [
    { name: "lb-a", address: "192.168.10.21" },
    { name: "lb-b", address: "192.168.10.22" },
  ];
  const nginxStack = withEndpoint({ mode: "nginx-stream", loadBalancers: lbs }, { vrrpPassword: undefined, apiServerDnsName: "api.dc-berlin.example.com" });

  it.each([3, 5])("gives each nginx host a stream proxy on its address:6443 over the %i masters, and no keepalived", (n) => {
    const masters = onpremMasters(n);
    const plan = planOnpremLoadBalancing(planOf(masters), parseOnpremConfig({ ...nginxStack, replicas: masters }));
    expect(plan.masters).toEqual([]);
    expect(plan.endpoint).toEqual({ host: "api.dc-berlin.example.com", port: 6443 });
    expect(plan.nginx.map((x) => [x.name, x.nginx.listen])).toEqual(lbs.map((lb) => [lb.name, { address: lb.address, port: 6443 }]));
    for (const x of plan.nginx) {
      expect(x.nginx.backends.map((b) => b.address)).toEqual(masters.map((m) => m.address));
      expect(renderNginxStreamConfig(x.nginx)).toContain(`listen ${x.address}:6443;`);
    }
    expect(plan.failover).toMatchObject({ mode: "nginx-stream", refusedBackend: 0, silentBackendPerConnection: 1, failTimeoutSeconds: 10, unreadyBackend: "not detected" });
    expect(onpremHostTraffic(parseOnpremConfig({ ...nginxStack, replicas: masters })).map((t) => t.name)).toEqual(["ssh", "apiserver-from-load-balancers"]);
  });

  it("names the one nginx host's address as the endpoint when there is no DNS name", () => {
    const stack = withEndpoint({ mode: "nginx-stream", loadBalancers: [lbs[0]] }, { vrrpPassword: undefined });
    expect(planOnpremLoadBalancing(planOf(onpremMasters(3)), parseOnpremConfig(stack)).endpoint).toEqual({ host: "192.168.10.21", port: 6443 });
  });

  it("renders nothing for an external endpoint and says its failover is the user's load balancer's", () => {
    const plan = planOnpremLoadBalancing(planOf(onpremMasters(3)), parseOnpremConfig(withEndpoint({ mode: "external", address: "10.1.2.3" }, { vrrpPassword: undefined })));
    expect(plan).toMatchObject({ mode: "external", endpoint: { host: "10.1.2.3", port: 6443 }, masters: [], nginx: [] });
    expect(plan.failover).toEqual({ mode: "external", note: expect.stringMatching(/your load balancer's own health checks/) });
  });
});
