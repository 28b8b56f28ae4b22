import { describe, expect, it } from "vitest";
import { JOIN_WAIT_ROUNDS, renderJoinWaitScript } from "../../components/membership/join-wait-script";
import {
  REMOVAL_ENV,
  type RemovalScriptInput,
  renderRemovalCreateScript,
  renderRemovalDeleteScript,
} from "../../components/membership/removal-scripts";
import { awsRemovalTransport } from "../../components/platforms/aws/removal";
import { GCP_MASTER_REMOVAL } from "../support/removal-inputs";

const gcp = GCP_MASTER_REMOVAL;
const aws: RemovalScriptInput = { ...gcp, transport: awsRemovalTransport };

describe("the removal command's delete script", () => {
  it("on GCP finds running survivors by label at delete time and runs the membership script's remove over IAP", () => {
    const s = renderRemovalDeleteScript(gcp);
    expect(s).toContain("replica=master-c");
    expect(s).toContain("--filter 'labels.kube-ha-cluster=prod AND labels.kube-ha-role=master AND status=RUNNING'");
    expect(s).toContain('[ "$name" != "$KUBE_HA_INSTANCE" ]');
    expect(s).toMatch(/gcloud compute ssh "\$name" .*--tunnel-through-iap .*-- sudo \/usr\/local\/bin\/kube-ha-etcd remove "\$replica" --peer-url "\$peer_url"/);
    expect(s).toContain("local peer_url=https://10.0.0.12:2380\n");
    // The member is removed before the Node, and both before the script ends successfully.
    expect(s.indexOf("remove_member || rc=$?")).toBeLessThan(s.lastIndexOf("delete_node"));
  });

  it("on AWS finds running survivors by tag and runs remove through SSM Run Command, waiting a bounded time", () => {
    const s = renderRemovalDeleteScript(aws);
    expect(s).toContain("--filters Name=tag:kube-ha-cluster,Values=prod Name=tag:kube-ha-role,Values=master Name=instance-state-name,Values=running");
    expect(s).toContain(`--parameters '{"commands":["/usr/local/bin/kube-ha-etcd remove master-c --peer-url https://10.0.0.12:2380"],"executionTimeout":["900"]}'`);
    expect(s).toContain("--document-name AWS-RunShellScript");
    expect(s).toMatch(/for _ in \$\(seq 1 200\); do/);
    expect(s).not.toContain("gcloud");
  });

  it("deletes the Node with kubectl and the admin kubeconfig from a secret environment variable, unless KUBE_HA_KEEP_NODES=true", () => {
    const s = renderRemovalDeleteScript(gcp);
    expect(s).toContain('kubectl --kubeconfig "$kubeconfig" delete node master-c --ignore-not-found --wait=false');
    expect(s).toContain('if [ "${KUBE_HA_KEEP_NODES:-false}" = true ]; then');
    expect(s).toContain('printf \'%s\\n\' "$KUBE_HA_ADMIN_KUBECONFIG" >"$kubeconfig"');
    expect(s).toContain("trap cleanup EXIT");
  });

  it("writes the kubeconfig to its private file and unsets the variable before any cloud CLI or ssh runs", () => {
    for (const input of [gcp, aws]) {
      const s = renderRemovalDeleteScript(input);
      const main = s.slice(s.lastIndexOf("\nkubeconfig=''\n"));
      expect(main.indexOf("unset KUBE_HA_ADMIN_KUBECONFIG")).toBeGreaterThan(main.indexOf('>"$kubeconfig"'));
      expect(main.indexOf("unset KUBE_HA_ADMIN_KUBECONFIG")).toBeLessThan(main.indexOf("remove_member || rc=$?"));
    }
    const vm = renderRemovalDeleteScript({ ...gcp, nodeName: undefined });
    expect(vm.indexOf("unset KUBE_HA_ADMIN_KUBECONFIG")).toBeLessThan(vm.indexOf("remove_member || rc=$?"));
  });

  it("retries the Node deletion a bounded number of times (12 × 5 s)", () => {
    const s = renderRemovalDeleteScript(gcp);
    expect(s).toContain("for attempt in $(seq 1 12); do");
    expect(s).toContain("sleep 5");
  });

  it("stops only on the membership script's refusal (exit 2); any other failure on a survivor tries the next", () => {
    const s = renderRemovalDeleteScript(gcp);
    expect(s).toContain('if [ "$rc" -eq 2 ]; then');
    expect(s).not.toMatch(/-ne 255/);
    expect(renderRemovalDeleteScript(aws)).toContain('if [ "$code" = 2 ]; then');
  });

  it("for an external etcd VM removes the member but deletes no Node; for a master with external etcd deletes only the Node", () => {
    const vm = renderRemovalDeleteScript({ ...gcp, replica: "etcd-b", nodeName: undefined, selector: { "kube-ha-cluster": "prod", "kube-ha-role": "etcd" } });
    expect(vm).toContain("remove_member || rc=$?");
    expect(vm).not.toContain("kubectl");
    const master = renderRemovalDeleteScript({ ...gcp, etcdMember: false });
    expect(master).not.toContain("kube-ha-etcd remove");
    expect(master).toContain("kubectl --kubeconfig");
  });

  it("reads every environment variable its transport sets from the instance, and the ones every removal shares", () => {
    const plan = { spec: { region: "eu-west-1" } } as never;
    const instance = { project: "proj", name: "prod-master-c", id: "i-c" } as never;
    for (const input of [gcp, aws]) {
      const s = renderRemovalDeleteScript(input);
      const set = Object.keys(input.transport.environment(instance, plan));
      expect(set).toContain(REMOVAL_ENV.instance);
      for (const name of set) expect(s, name).toContain(`\${${name}:?`);
      for (const name of Object.values(REMOVAL_ENV)) expect(s, name).toContain(name);
    }
  });

  it("refuses to embed names that could break out of the script", () => {
    expect(() => renderRemovalDeleteScript({ ...gcp, replica: "x; rm -rf /" })).toThrow(/not safe/);
    expect(() => renderRemovalDeleteScript({ ...gcp, selector: { "kube-ha-cluster": "a' OR '1" } })).toThrow(/not safe/);
    expect(() => renderRemovalDeleteScript({ ...gcp, selector: {} })).toThrow(/selector is empty/);
    expect(() => renderRemovalDeleteScript({ ...gcp, peerUrl: "https://10.0.0.12:2380; reboot" })).toThrow(/not safe/);
  });

  it("passes the member's planned peer URL to remove, so a member a crashed join added (no name yet) is found; an etcd replica without one is an error", () => {
    for (const input of [gcp, aws]) expect(renderRemovalDeleteScript(input)).toContain("--peer-url");
    const { peerUrl: _dropped, ...noUrl } = gcp;
    expect(() => renderRemovalDeleteScript(noUrl)).toThrow(/needs the member's peer URL/);
    expect(() => renderRemovalDeleteScript({ ...noUrl, etcdMember: false })).not.toThrow();
  });
});

describe("the removal command's create script", () => {
  it("changes nothing: it only warns about missing tools and says what the delete will do", () => {
    const s = renderRemovalCreateScript(gcp);
    expect(s).toContain("for tool in gcloud kubectl; do");
    expect(s).not.toMatch(/gcloud compute|kubectl --|kube-ha-etcd remove/);
    expect(renderRemovalCreateScript(aws)).toContain("for tool in aws kubectl; do");
  });
});

describe("the join-wait command's create script", () => {
  const s = renderJoinWaitScript({ replica: "master-c", nodeName: "master-c" });

  it("waits, bounded, for the replica's apiserver mirror pod to exist and be Ready — not for the Node, which stays NotReady without a CNI", () => {
    expect(s).toContain("-n kube-system get pod kube-apiserver-master-c -o name");
    expect(s).toContain("-n kube-system wait --for=condition=Ready pod/kube-apiserver-master-c --timeout=10s");
    expect(s).not.toMatch(/get node|node\/master-c/);
    expect(s).toContain(`for round in $(seq 1 ${JOIN_WAIT_ROUNDS}); do`);
    expect(s).toContain("deadline=$((SECONDS + 1800))");
    expect(s).toContain('if [ "$round" -ge 180 ] || [ "$SECONDS" -ge "$deadline" ]; then break; fi');
    expect(s).toContain("--request-timeout=10s");
  });

  it("is skipped with KUBE_HA_SKIP_JOIN_WAIT=true, and keeps the kubeconfig in a private file, unsetting its variable", () => {
    expect(s).toContain('if [ "${KUBE_HA_SKIP_JOIN_WAIT:-false}" = true ]; then');
    expect(s.indexOf('>"$kubeconfig"')).toBeLessThan(s.lastIndexOf("unset KUBE_HA_ADMIN_KUBECONFIG"));
    expect(s.lastIndexOf("unset KUBE_HA_ADMIN_KUBECONFIG")).toBeLessThan(s.indexOf("for round in"));
    expect(s).toContain("trap 'rm -f \"$kubeconfig\" \"$probe_err\"' EXIT");
  });

  it("refuses names that could break out of the script, and a non-positive bound", () => {
    expect(() => renderJoinWaitScript({ replica: "x; rm -rf /", nodeName: "x" })).toThrow(/not safe/);
    expect(() => renderJoinWaitScript({ replica: "master-c", nodeName: "master-c", rounds: 0 })).toThrow(/positive integer/);
  });
});
