import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderJoinWaitScript } from "../../components/membership/join-wait-script";
import {
  type RemovalScriptInput,
  renderRemovalCreateScript,
  renderRemovalDeleteScript,
} from "../../components/membership/removal-scripts";
import { awsRemovalTransport } from "../../components/platforms/aws/removal";
import { GCP_MASTER_REMOVAL } from "../support/removal-inputs";

/**
 * The removal and join-wait commands' scripts, for real: shellcheck on every
 * variant, and bash running them against stub `gcloud`, `aws`, `kubectl` and
 * `sleep` executables that record their arguments and answer as the cloud
 * and the apiserver would. Every stub notes it if it inherited the admin
 * kubeconfig's environment variable.
 */

const run = promisify(execFile);

const gcp = GCP_MASTER_REMOVAL;
const aws: RemovalScriptInput = { ...gcp, transport: awsRemovalTransport };
const etcdVm: RemovalScriptInput = { ...gcp, replica: "etcd-c", peerUrl: "https://10.0.0.22:2380", nodeName: undefined, selector: { "kube-ha-cluster": "prod", "kube-ha-role": "etcd" } };

const LEAK = `[ -z "\${KUBE_HA_ADMIN_KUBECONFIG:-}" ] || echo "$0" >>"$STUB_DIR/leak"`;
/** Counts calls of one kind in a file and succeeds once more than $2 were made. */
const COUNT = `count() { local n; n=$(( $(cat "$STUB_DIR/$1" 2>/dev/null || echo 0) + 1 )); echo "$n" >"$STUB_DIR/$1"; [ "$n" -gt "\${2:-0}" ]; }`;

const STUBS: Record<string, string> = {
  gcloud: `#!/bin/bash
printf 'gcloud %s\\n' "$*" >>"$STUB_LOG"
${LEAK}
case "$1 $2" in
  "compute instances")
    [ "\${FAKE_GCE_LIST_RC:-0}" = 0 ] || { echo "ERROR: (gcloud) permission denied" >&2; exit "$FAKE_GCE_LIST_RC"; }
    printf '%b' "$FAKE_GCE_LIST" ;;
  "compute ssh")
    var="FAKE_SSH_RC_\${3//-/_}"; exit "\${!var:-0}" ;;
esac
`,
  aws: `#!/bin/bash
printf 'aws %s\\n' "$*" >>"$STUB_LOG"
${LEAK}
arg() { local want=$1; shift; while [ $# -gt 0 ]; do [ "$1" = "$want" ] && { echo "$2"; return; }; shift; done; }
case "$1 $2" in
  "ec2 describe-instances") printf '%b\\n' "$FAKE_AWS_IDS" ;;
  "ssm send-command") id=$(arg --instance-ids "$@"); echo "cmd-$id" ;;
  "ssm get-command-invocation")
    id=$(arg --instance-id "$@"); key=\${id//-/_}; q=$(arg --query "$@")
    status_var="FAKE_SSM_STATUS_$key"; details_var="FAKE_SSM_DETAILS_$key"; code_var="FAKE_SSM_CODE_$key"
    case "$q" in
      Status) echo "\${!status_var:-Success}" ;;
      StatusDetails) echo "\${!details_var:-Success}" ;;
      ResponseCode) echo "\${!code_var:-0}" ;;
      *) echo "output of $id" ;;
    esac ;;
esac
`,
  kubectl: `#!/bin/bash
printf 'kubectl %s\\n' "$*" >>"$STUB_LOG"
cp "$2" "$STUB_DIR/kubeconfig-seen"
stat -c %a "$2" >"$STUB_DIR/kubeconfig-mode"
echo "$2" >"$STUB_DIR/kubeconfig-path"
${LEAK}
${COUNT}
case " $* " in
  *" get pod "*) count gets "\${FAKE_POD_AFTER:-0}" ;;
  *" wait "*) count waits "\${FAKE_READY_AFTER:-0}" ;;
  *" delete node "*) count deletes "\${FAKE_KUBECTL_FAILS:-0}" && exit "\${FAKE_KUBECTL_RC:-0}" ;;
  *) exit "\${FAKE_KUBECTL_RC:-0}" ;;
esac
`,
  sleep: `#!/bin/bash
printf '%s\\n' "$*" >>"$STUB_DIR/sleeps"
`,
};

let dir: string;
let bin: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-ha-removal-"));
  bin = path.join(dir, "bin");
  fs.mkdirSync(bin);
  fs.mkdirSync(path.join(dir, "empty"));
  for (const [name, text] of Object.entries(STUBS)) fs.writeFileSync(path.join(bin, name), text, { mode: 0o755 });
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface ScriptRun {
  code: number;
  stderr: string;
  calls: string[];
  kubeconfigSeen?: string;
  kubeconfigMode?: string;
  kubeconfigLeft: boolean;
  /** Stubs that inherited KUBE_HA_ADMIN_KUBECONFIG. */
  leaked: string[];
  /** Arguments of every `sleep`. */
  sleeps: string[];
}

async function runScript(script: string, env: Record<string, string>, opts: { withStubs?: boolean } = {}): Promise<ScriptRun> {
  const log = path.join(dir, "calls.log");
  for (const f of ["calls.log", "kubeconfig-seen", "kubeconfig-mode", "kubeconfig-path", "leak", "sleeps", "gets", "waits", "deletes"]) {
    fs.rmSync(path.join(dir, f), { force: true });
  }
  fs.writeFileSync(log, "");
  // Without stubs: an empty PATH directory (the create script needs only bash builtins).
  const pathVar = opts.withStubs === false ? path.join(dir, "empty") : `${bin}:/usr/bin:/bin`;
  let code = 0;
  let stderr = "";
  try {
    const r = await run("/bin/bash", ["-c", script], { env: { PATH: pathVar, STUB_LOG: log, STUB_DIR: dir, ...env }, timeout: 30_000 });
    stderr = r.stderr;
  } catch (e) {
    const err = e as { code?: number | string; stderr?: string };
    if (err.code === "ENOENT") throw new Error("bash not found");
    code = typeof err.code === "number" ? err.code : -1;
    stderr = err.stderr ?? "";
  }
  const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8").trim() : undefined);
  const kubeconfigPath = read("kubeconfig-path");
  return {
    code,
    stderr,
    calls: fs.readFileSync(log, "utf8").split("\n").filter((l) => l.length > 0),
    ...(read("kubeconfig-seen") !== undefined ? { kubeconfigSeen: read("kubeconfig-seen")! } : {}),
    ...(read("kubeconfig-mode") !== undefined ? { kubeconfigMode: read("kubeconfig-mode")! } : {}),
    kubeconfigLeft: kubeconfigPath !== undefined && fs.existsSync(kubeconfigPath),
    leaked: (read("leak") ?? "").split("\n").filter((l) => l.length > 0),
    sleeps: (read("sleeps") ?? "").split("\n").filter((l) => l.length > 0),
  };
}

const KUBECONFIG = "apiVersion: v1\nkind: Config\nusers:\n- name: admin\n  user:\n    client-key-data: c2VjcmV0\n";
const GCP_ENV = { KUBE_HA_GCP_PROJECT: "proj", KUBE_HA_INSTANCE: "prod-master-c", KUBE_HA_ADMIN_KUBECONFIG: KUBECONFIG };
const LIST3 = "prod-master-b\\teurope-west1-b\\nprod-master-c\\teurope-west1-c\\nprod-master-d\\teurope-west1-d\\n";
const AWS_ENV = { KUBE_HA_AWS_REGION: "eu-west-1", KUBE_HA_INSTANCE: "i-c", KUBE_HA_ADMIN_KUBECONFIG: KUBECONFIG };

describe("shellcheck on the removal scripts", () => {
  it("finds every variant clean (fails when shellcheck is missing)", async () => {
    const variants: Record<string, string> = {
      "gcp-delete.sh": renderRemovalDeleteScript(gcp),
      "aws-delete.sh": renderRemovalDeleteScript(aws),
      "gcp-etcd-vm-delete.sh": renderRemovalDeleteScript(etcdVm),
      "aws-master-external-etcd-delete.sh": renderRemovalDeleteScript({ ...aws, etcdMember: false }),
      "gcp-create.sh": renderRemovalCreateScript(gcp),
      "aws-create.sh": renderRemovalCreateScript(aws),
      "join-wait.sh": renderJoinWaitScript({ replica: "master-c", nodeName: "master-c" }),
    };
    for (const [name, script] of Object.entries(variants)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, script);
      try {
        await run("shellcheck", ["--shell=bash", "--severity=style", "--format=gcc", file], { timeout: 30_000 });
      } catch (e) {
        const err = e as NodeJS.ErrnoException & { stdout?: string };
        if (err.code === "ENOENT") throw new Error("shellcheck is not installed: apt-get install shellcheck (.ci/run installs it)");
        expect.fail(`${name}:\n${err.stdout ?? String(e)}`);
      }
    }
  });
});

describe("the GCP delete script against stub gcloud and kubectl", () => {
  it("removes the member through the first running survivor (never the victim), then deletes the Node with a private, cleaned-up kubeconfig", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3 });
    expect(r.code).toBe(0);
    expect(r.calls[0]).toContain("gcloud compute instances list --project proj --filter labels.kube-ha-cluster=prod AND labels.kube-ha-role=master AND status=RUNNING");
    expect(r.calls[1]).toBe("gcloud compute ssh prod-master-b --project proj --zone europe-west1-b --tunnel-through-iap --quiet -- sudo /usr/local/bin/kube-ha-etcd remove master-c --peer-url https://10.0.0.12:2380");
    expect(r.calls[2]).toMatch(/^kubectl --kubeconfig \S+ delete node master-c --ignore-not-found --wait=false$/);
    expect(r.calls).toHaveLength(3);
    expect(r.kubeconfigSeen).toBe(KUBECONFIG.trim());
    expect(r.kubeconfigMode).toBe("600");
    expect(r.kubeconfigLeft).toBe(false);
    expect(r.stderr).not.toContain("c2VjcmV0");
  });

  it("moves on to the next survivor when one cannot be reached (ssh exit 255)", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_SSH_RC_prod_master_b: "255" });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("gcloud compute ssh")).map((c) => c.split(" ")[3])).toEqual(["prod-master-b", "prod-master-d"]);
    expect(r.calls.some((c) => c.startsWith("kubectl"))).toBe(true);
  });

  it("moves on to the next survivor when gcloud itself fails there (1: IAM or OS Login denied; 127: still booting)", async () => {
    for (const rc of ["1", "127"]) {
      const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_SSH_RC_prod_master_b: rc });
      expect(r.code, `exit ${rc}`).toBe(0);
      expect(r.calls.filter((c) => c.startsWith("gcloud compute ssh")).map((c) => c.split(" ")[3])).toEqual(["prod-master-b", "prod-master-d"]);
      expect(r.calls.some((c) => c.startsWith("kubectl"))).toBe(true);
    }
  });

  it("never lets gcloud, ssh or kubectl inherit the admin kubeconfig's variable: it is in a private file before they run", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3 });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("gcloud"))).toHaveLength(2);
    expect(r.leaked).toEqual([]);
    expect(r.kubeconfigSeen).toBe(KUBECONFIG.trim());
    const vm = await runScript(renderRemovalDeleteScript(etcdVm), { ...GCP_ENV, FAKE_GCE_LIST: LIST3 });
    expect(vm.code).toBe(0);
    expect(vm.leaked).toEqual([]);
  });

  it("retries deleting the Node while the apiserver does not answer, then succeeds", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_KUBECTL_FAILS: "2" });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("kubectl"))).toHaveLength(3);
    expect(r.sleeps).toEqual(["5", "5"]);
    expect(r.kubeconfigLeft).toBe(false);
  });

  it("stops when the membership script refuses (exit 2, e.g. quorum), trying no other member and deleting no Node", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_SSH_RC_prod_master_b: "2" });
    expect(r.code).toBe(1);
    expect(r.calls.filter((c) => c.startsWith("gcloud compute ssh"))).toHaveLength(1);
    expect(r.calls.some((c) => c.startsWith("kubectl"))).toBe(false);
    expect(r.stderr).toContain("the machine is not deleted");
  });

  it("moves on to the next member when etcd is unavailable from the first (exit 3)", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_SSH_RC_prod_master_b: "3" });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("gcloud compute ssh")).map((c) => c.split(" ")[3])).toEqual(["prod-master-b", "prod-master-d"]);
  });

  it("fails when no survivor is reachable, and when discovery itself fails", async () => {
    const unreachable = await runScript(renderRemovalDeleteScript(gcp), {
      ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_SSH_RC_prod_master_b: "255", FAKE_SSH_RC_prod_master_d: "255",
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain("etcd member master-c was not removed");
    const denied = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: "", FAKE_GCE_LIST_RC: "1" });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain("cannot list the running members");
    expect(denied.calls.some((c) => c.startsWith("kubectl"))).toBe(false);
  });

  it("succeeds without doing anything when the victim is the only member left running", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: "prod-master-c\\teurope-west1-c\\n" });
    expect(r.code).toBe(0);
    expect(r.calls).toHaveLength(1);
  });

  it("keeps the Node when the pulumi up process has KUBE_HA_KEEP_NODES=true", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, KUBE_HA_KEEP_NODES: "true" });
    expect(r.code).toBe(0);
    expect(r.calls.some((c) => c.includes("kube-ha-etcd remove master-c"))).toBe(true);
    expect(r.calls.some((c) => c.startsWith("kubectl"))).toBe(false);
  });

  it("does nothing at all with KUBE_HA_SKIP_MEMBER_REMOVAL=true (whole-cluster destroy)", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, KUBE_HA_SKIP_MEMBER_REMOVAL: "true" });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
  });

  it("fails when kubectl cannot delete the Node after 12 attempts 5 s apart, after the member is gone", async () => {
    const r = await runScript(renderRemovalDeleteScript(gcp), { ...GCP_ENV, FAKE_GCE_LIST: LIST3, FAKE_KUBECTL_RC: "1" });
    expect(r.code).toBe(1);
    expect(r.calls.filter((c) => c.startsWith("kubectl"))).toHaveLength(12);
    expect(r.sleeps).toEqual(Array(11).fill("5"));
    expect(r.stderr).toContain("could not delete Node master-c");
    expect(r.kubeconfigLeft).toBe(false);
  });
});

describe("the AWS delete script against stub aws and kubectl", () => {
  it("sends remove to a running survivor through SSM, waits for Success, then deletes the Node", async () => {
    const r = await runScript(renderRemovalDeleteScript(aws), { ...AWS_ENV, FAKE_AWS_IDS: "i-b\\ti-c\\ti-d" });
    expect(r.code).toBe(0);
    const send = r.calls.find((c) => c.startsWith("aws ssm send-command"))!;
    expect(send).toContain("--instance-ids i-b");
    expect(send).toContain('{"commands":["/usr/local/bin/kube-ha-etcd remove master-c --peer-url https://10.0.0.12:2380"],"executionTimeout":["900"]}');
    expect(r.calls.some((c) => c.startsWith("kubectl --kubeconfig"))).toBe(true);
  });

  it("fails on a Failed invocation (the membership script refused) without deleting the Node", async () => {
    const r = await runScript(renderRemovalDeleteScript(aws), { ...AWS_ENV, FAKE_AWS_IDS: "i-b\\ni-c\\ni-d", FAKE_SSM_STATUS_i_b: "Failed", FAKE_SSM_CODE_i_b: "2" });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("refused on i-b (exit 2");
    expect(r.calls.filter((c) => c.startsWith("aws ssm send-command"))).toHaveLength(1);
    expect(r.calls.some((c) => c.startsWith("kubectl"))).toBe(false);
  });

  it("tries the next survivor when the command failed there for any reason but a refusal, and never leaks the kubeconfig to aws", async () => {
    const r = await runScript(renderRemovalDeleteScript(aws), { ...AWS_ENV, FAKE_AWS_IDS: "i-b\\ti-c\\ti-d", FAKE_SSM_STATUS_i_b: "Failed", FAKE_SSM_CODE_i_b: "127" });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("aws ssm send-command")).map((c) => /--instance-ids (\S+)/.exec(c)![1])).toEqual(["i-b", "i-d"]);
    expect(r.leaked).toEqual([]);
  });

  it("tries the next survivor when the command could not be delivered", async () => {
    const r = await runScript(renderRemovalDeleteScript(aws), {
      ...AWS_ENV, FAKE_AWS_IDS: "i-b\\ti-c\\ti-d", FAKE_SSM_STATUS_i_b: "TimedOut", FAKE_SSM_DETAILS_i_b: "Undeliverable",
    });
    expect(r.code).toBe(0);
    expect(r.calls.filter((c) => c.startsWith("aws ssm send-command")).map((c) => /--instance-ids (\S+)/.exec(c)![1])).toEqual(["i-b", "i-d"]);
  });
});

describe("the create script", () => {
  it("exits 0 and only warns when the cloud CLI and kubectl are missing", async () => {
    const r = await runScript(renderRemovalCreateScript(gcp), {}, { withStubs: false });
    expect(r.code).toBe(0);
    expect(r.calls).toEqual([]);
    expect(r.stderr).toMatch(/warning: gcloud is not installed here/);
  });
});

describe("discovery failures on AWS", () => {
  it("fail the delete instead of being mistaken for 'no survivors'", async () => {
    const failing = STUBS.aws!.replace('"ec2 describe-instances") printf', '"ec2 describe-instances") exit 255; printf');
    fs.writeFileSync(path.join(bin, "aws"), failing, { mode: 0o755 });
    try {
      const r = await runScript(renderRemovalDeleteScript(aws), { ...AWS_ENV, FAKE_AWS_IDS: "i-b" });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("cannot list the running members");
    } finally {
      fs.writeFileSync(path.join(bin, "aws"), STUBS.aws!, { mode: 0o755 });
    }
  });
});

describe("the join-wait script against stub kubectl", () => {
  const script = renderJoinWaitScript({ replica: "master-c", nodeName: "master-c" });
  const env = { KUBE_HA_ADMIN_KUBECONFIG: KUBECONFIG };
  const kubectlCalls = (r: ScriptRun) => r.calls.filter((c) => c.startsWith("kubectl"));

  it("waits for the apiserver mirror pod to exist, then to be Ready, with a private kubeconfig it removes and no inherited variable", async () => {
    const r = await runScript(script, { ...env, FAKE_POD_AFTER: "2", FAKE_READY_AFTER: "1" });
    expect(r.code).toBe(0);
    const calls = kubectlCalls(r).map((c) => c.replace(/--kubeconfig \S+/, "--kubeconfig K"));
    expect(calls).toEqual([
      "kubectl --kubeconfig K --request-timeout=10s -n kube-system get pod kube-apiserver-master-c -o name",
      "kubectl --kubeconfig K --request-timeout=10s -n kube-system get pod kube-apiserver-master-c -o name",
      "kubectl --kubeconfig K --request-timeout=10s -n kube-system get pod kube-apiserver-master-c -o name",
      "kubectl --kubeconfig K --request-timeout=10s -n kube-system wait --for=condition=Ready pod/kube-apiserver-master-c --timeout=10s",
      "kubectl --kubeconfig K --request-timeout=10s -n kube-system get pod kube-apiserver-master-c -o name",
      "kubectl --kubeconfig K --request-timeout=10s -n kube-system wait --for=condition=Ready pod/kube-apiserver-master-c --timeout=10s",
    ]);
    expect(r.sleeps).toEqual(["10", "10", "10"]);
    expect(r.kubeconfigSeen).toBe(KUBECONFIG.trim());
    expect(r.kubeconfigMode).toBe("600");
    expect(r.kubeconfigLeft).toBe(false);
    expect(r.leaked).toEqual([]);
    expect(r.stderr).toContain("master-c has joined");
    expect(r.stderr).not.toContain("c2VjcmV0");
  });

  it("is idempotent: a master already up returns at the first poll", async () => {
    const r = await runScript(script, env);
    expect(r.code).toBe(0);
    expect(kubectlCalls(r)).toHaveLength(2);
    expect(r.sleeps).toEqual([]);
  });

  it("gives up after its bounded number of polls, saying where to look", async () => {
    const r = await runScript(renderJoinWaitScript({ replica: "master-c", nodeName: "master-c", rounds: 3 }), { ...env, FAKE_POD_AFTER: "99" });
    expect(r.code).toBe(1);
    expect(kubectlCalls(r)).toHaveLength(3);
    expect(r.sleeps).toEqual(["10", "10"]);
    expect(r.stderr).toContain("journalctl -u kube-ha-boot");
    expect(r.kubeconfigLeft).toBe(false);
  });

  it("skips the wait with KUBE_HA_SKIP_JOIN_WAIT=true, and fails clearly without kubectl or a kubeconfig", async () => {
    const skipped = await runScript(script, { ...env, KUBE_HA_SKIP_JOIN_WAIT: "true" });
    expect(skipped.code).toBe(0);
    expect(skipped.calls).toEqual([]);
    const noKubectl = await runScript(script, env, { withStubs: false });
    expect(noKubectl.code).toBe(1);
    expect(noKubectl.stderr).toContain("kubectl is not installed here");
    const noKubeconfig = await runScript(script, {});
    expect(noKubeconfig.code).toBe(1);
    expect(noKubeconfig.calls).toEqual([]);
  });
});
