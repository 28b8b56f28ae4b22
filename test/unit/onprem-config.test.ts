import { describe, expect, it } from "vitest";
import { checkOnpremConfig, parseOnpremConfig } from "../../components/platforms/onprem/config";
import { SpecError } from "../../components/spec/errors";
import { plaintextCredentialFindings } from "../../components/spec/plaintext-credentials";
import { SSH_KEY, VRRP_PASSWORD, onpremMasters, onpremStack, withEndpoint } from "../support/onprem-fixture";

const masters = onpremMasters(3);
const replicaAt = (i: number, change: Record<string, unknown>) => masters.map((m, j) => (j === i ? { ...m, ...change } : m));
const nginx = (loadBalancers: unknown, more: Record<string, unknown> = {}) => withEndpoint({ mode: "nginx-stream", loadBalancers, ...more }, { vrrpPassword: undefined });
const lbA = { name: "lb-a", address: "192.168.10.21" };
const lbB = { name: "lb-b", address: "192.168.10.22" };
const external = (more: Record<string, unknown> = {}, stack: Record<string, unknown> = {}) =>
  withEndpoint({ mode: "external", ...more }, { vrrpPassword: undefined, ...stack });

interface Row {
  rule: string;
  raw: Record<string, unknown>;
  key: string;
  value: string;
  message: RegExp;
}

// One row per rule: the input, the key and value its message names, and the fix.
const rows: Row[] = [
  { rule: "no hosts' subnet", raw: onpremStack({ networkCidr: undefined }), key: "kube-ha:networkCidr", value: "(not set)", message: /the hosts' subnet, which kube-ha cannot guess: set it, e.g\. 192\.168\.10\.0\/24/ },
  { rule: "a subnet with no room", raw: onpremStack({ networkCidr: "192.168.10.10/31", replicas: [{ name: "cp-1", zone: "rack-1", address: "192.168.10.10" }] }), key: "kube-ha:networkCidr", value: "192.168.10.10/31", message: /no room for hosts and a VIP: give the hosts' whole subnet, \/30 or larger/ },
  { rule: "a host outside the subnet", raw: onpremStack({ replicas: replicaAt(1, { address: "192.168.20.12" }) }), key: "kube-ha:replicas[1].address", value: "192.168.20.12", message: /outside networkCidr 192\.168\.10\.0\/24: a host must be on the hosts' subnet; use an address inside it/ },
  { rule: "a host on the network address", raw: onpremStack({ replicas: replicaAt(0, { address: "192.168.10.0" }) }), key: "kube-ha:replicas[0].address", value: "192.168.10.0", message: /the network address of 192\.168\.10\.0\/24: use one from 192\.168\.10\.1 to 192\.168\.10\.254/ },
  { rule: "a host on the broadcast address", raw: onpremStack({ replicas: replicaAt(2, { address: "192.168.10.255" }) }), key: "kube-ha:replicas[2].address", value: "192.168.10.255", message: /the broadcast address of 192\.168\.10\.0\/24/ },
  { rule: "two hosts with one address", raw: onpremStack({ replicas: replicaAt(2, { address: "192.168.10.11" }) }), key: "kube-ha:replicas[2].address", value: "192.168.10.11", message: /duplicate address \(also replicas\[0\]\): give each host its own address/ },
  { rule: "two hosts with one name", raw: onpremStack({ replicas: replicaAt(1, { name: "cp-1" }) }), key: "kube-ha:replicas[1].name", value: "cp-1", message: /duplicate host name \(also replicas\[0\]\)/ },
  { rule: "a host name no resource name allows", raw: onpremStack({ replicas: replicaAt(0, { name: "CP_1" }) }), key: "kube-ha:replicas[0].name", value: "CP_1", message: /use e\.g\. "cp-1"/ },
  { rule: "a failure domain that is not a DNS label", raw: onpremStack({ replicas: replicaAt(0, { zone: "Rack 1" }) }), key: "kube-ha:replicas[0].zone", value: "Rack 1", message: /not a failure-domain name: name the host's rack or room as a DNS label, e.g\. "rack-1"/ },
  { rule: "a host without an address", raw: onpremStack({ replicas: [{ name: "cp-1", zone: "rack-1" }] }), key: "kube-ha:replicas[0].address", value: "(not set)", message: /this key is required/ },
  { rule: "the zone shorthand (no addresses)", raw: onpremStack({ replicaZones: ["rack-1", "rack-2", "rack-3"] }), key: "kube-ha:replicaZones", value: "rack-1", message: /need their addresses.*list them in replicas as \{ name, zone, address \}/ },
  { rule: "two masters", raw: onpremStack({ replicas: onpremMasters(2) }), key: "kube-ha:replicas", value: "cp-1", message: /2 replica\(s\): a 2-replica etcd is less available than 1: use 1 or 3/ },
  { rule: "four masters", raw: onpremStack({ replicas: onpremMasters(4) }), key: "kube-ha:replicas", value: "cp-1", message: /4 etcd members tolerate 1 failure.*use 3 or 5/ },
  { rule: "no masters", raw: onpremStack({ replicas: undefined }), key: "kube-ha:replicas", value: "[]", message: /at least one replica is required/ },
  { rule: "external etcd without members", raw: onpremStack({ etcdTopology: "external" }), key: "kube-ha:etcdMembers", value: "(not set)", message: /etcdTopology: external needs its members: list 3 hosts/ },
  { rule: "etcd members while stacked", raw: onpremStack({ etcdMembers: [{ name: "etcd-1", zone: "rack-1", address: "192.168.10.31" }] }), key: "kube-ha:etcdMembers", value: "etcd-1", message: /only used with etcdTopology: external/ },
  { rule: "an etcd member sharing a master's address", raw: onpremStack({ etcdTopology: "external", etcdMembers: [{ name: "etcd-1", zone: "rack-1", address: "192.168.10.11" }] }), key: "kube-ha:etcdMembers[0].address", value: "192.168.10.11", message: /duplicate address \(also replicas\[0\]\)/ },
  { rule: "no VIP", raw: withEndpoint({ interface: "eth0", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.vip", value: "(not set)", message: /keepalived-haproxy needs the VIP: an unused address of networkCidr/ },
  { rule: "a VIP outside the subnet", raw: withEndpoint({ vip: "10.0.0.250", interface: "eth0", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.vip", value: "10.0.0.250", message: /outside networkCidr 192\.168\.10\.0\/24: the VIP must be on the hosts' subnet/ },
  { rule: "a VIP that is a host's address", raw: withEndpoint({ vip: "192.168.10.12", interface: "eth0", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.vip", value: "192.168.10.12", message: /is replicas\[1\]'s address: the VIP must be an address no host has/ },
  { rule: "a VIP on the broadcast address", raw: withEndpoint({ vip: "192.168.10.255", interface: "eth0", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.vip", value: "192.168.10.255", message: /the broadcast address of 192\.168\.10\.0\/24/ },
  { rule: "a VIP prefix that is not the subnet's", raw: withEndpoint({ vip: "192.168.10.250", prefixLength: 16, interface: "eth0", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.prefixLength", value: "16", message: /use 24, or omit it/ },
  { rule: "a VRRP router id of 0", raw: withEndpoint({ vip: "192.168.10.250", interface: "eth0", virtualRouterId: 0 }), key: "kube-ha:onprem.endpoint.virtualRouterId", value: "0", message: /^too small: use a number ≥ 1$/ },
  { rule: "a VRRP router id of 256", raw: withEndpoint({ vip: "192.168.10.250", interface: "eth0", virtualRouterId: 256 }), key: "kube-ha:onprem.endpoint.virtualRouterId", value: "256", message: /^too large: use a number ≤ 255$/ },
  { rule: "no VRRP router id", raw: withEndpoint({ vip: "192.168.10.250", interface: "eth0" }), key: "kube-ha:onprem.endpoint.virtualRouterId", value: "(not set)", message: /pick 1–255, one no other VRRP group on the hosts' segment uses/ },
  { rule: "no VIP interface", raw: withEndpoint({ vip: "192.168.10.250", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.interface", value: "(not set)", message: /needs the interface carrying the hosts' subnet on cp-1, cp-2, cp-3: set it \(e\.g\. eth0\)/ },
  { rule: "an interface name Linux refuses", raw: withEndpoint({ vip: "192.168.10.250", interface: "enp0s31f6-uplink0", virtualRouterId: 51 }), key: "kube-ha:onprem.endpoint.interface", value: "enp0s31f6-uplink0", message: /not a Linux interface name \(at most 15/ },
  { rule: "a misspelt endpoint mode", raw: withEndpoint({ mode: "nginx_stream", loadBalancers: [lbA] }, { vrrpPassword: undefined }), key: "kube-ha:onprem.endpoint.mode", value: "nginx_stream", message: /use one of "keepalived-haproxy", "nginx-stream", "external" \(did you mean "nginx-stream"\?\)/ },
  { rule: "an unknown endpoint key", raw: withEndpoint({ vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51, unicast: false }), key: "kube-ha:onprem.endpoint.unicast", value: "false", message: /unknown key: remove it \(known keys of onprem\.endpoint: mode, vip, / },
  { rule: "nginx-stream without load balancers", raw: nginx([]), key: "kube-ha:onprem.endpoint.loadBalancers", value: "[]", message: /nginx-stream needs at least one load-balancer host/ },
  { rule: "an nginx load balancer on a master", raw: nginx([{ name: "lb-a", address: "192.168.10.11" }]), key: "kube-ha:onprem.endpoint.loadBalancers[0].address", value: "192.168.10.11", message: /is a master's address: nginx would collide with the apiserver on :6443/ },
  { rule: "two nginx load balancers without one name for them", raw: nginx([lbA, lbB]), key: "kube-ha:apiServerDnsName", value: "(not set)", message: /2 load balancers need one name for the endpoint: set apiServerDnsName to a DNS name that resolves to every one of them \(192\.168\.10\.21, 192\.168\.10\.22\)/ },
  { rule: "a keepalived key in nginx-stream mode", raw: nginx([lbA], { vip: "192.168.10.250" }), key: "kube-ha:onprem.endpoint.vip", value: "192.168.10.250", message: /only used with mode: keepalived-haproxy: remove it/ },
  { rule: "external without an address or a name", raw: external(), key: "kube-ha:onprem.endpoint.address", value: "(not set)", message: /external needs your load balancer's address: set onprem\.endpoint\.address, or its DNS name in apiServerDnsName/ },
  { rule: "an external endpoint on a host's address", raw: external({ address: "192.168.10.13" }), key: "kube-ha:onprem.endpoint.address", value: "192.168.10.13", message: /is replicas\[2\]'s address: give your load balancer's own address/ },
  { rule: "an ssh port of 0", raw: onpremStack({ onprem: { ssh: { user: "ubuntu", port: 0 }, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } } }), key: "kube-ha:onprem.ssh.port", value: "0", message: /^too small: use a number ≥ 1$/ },
  { rule: "an ssh port above 65535", raw: onpremStack({ onprem: { ssh: { user: "ubuntu", port: 70000 }, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } } }), key: "kube-ha:onprem.ssh.port", value: "70000", message: /^too large: use a number ≤ 65535$/ },
  { rule: "no ssh user", raw: onpremStack({ onprem: { ssh: {}, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } } }), key: "kube-ha:onprem.ssh.user", value: "(not set)", message: /this key is required/ },
  { rule: "an ssh user that is not a login name", raw: onpremStack({ onprem: { ssh: { user: "Ubuntu Admin" }, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } } }), key: "kube-ha:onprem.ssh.user", value: "Ubuntu Admin", message: /not a login name: use the user ssh logs in as/ },
  { rule: "an override for a host that does not exist", raw: onpremStack({ onprem: { ssh: { user: "ubuntu" }, hosts: { "cp-9": { port: 2222 } }, endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 } } }), key: "kube-ha:onprem.hosts.cp-9", value: "cp-9", message: /no host is named cp-9: use one of cp-1, cp-2, cp-3, or remove it/ },
  { rule: "a VIP interface override outside keepalived-haproxy", raw: { ...nginx([lbA]), onprem: { ssh: { user: "ubuntu" }, hosts: { "cp-1": { interface: "eth1" } }, endpoint: { mode: "nginx-stream", loadBalancers: [lbA] } } }, key: "kube-ha:onprem.hosts.cp-1.interface", value: "eth1", message: /only used on the masters with mode: keepalived-haproxy/ },
  { rule: "no ssh private key", raw: onpremStack({ sshPrivateKey: undefined }), key: "kube-ha:sshPrivateKey", value: "(not set)", message: /kube-ha reaches the hosts over ssh: .*pulumi config set --secret kube-ha:sshPrivateKey < ~\/\.ssh\/id_ed25519/ },
  { rule: "a path where the ssh key belongs", raw: onpremStack({ sshPrivateKey: "~/.ssh/id_ed25519" }), key: "kube-ha:sshPrivateKey", value: "(secret; not shown)", message: /is a path; kube-ha needs the key itself/ },
  { rule: "an ssh key that is not a private key", raw: onpremStack({ sshPrivateKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 me@host" }), key: "kube-ha:sshPrivateKey", value: "(secret; not shown)", message: /not a private key/ },
  { rule: "no VRRP password", raw: onpremStack({ vrrpPassword: undefined }), key: "kube-ha:vrrpPassword", value: "(not set)", message: /keepalived-haproxy needs the VRRP password the masters share: set 1 to 8 characters with `pulumi config set --secret kube-ha:vrrpPassword`/ },
  { rule: "a VRRP password keepalived would truncate", raw: onpremStack({ vrrpPassword: "correct-horse" }), key: "kube-ha:vrrpPassword", value: "(secret; not shown)", message: /is 13 characters; keepalived uses only the first 8.*use at most 8/ },
  { rule: "a VRRP password keepalived.conf cannot hold", raw: onpremStack({ vrrpPassword: "pa ss#" }), key: "kube-ha:vrrpPassword", value: "(secret; not shown)", message: /takes no spaces, quotes, # or !/ },
  { rule: "a VRRP password that arrived as a number", raw: onpremStack({ vrrpPassword: 12345678 }), key: "kube-ha:vrrpPassword", value: "(secret; not shown)", message: /must be text/ },
  { rule: "a VRRP password without keepalived", raw: external({ address: "192.168.10.240" }, { vrrpPassword: VRRP_PASSWORD }), key: "kube-ha:vrrpPassword", value: "(secret; not shown)", message: /only used with onprem\.endpoint\.mode: keepalived-haproxy \(this stack's is external\): remove it/ },
  { rule: "a machine type", raw: onpremStack({ masterMachineType: "e2-standard-4" }), key: "kube-ha:masterMachineType", value: "e2-standard-4", message: /kube-ha creates no machines on-premises \(the hosts are yours\): remove it/ },
  { rule: "labels", raw: onpremStack({ labels: { team: "infra" } }), key: "kube-ha:labels", value: "infra", message: /take no cloud labels/ },
  { rule: "an existing network", raw: onpremStack({ existingNetwork: { network: "default", subnets: [] } }), key: "kube-ha:existingNetwork", value: "default", message: /on your network already: remove existingNetwork and set networkCidr/ },
  { rule: "a cloud load-balancer scheme", raw: onpremStack({ loadBalancerScheme: "internal" }), key: "kube-ha:loadBalancerScheme", value: "internal", message: /the endpoint is onprem\.endpoint/ },
  { rule: "no onprem settings at all", raw: onpremStack({ onprem: undefined }), key: "kube-ha:onprem", value: "(not set)", message: /this key is required/ },
];

describe("on-premises config: every problem names its key, its value and the fix", () => {
  it.each(rows)("$rule", ({ raw, key, value, message }) => {
    const problems = checkOnpremConfig(raw);
    const hit = problems.find((p) => p.key === key && message.test(p.message));
    expect(hit, JSON.stringify(problems, null, 2)).toBeDefined();
    expect(hit!.value).toContain(value);
  });

  it("the fixture itself is valid (every row fails for its own reason)", () => {
    expect(checkOnpremConfig(onpremStack())).toEqual([]);
    expect(checkOnpremConfig(nginx([lbA, lbB], {}), {})).toHaveLength(1);
    expect(checkOnpremConfig({ ...nginx([lbA, lbB]), apiServerDnsName: "api.dc-berlin.example.com" })).toEqual([]);
    expect(checkOnpremConfig(external({ address: "192.168.10.240" }))).toEqual([]);
    expect(checkOnpremConfig(external({}, { apiServerDnsName: "k8s.corp.example.com" }))).toEqual([]);
  });

  it("reports every problem at once, a structural one not hiding the others", () => {
    const problems = checkOnpremConfig(onpremStack({ replicas: onpremMasters(2), vrrpPassword: "toolongpassword", onprem: { ssh: { user: "ubuntu", port: "22" }, endpoint: { vip: "192.168.10.11", interface: "eth0", virtualRouterId: 51 } } }));
    expect(problems.map((p) => p.key).sort()).toEqual(["kube-ha:onprem.endpoint.vip", "kube-ha:onprem.ssh.port", "kube-ha:replicas", "kube-ha:vrrpPassword"]);
    expect(() => parseOnpremConfig(onpremStack({ vrrpPassword: undefined }))).toThrow(SpecError);
  });

  it("never shows a secret, in part or whole, in a problem", () => {
    const password = "hunter2-and-more";
    const key = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn-not-a-key\n";
    const text = JSON.stringify(checkOnpremConfig(onpremStack({ vrrpPassword: password, sshPrivateKey: key })));
    expect(text).toContain("kube-ha:vrrpPassword");
    expect(text).toContain("kube-ha:sshPrivateKey");
    expect(text).not.toContain("hunter");
    expect(text).not.toContain("b3Blbn");
  });

  it("names keys without a prefix for component arguments", () => {
    expect(checkOnpremConfig(onpremStack({ vrrpPassword: undefined }), { keyPrefix: "" }).map((p) => p.key)).toEqual(["vrrpPassword"]);
  });
});

describe("on-premises config: what a valid stack resolves to", () => {
  it("keeps the site, the subnet, the endpoint, and every host with its ssh settings (per-host overrides applied)", () => {
    const config = parseOnpremConfig(
      onpremStack({
        onprem: {
          ssh: { user: "ubuntu" },
          hosts: { "cp-2": { user: "admin", port: 2222, sshAddress: "10.99.0.12", interface: "bond0" } },
          endpoint: { vip: "192.168.10.250", interface: "eth0", virtualRouterId: 51 },
        },
        sshAllowedCidr: "10.99.0.0/24",
      }),
    );
    expect(config.site).toBe("dc-berlin");
    expect(config.networkCidr).toBe("192.168.10.0/24");
    expect(config.endpoint).toEqual({ mode: "keepalived-haproxy", vip: "192.168.10.250", prefixLength: 24, virtualRouterId: 51 });
    expect(config.sshFrom).toBe("10.99.0.0/24");
    expect(config.hosts).toEqual([
      { name: "cp-1", role: "master", zone: "rack-1", address: "192.168.10.11", ssh: { host: "192.168.10.11", user: "ubuntu", port: 22 }, interface: "eth0" },
      { name: "cp-2", role: "master", zone: "rack-2", address: "192.168.10.12", ssh: { host: "10.99.0.12", user: "admin", port: 2222 }, interface: "bond0" },
      { name: "cp-3", role: "master", zone: "rack-3", address: "192.168.10.13", ssh: { host: "192.168.10.13", user: "ubuntu", port: 22 }, interface: "eth0" },
    ]);
    expect(config.secretKeys).toEqual({ sshPrivateKey: "sshPrivateKey", vrrpPassword: "vrrpPassword" });
    expect(JSON.stringify(config)).not.toContain(VRRP_PASSWORD);
    expect(JSON.stringify(config)).not.toContain(SSH_KEY.slice(40, 60));
    expect(config.warnings).toEqual([]);
  });

  it("takes the VIP interface per host where the default has none", () => {
    const hosts = Object.fromEntries(masters.map((m) => [m.name, { interface: "ens3" }]));
    const config = parseOnpremConfig(onpremStack({ onprem: { ssh: { user: "root" }, hosts, endpoint: { vip: "192.168.10.250", virtualRouterId: 7 } } }));
    expect(config.hosts.map((h) => h.interface)).toEqual(["ens3", "ens3", "ens3"]);
  });

  it("warns that one nginx load balancer is a single point of failure, and lists it as a host", () => {
    const config = parseOnpremConfig(nginx([lbA]));
    expect(config.warnings).toEqual([expect.stringMatching(/loadBalancers has one host \(lb-a\): it is a single point of failure/)]);
    expect(config.hosts.map((h) => [h.name, h.role])).toContainEqual(["lb-a", "load-balancer"]);
    expect(config.secretKeys).toEqual({ sshPrivateKey: "sshPrivateKey" });
  });

  it("warns when every master is in one failure domain", () => {
    const sameRack = masters.map((m) => ({ ...m, zone: "rack-1" }));
    expect(parseOnpremConfig(onpremStack({ replicas: sameRack })).warnings).toEqual([expect.stringMatching(/every master is in failure domain rack-1: losing it loses the control plane/)]);
  });
});

describe("on-premises secrets in plain text (spec/plaintext-credentials.ts)", () => {
  it.each([
    ["kube-ha:sshPrivateKey", SSH_KEY],
    ["kube-ha:vrrpPassword", VRRP_PASSWORD],
  ])("refuses %s in plain text, without showing it, and accepts it as a secret", (key, value) => {
    const { problems, warnings } = plaintextCredentialFindings([{ key, value, secret: false }]);
    expect(warnings).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.key).toBe(key);
    expect(problems[0]!.message).toMatch(new RegExp(`in plain text in the stack file.*pulumi config set --secret ${key}\` \\(and rotate it if the file was shared\\)$`));
    expect(JSON.stringify(problems)).not.toContain(value.slice(0, 6) === "-----B" ? "b3Blbn" : value);
    expect(plaintextCredentialFindings([{ key, value, secret: true }]).problems).toEqual([]);
  });

  it("still offers the cloud credentials their environment alternative", () => {
    const { problems } = plaintextCredentialFindings([{ key: "aws:token", value: "FwoGZXIvYXdzEXAMPLE", secret: false }]);
    expect(problems[0]!.message).toMatch(/or remove it and use AWS_SESSION_TOKEN or an AWS profile$/);
  });
});
