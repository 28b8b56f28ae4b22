import { describe, expect, it } from "vitest";
import {
  type RemovalScriptInput,
  renderRemovalCreateScript,
  renderRemovalDeleteScript,
} from "../../components/membership/removal-scripts";

const gcp: RemovalScriptInput = {
  cloud: "gcp",
  replica: "master-c",
  etcdMember: true,
  nodeName: "master-c",
  selector: { "kube-ha-cluster": "prod", "kube-ha-role": "master" },
};
const aws: RemovalScriptInput = { ...gcp, cloud: "aws" };

describe("the removal command's delete script", () => {
  it("on GCP finds running survivors by label at delete time and runs the membership script's remove over IAP", () => {
    const s = renderRemovalDeleteScript(gcp);
    expect(s).toContain("replica=master-c");
    expect(s).toContain("--filter 'labels.kube-ha-cluster=prod AND labels.kube-ha-role=master AND status=RUNNING'");
    expect(s).toContain('[ "$name" != "$KUBE_HA_INSTANCE" ]');
    expect(s).toMatch(/gcloud compute ssh "\$name" .*--tunnel-through-iap .*-- sudo \/usr\/local\/bin\/kube-ha-etcd remove "\$replica"/);
    // The member is removed before the Node, and both before the script ends successfully.
    expect(s.indexOf("remove_member || rc=$?")).toBeLessThan(s.lastIndexOf("delete_node"));
  });

  it("on AWS finds running survivors by tag and runs remove through SSM Run Command, waiting a bounded time", () => {
    const s = renderRemovalDeleteScript(aws);
    expect(s).toContain("--filters Name=tag:kube-ha-cluster,Values=prod Name=tag:kube-ha-role,Values=master Name=instance-state-name,Values=running");
    expect(s).toContain(`--parameters '{"commands":["/usr/local/bin/kube-ha-etcd remove master-c"],"executionTimeout":["900"]}'`);
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

  it("for an external etcd VM removes the member but deletes no Node; for a master with external etcd deletes only the Node", () => {
    const vm = renderRemovalDeleteScript({ ...gcp, replica: "etcd-b", nodeName: undefined, selector: { "kube-ha-cluster": "prod", "kube-ha-role": "etcd" } });
    expect(vm).toContain("remove_member || rc=$?");
    expect(vm).not.toContain("kubectl");
    const master = renderRemovalDeleteScript({ ...gcp, etcdMember: false });
    expect(master).not.toContain("kube-ha-etcd remove");
    expect(master).toContain("kubectl --kubeconfig");
  });

  it("refuses to embed names that could break out of the script", () => {
    expect(() => renderRemovalDeleteScript({ ...gcp, replica: "x; rm -rf /" })).toThrow(/not safe/);
    expect(() => renderRemovalDeleteScript({ ...gcp, selector: { "kube-ha-cluster": "a' OR '1" } })).toThrow(/not safe/);
    expect(() => renderRemovalDeleteScript({ ...gcp, selector: {} })).toThrow(/selector is empty/);
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
