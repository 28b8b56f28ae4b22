import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { GcpControlPlane, type GcpControlPlaneArgs } from "../../components/platforms/gcp/control-plane";
import { healthCheckRanges } from "../../components/platforms/gcp/firewall-rules";
import { GCP_IAP_TCP_FORWARDING_RANGE } from "../../components/plan/ports";
import { SpecError } from "../../components/spec/errors";
import { type MockRegistry, type RecordedResource, installMocks, valueOf } from "../support/pulumi-mocks";

const T = {
  component: "kube-ha:index:GcpControlPlane",
  instance: "gcp:compute/instance:Instance",
  disk: "gcp:compute/disk:Disk",
  address: "gcp:compute/address:Address",
  group: "gcp:compute/instanceGroup:InstanceGroup",
  membership: "gcp:compute/instanceGroupMembership:InstanceGroupMembership",
  backend: "gcp:compute/regionBackendService:RegionBackendService",
  forwarding: "gcp:compute/forwardingRule:ForwardingRule",
  health: "gcp:compute/regionHealthCheck:RegionHealthCheck",
  firewall: "gcp:compute/firewall:Firewall",
  secret: "gcp:secretmanager/secret:Secret",
  secretVersion: "gcp:secretmanager/secretVersion:SecretVersion",
  secretAccess: "gcp:secretmanager/secretIamMember:SecretIamMember",
  account: "gcp:serviceaccount/account:Account",
  customRole: "gcp:projects/iAMCustomRole:IAMCustomRole",
  projectIam: "gcp:projects/iAMMember:IAMMember",
  service: "gcp:projects/service:Service",
  network: "gcp:compute/network:Network",
  subnetwork: "gcp:compute/subnetwork:Subnetwork",
  router: "gcp:compute/router:Router",
  routerNat: "gcp:compute/routerNat:RouterNat",
  removal: "command:local:Command",
};
const REGION = "europe-west1";
const ZONES = ["europe-west1-b", "europe-west1-c", "europe-west1-d"];
const ALLOWED = ["203.0.113.0/24", "198.51.100.0/24"];
const LB_IP = "34.120.0.10";
const MASTER_TAG = "prod-master";

const args = (count: number, extra: Partial<GcpControlPlaneArgs> = {}): GcpControlPlaneArgs => ({
  clusterName: "prod",
  region: REGION,
  replicas: Array.from({ length: count }, (_, i) => ({
    name: i < 3 ? `master-${"bcd"[i]}` : `master-${"bcd"[i % 3]}-2`,
    zone: ZONES[i % 3]!,
  })),
  apiServerAllowedCidrs: ALLOWED,
  healthCheck: { intervalSeconds: 4, timeoutSeconds: 2, healthyThreshold: 3, unhealthyThreshold: 2 },
  labels: { team: "platform" },
  ...extra,
});

/** Provider-computed outputs the component reads. */
function outputs(r: { type: string; name: string; inputs: Record<string, unknown> }): Record<string, unknown> {
  const gcpName = typeof r.inputs["name"] === "string" ? (r.inputs["name"] as string) : r.name;
  switch (r.type) {
    case T.address:
      return { address: (r.inputs["address"] as string | undefined) ?? LB_IP, selfLink: `https://compute/addresses/${gcpName}` };
    case T.account:
      return { email: `${r.inputs["accountId"]}@demo-project.iam.gserviceaccount.com`, project: "demo-project" };
    case T.instance:
      return { selfLink: `https://compute/${r.inputs["zone"]}/${gcpName}`, project: "demo-project" };
    case T.group:
    case T.disk:
      return { selfLink: `https://compute/${r.inputs["zone"]}/${gcpName}` };
    case T.customRole:
      return { name: `projects/demo-project/roles/${r.inputs["roleId"]}` };
    default:
      return {};
  }
}

async function quiet(reg: MockRegistry): Promise<void> {
  let last = -1;
  let still = 0;
  for (let i = 0; i < 300 && still < 5; i++) {
    await new Promise((r) => setTimeout(r, 20));
    still = reg.resources.length === last ? still + 1 : 0;
    last = reg.resources.length;
  }
}

async function settle(cp: GcpControlPlane): Promise<void> {
  await valueOf(cp.endpoint);
  await valueOf(cp.replicas);
  await valueOf(cp.adminKubeconfig);
}

let reg: MockRegistry;
let three: GcpControlPlane;
let five: GcpControlPlane;
let internal: GcpControlPlane;
let external: GcpControlPlane;
/** Options and resource objects of three's children, by "<type> <name>" (legacy transformations run under mocks). */
const childOpts = new Map<string, pulumi.CustomResourceOptions>();
const childResources = new Map<string, pulumi.Resource>();

const of = (prefix: string, type: string) => reg.ofType(type).filter((r) => r.name.startsWith(`${prefix}-`));
const normalised = (prefix: string, r: RecordedResource) => JSON.stringify(r.inputs).replaceAll(`${prefix}-`, "<cp>-");
const ports = (rule: RecordedResource) =>
  ((rule.inputs["allows"] as { ports: string[] }[]) ?? []).flatMap((a) => a.ports).map((p) => {
    const [from, to] = p.split("-").map(Number);
    return [from!, to ?? from!] as const;
  });
const opens = (rule: RecordedResource, port: number) => ports(rule).some(([a, b]) => a <= port && port <= b);

beforeAll(async () => {
  reg = await installMocks({ stack: "gcp-ha", outputs });
  three = new GcpControlPlane("three", args(3), {
    transformations: [
      (a) => {
        childOpts.set(`${a.type} ${a.name}`, a.opts);
        childResources.set(`${a.type} ${a.name}`, a.resource);
        return undefined;
      },
    ],
  });
  five = new GcpControlPlane("five", args(5));
  internal = new GcpControlPlane("internal", args(3, { clusterName: "inner", loadBalancerScheme: "internal", etcdMemberRemoval: false }));
  await settle(three);
  await settle(five);
  external = new GcpControlPlane("external", args(3, { clusterName: "outer", etcdTopology: "external", etcdZones: ZONES }));
  await settle(internal);
  await settle(external);
  await quiet(reg);
});

describe("GcpControlPlane with 3 replicas in 3 zones", () => {
  it("registers without errors or duplicate names, and exposes its plan", () => {
    expect(reg.errors).toEqual([]);
    expect(reg.duplicates()).toEqual([]);
    expect(reg.ofType(T.component).map((r) => r.name).sort()).toEqual(["external", "five", "internal", "three"]);
    expect(three.plan.masters.map((m) => m.name)).toEqual(["master-b", "master-c", "master-d"]);
  });

  it("puts 3 instances in 3 distinct zones at the plan's addresses, Shielded, without external IPs", () => {
    const instances = of("three", T.instance);
    expect(instances).toHaveLength(3);
    expect(new Set(instances.map((i) => i.inputs["zone"]))).toEqual(new Set(ZONES));
    for (const inst of instances) {
      const master = three.plan.masters.find((m) => m.zone === inst.inputs["zone"])!;
      const nic = (inst.inputs["networkInterfaces"] as Record<string, unknown>[])[0]!;
      expect(nic["networkIp"]).toBe(master.address);
      expect(nic["accessConfigs"]).toBeUndefined();
      expect(inst.inputs["shieldedInstanceConfig"]).toEqual({ enableSecureBoot: true, enableVtpm: true, enableIntegrityMonitoring: true });
      expect(inst.inputs["labels"]).toMatchObject({ "kube-ha-cluster": "prod", "kube-ha-role": "master", "kube-ha-replica": master.name, team: "platform" });
      expect(inst.inputs["tags"]).toEqual([MASTER_TAG]);
      expect((inst.inputs["serviceAccount"] as { email: string }).email).toBe("prod-cp-sa@demo-project.iam.gserviceaccount.com");
      expect((inst.inputs["attachedDisks"] as { deviceName: string }[])[0]!.deviceName).toBe("kube-ha-etcd");
    }
  });

  it("never stops a running master for a new machine type (it reaches a master through replace-replica), and replaces an instance delete-first", () => {
    for (const master of three.plan.masters) {
      expect(reg.named(`three-${master.name}-instance`)!.inputs["allowStoppingForUpdate"]).toBe(false);
      const opts = childOpts.get(`${T.instance} three-${master.name}-instance`)!;
      expect(opts.ignoreChanges).toEqual(["machineType", "metadata"]);
      // Same name, address and etcd disk: the old instance must go first.
      expect(opts.deleteBeforeReplace).toBe(true);
    }
  });

  it("gives each replica a reserved internal address and a separate etcd disk in its zone", () => {
    for (const master of three.plan.masters) {
      const address = reg.named(`three-${master.name}-address`)!;
      expect(address.inputs).toMatchObject({ addressType: "INTERNAL", address: master.address, region: REGION });
      expect(reg.named(`three-${master.name}-etcd-disk`)!.inputs).toMatchObject({ zone: master.zone, size: 20 });
    }
  });

  it("puts each instance in its zone's instance group", () => {
    const groups = of("three", T.group);
    expect(groups.map((g) => g.inputs["zone"]).sort()).toEqual(ZONES);
    for (const master of three.plan.masters) {
      const member = reg.named(`three-${master.name}-lb-member`)!;
      const group = groups.find((g) => g.inputs["zone"] === master.zone)!;
      expect(member.inputs).toEqual({ instanceGroup: group.inputs["name"], zone: master.zone, instance: `https://compute/${master.zone}/prod-${master.name}` });
    }
  });

  it("has a regional TCP backend service over all the groups, and a forwarding rule on 6443", () => {
    const [backend] = of("three", T.backend);
    expect(backend!.inputs).toMatchObject({ protocol: "TCP", loadBalancingScheme: "EXTERNAL", region: REGION });
    const groupIds = of("three", T.group).map((g) => `${g.name}-id`).sort();
    expect((backend!.inputs["backends"] as { group: string }[]).map((b) => b.group).sort()).toEqual(groupIds);
    const [rule] = of("three", T.forwarding);
    expect(rule!.inputs).toMatchObject({ ipProtocol: "TCP", portRange: "6443", ipAddress: LB_IP, backendService: `${backend!.name}-id`, loadBalancingScheme: "EXTERNAL" });
  });

  it("health-checks with HTTPS GET /readyz on 6443 at the configured interval and thresholds", () => {
    const [hc] = of("three", T.health);
    expect(hc!.inputs).toMatchObject({
      httpsHealthCheck: { port: 6443, requestPath: "/readyz" },
      checkIntervalSec: 4,
      timeoutSec: 2,
      healthyThreshold: 3,
      unhealthyThreshold: 2,
    });
    expect(three.plan.loadBalancer.failoverBudgetSeconds).toBe(4 * 2 + 2);
  });

  it("opens etcd 2379-2380 only from masters to masters", () => {
    const etcdRules = of("three", T.firewall).filter((r) => opens(r, 2379) || opens(r, 2380));
    expect(etcdRules.length).toBeGreaterThan(0);
    for (const rule of etcdRules) {
      expect(rule.inputs["sourceRanges"]).toBeUndefined();
      expect(rule.inputs["sourceTags"]).toEqual([MASTER_TAG]);
      expect(rule.inputs["targetTags"]).toEqual([MASTER_TAG]);
    }
  });

  it("opens 6443 only to the allowed CIDRs, the external passthrough LB's health-check ranges and the masters", () => {
    const rules = of("three", T.firewall).filter((r) => opens(r, 6443));
    const ranges = new Set(rules.flatMap((r) => (r.inputs["sourceRanges"] as string[] | undefined) ?? []));
    expect(ranges).toEqual(new Set([...ALLOWED, ...healthCheckRanges("external")]));
    expect(ranges).toContain("35.191.0.0/16");
    expect(ranges).toContain("209.85.152.0/22");
    expect(ranges).toContain("209.85.204.0/22");
    // 130.211.0.0/22 probes proxy and internal LBs, never an external passthrough one.
    expect(ranges).not.toContain("130.211.0.0/22");
    for (const r of rules.filter((x) => x.inputs["sourceTags"])) expect(r.inputs["sourceTags"]).toEqual([MASTER_TAG]);
  });

  it("opens nothing beyond 6443, etcd, 10250 between masters, and 22 from IAP's TCP-forwarding range only (no other ssh unless configured)", () => {
    const all = of("three", T.firewall);
    const opened = new Set(all.flatMap((r) => ports(r).map(([a, b]) => `${a}-${b}`)));
    expect(opened).toEqual(new Set(["6443-6443", "2379-2380", "10250-10250", "22-22"]));
    const ssh = all.filter((r) => opens(r, 22));
    expect(ssh.map((r) => [r.inputs["name"], r.inputs["sourceRanges"], r.inputs["sourceTags"], r.inputs["targetTags"]])).toEqual([
      ["prod-allow-ssh-from-iap", [GCP_IAP_TCP_FORWARDING_RANGE], undefined, [MASTER_TAG]],
    ]);
    const kubelet = all.filter((r) => opens(r, 10250));
    for (const r of kubelet) expect(r.inputs).toMatchObject({ sourceTags: [MASTER_TAG], targetTags: [MASTER_TAG] });
    for (const r of all) expect(r.inputs["direction"]).toBe("INGRESS");
  });

  it("keeps every private key and token out of plain inputs: metadata, startup script, labels", () => {
    const secretish = /PRIVATE KEY|client-key-data|^\s*token:\s*\S/m;
    for (const r of reg.resources.filter((x) => x.name.startsWith("three"))) {
      const plain = JSON.parse(JSON.stringify(r.inputs)) as Record<string, unknown>;
      for (const path of r.secretInputs) deletePath(plain, path);
      expect(JSON.stringify(plain), `${r.type} ${r.name}`).not.toMatch(secretish);
    }
    for (const inst of of("three", T.instance)) {
      const script = (inst.inputs["metadata"] as Record<string, string>)["startup-script"]!;
      expect(script.startsWith("#!/bin/bash")).toBe(true);
      expect(script).not.toMatch(secretish);
      expect(inst.secretInputs).toEqual([]);
    }
  });

  it("stores each replica's key material as a secret version readable only by the masters' service account", () => {
    for (const master of three.plan.masters) {
      const version = reg.named(`three-${master.name}-pki-version`)!;
      expect(version.secretInputs).toContain("secretData");
      const files = JSON.parse(version.inputs["secretData"] as string) as Record<string, string>;
      expect(Object.keys(files)).toEqual(expect.arrayContaining(["ca.crt", "ca.key", "apiserver.key", "etcd/server.key"]));
      expect(reg.named(`three-${master.name}-pki`)!.inputs["secretId"]).toBe(`prod-${master.name}-pki`);
    }
    const grants = of("three", T.secretAccess);
    expect(grants).toHaveLength(3);
    for (const g of grants) {
      expect(g.inputs).toMatchObject({ role: "roles/secretmanager.secretAccessor", member: "serviceAccount:prod-cp-sa@demo-project.iam.gserviceaccount.com" });
    }
  });

  it("lets the masters list instances for discovery, and nothing more", () => {
    const [role] = of("three", T.customRole);
    expect(role!.inputs["permissions"]).toEqual(["compute.instances.list"]);
  });

  it("outputs the endpoint, the LB address, the replicas, and the admin kubeconfig as a secret", async () => {
    expect(await valueOf(three.endpoint)).toBe(`https://${LB_IP}:6443`);
    expect(await valueOf(three.loadBalancerAddress)).toBe(LB_IP);
    expect(await valueOf(three.replicas)).toEqual(three.plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address })));
    expect(await pulumi.isSecret(three.adminKubeconfig)).toBe(true);
    expect(await valueOf(three.adminKubeconfig)).toContain(`server: https://${LB_IP}:6443`);
  });

});

describe("the project's APIs", () => {
  const API = {
    compute: "compute.googleapis.com",
    secretManager: "secretmanager.googleapis.com",
    iam: "iam.googleapis.com",
    resourceManager: "cloudresourcemanager.googleapis.com",
    iap: "iap.googleapis.com",
  };
  const service = (cp: string, api: string) => {
    const s = of(cp, T.service).find((r) => r.inputs["service"] === api);
    expect(s, `${cp} ${api}`).toBeDefined();
    return childResources.get(`${T.service} ${s!.name}`) ?? s;
  };
  /** The resources a child of `three` was registered to wait for. */
  const waitsFor = (type: string, name: string) => {
    const opts = childOpts.get(`${type} ${name}`);
    expect(opts, `${type} ${name}`).toBeDefined();
    return (opts!.dependsOn ?? []) as pulumi.Resource[];
  };

  it("enables compute, Secret Manager, IAM, Resource Manager and IAP, and leaves them on when destroyed", () => {
    const services = of("three", T.service);
    expect(services.map((s) => s.inputs["service"]).sort()).toEqual(Object.values(API).sort());
    for (const s of services) {
      expect(s.inputs["disableOnDestroy"]).toBe(false);
      expect(s.inputs["project"]).toBeUndefined();
    }
  });

  it("does not enable IAP when no removal step tunnels through it", () => {
    expect(of("internal", T.service).map((s) => s.inputs["service"]).sort()).toEqual(
      [API.compute, API.secretManager, API.iam, API.resourceManager].sort(),
    );
  });

  it("makes every compute resource wait for the Compute Engine API", () => {
    const compute = service("three", API.compute);
    const names: [string, string][] = [
      [T.network, "three-network"],
      [T.subnetwork, "three-subnet"],
      [T.router, "three-router"],
      [T.routerNat, "three-nat"],
      [T.address, "three-api-address"],
      [T.health, "three-api-health"],
      [T.backend, "three-api-backend"],
      [T.forwarding, "three-api-forwarding"],
      ...of("three", T.firewall).map((r) => [T.firewall, r.name] as [string, string]),
      ...of("three", T.group).map((r) => [T.group, r.name] as [string, string]),
    ];
    for (const m of three.plan.masters) {
      names.push([T.address, `three-${m.name}-address`], [T.disk, `three-${m.name}-etcd-disk`], [T.instance, `three-${m.name}-instance`], [T.membership, `three-${m.name}-lb-member`]);
    }
    expect(names.length).toBeGreaterThan(20);
    for (const [type, name] of names) expect(waitsFor(type, name), name).toContain(compute);
  });

  it("makes each replica's secret, version and access wait for Secret Manager, and its instance for them", () => {
    const sm = service("three", API.secretManager);
    for (const m of three.plan.masters) {
      for (const [type, suffix] of [[T.secret, "pki"], [T.secretVersion, "pki-version"], [T.secretAccess, "pki-access"]] as const) {
        expect(waitsFor(type, `three-${m.name}-${suffix}`), `${m.name} ${suffix}`).toContain(sm);
      }
      const instance = waitsFor(T.instance, `three-${m.name}-instance`);
      expect(instance).toContain(childResources.get(`${T.secretVersion} three-${m.name}-pki-version`));
      expect(instance).toContain(childResources.get(`${T.secretAccess} three-${m.name}-pki-access`));
    }
  });

  it("makes the masters' identity wait for IAM (and its project binding for Resource Manager)", () => {
    for (const [type, name] of [[T.account, "three-masters"], [T.customRole, "three-discovery-role"], [T.projectIam, "three-discovery-binding"]]) {
      expect(waitsFor(type!, name!), name).toEqual([service("three", API.iam), service("three", API.resourceManager)]);
    }
  });

  it("enables IAP before each machine, so before its removal command, which tunnels through IAP", () => {
    const iap = service("three", API.iap);
    for (const m of three.plan.masters) {
      const instance = childResources.get(`${T.instance} three-${m.name}-instance`);
      expect(waitsFor(T.instance, `three-${m.name}-instance`)).toContain(iap);
      expect(waitsFor(T.removal, `three-${m.name}-member-removal`)).toEqual([instance]);
    }
  });

  it("are cluster-wide: a 5-replica stack enables the same APIs with identical inputs", () => {
    const three3 = of("three", T.service);
    const five5 = of("five", T.service);
    expect(five5.map((s) => s.name.replace(/^five-/, ""))).toEqual(three3.map((s) => s.name.replace(/^three-/, "")));
    for (let i = 0; i < three3.length; i++) expect(normalised("five", five5[i]!)).toBe(normalised("three", three3[i]!));
  });
});

describe("adding replicas", () => {
  it("leaves the 3 existing replicas' instances, disks, addresses and secrets with identical inputs", () => {
    for (const master of three.plan.masters) {
      for (const suffix of ["instance", "etcd-disk", "address", "pki", "pki-version", "pki-access", "lb-member"]) {
        const a = reg.named(`three-${master.name}-${suffix}`);
        const b = reg.named(`five-${master.name}-${suffix}`);
        expect(a, `three-${master.name}-${suffix}`).toBeDefined();
        expect(normalised("five", b!), `${master.name}-${suffix}`).toBe(normalised("three", a!));
      }
    }
  });

  it("only adds the new replicas' resources", () => {
    const names = (prefix: string) => new Set(reg.resources.filter((r) => r.name.startsWith(`${prefix}-`)).map((r) => r.name.slice(prefix.length)));
    const before = names("three");
    const after = names("five");
    for (const n of before) expect(after.has(n), n).toBe(true);
    const added = [...after].filter((n) => !before.has(n));
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((n) => /-master-[bcd]-2-/.test(n))).toBe(true);
  });
});

describe("the internal scheme", () => {
  it("uses an internal address, backend service and forwarding rule on 6443 in the masters' subnet", () => {
    const [address] = reg.ofType(T.address).filter((r) => r.name === "internal-api-address");
    expect(address!.inputs).toMatchObject({ addressType: "INTERNAL", address: "10.10.0.5" });
    const [rule] = of("internal", T.forwarding);
    expect(rule!.inputs).toMatchObject({ loadBalancingScheme: "INTERNAL", ports: ["6443"], ipProtocol: "TCP" });
    const ranges = new Set(
      of("internal", T.firewall)
        .filter((r) => opens(r, 6443))
        .flatMap((r) => (r.inputs["sourceRanges"] as string[] | undefined) ?? []),
    );
    expect(ranges).toEqual(new Set([...ALLOWED, "35.191.0.0/16", "130.211.0.0/22"]));
  });
});

describe("the external etcd topology", () => {
  it("runs the members on dedicated etcd VMs outside the LB, reachable on 2379-2380 only from masters and each other", () => {
    const vms = of("external", T.instance).filter((i) => (i.inputs["labels"] as Record<string, string>)["kube-ha-role"] === "etcd");
    expect(vms.map((v) => v.inputs["zone"]).sort()).toEqual(ZONES);
    for (const vm of vms) expect(vm.inputs["tags"]).toEqual(["outer-etcd"]);
    expect(of("external", T.membership)).toHaveLength(3);
    expect(of("external", T.disk)).toHaveLength(3);
    const etcdRules = of("external", T.firewall).filter((r) => opens(r, 2379));
    expect(etcdRules).toHaveLength(1);
    expect(etcdRules[0]!.inputs).toMatchObject({ sourceTags: ["outer-master", "outer-etcd"], targetTags: ["outer-etcd"] });
    expect(etcdRules[0]!.inputs["sourceRanges"]).toBeUndefined();
    // The removal command ssh-es (through IAP) into a surviving etcd VM, never into a master.
    const ssh = of("external", T.firewall).filter((r) => opens(r, 22));
    expect(ssh.map((r) => [r.inputs["sourceRanges"], r.inputs["targetTags"]])).toEqual([[[GCP_IAP_TCP_FORWARDING_RANGE], ["outer-etcd"]]]);
  });
});

describe("bad arguments", () => {
  it("throw a SpecError naming the problems, and register nothing", async () => {
    await quiet(reg);
    const before = reg.resources.length;
    expect(() => new GcpControlPlane("broken", args(2))).toThrow(SpecError);
    expect(() => new GcpControlPlane("broken", { ...args(3), replicas: [{ zone: "us-east1-b" }, { zone: "europe-west1-c" }, { zone: "europe-west1-d" }] })).toThrow(
      /replicas\[0\]\.zone/,
    );
    await quiet(reg);
    expect(reg.resources.length).toBe(before);
    expect(reg.resources.some((r) => r.name.startsWith("broken"))).toBe(false);
  });
});

function deletePath(obj: Record<string, unknown>, path: string): void {
  const parts = path.replace(/\[(\d+)\]/g, ".$1").split(".");
  let cur: unknown = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    if (cur === null || typeof cur !== "object") return;
    cur = (cur as Record<string, unknown>)[parts[i]!];
  }
  if (cur !== null && typeof cur === "object") delete (cur as Record<string, unknown>)[parts[parts.length - 1]!];
}
