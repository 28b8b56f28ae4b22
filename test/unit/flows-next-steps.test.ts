import { describe, expect, it } from "vitest";
import { kubeHaCommand, pulumiCommand, shellWord } from "../../components/flows/command-line";
import { formatNextSteps, nextSteps } from "../../components/flows/next-steps";
import { planRequest, stageTexts } from "../../components/flows/replica-flow";
import { planFromStackText } from "../../components/flows/stack-plan";
import type { ReplicaChange } from "../../components/plan/replica-change";

/** A stack whose master-c was given an address by hand (not the planner's first host of its zone). */
const PINNED = `config:
  kube-ha:cloud: gcp
  kube-ha:region: europe-west1
  kube-ha:replicas:
    - { name: master-b, zone: europe-west1-b }
    - { name: master-c, zone: europe-west1-c, address: 10.10.32.50 }
    - { name: master-d, zone: europe-west1-d }
`;

const where = { stack: "prod", projectDir: "/srv/my project", stacksDir: "/srv/my project/stacks", cwd: "/home/ops" };

function replace(text: string, name: string) {
  const loaded = { stack: "prod", file: "/srv/my project/stacks/Pulumi.prod.yaml", text, ...planFromStackText(text, "prod") };
  const change = planRequest(loaded, { kind: "replace", name }) as ReplicaChange;
  expect(change.ok).toBe(true);
  return { loaded, change, texts: stageTexts(loaded, change) };
}

describe("what to run after a change stops at a stage", () => {
  it("says when the add-back, planned from the file as it is then, would give the replica another address", () => {
    const { loaded, change, texts } = replace(PINNED, "master-c");
    const steps = nextSteps({ loaded, change, texts, at: 0, where, keepNodes: false });
    expect(steps.commands).toEqual(["kube-ha add-replica --stack prod --stacks-dir '/srv/my project/stacks' --zone europe-west1-c --name master-c"]);
    expect(steps.notes).toContain("planned from the file as it is now, master-c gets address 10.10.32.10, not 10.10.32.50");
  });

  it("passes --force when the change lands on an even count (a replace in a 4-replica stack)", () => {
    const four = `${PINNED}    - { name: master-b-2, zone: europe-west1-b }\n  kube-ha:allowEvenReplicaCount: true\n`;
    const { loaded, change, texts } = replace(four, "master-d");
    const steps = nextSteps({ loaded, change, texts, at: 0, where, keepNodes: false });
    expect(steps.commands).toEqual(["kube-ha add-replica --stack prod --stacks-dir '/srv/my project/stacks' --zone europe-west1-d --name master-d --force"]);
    expect(steps.notes.filter((n) => n.includes("refused"))).toEqual([]);
  });

  it("numbers the commands only when there are several, and prints every note", () => {
    const { loaded, change, texts } = replace(PINNED, "master-b");
    const text = formatNextSteps(nextSteps({ loaded, change, texts, at: 0, where, keepNodes: true }));
    expect(text).toContain("  1. KUBE_HA_SKIP_MEMBER_REMOVAL=false KUBE_HA_KEEP_NODES=true pulumi up --stack prod --cwd '/srv/my project'\n");
    expect(text).toContain("  2. kube-ha add-replica");
    expect(text).toContain("note: once this up has started, do not put the old stack file back");
    expect(formatNextSteps({ up: "pulumi up --stack prod", commands: [], notes: [] })).toBe("  pulumi up --stack prod\n");
  });
});

describe("command lines", () => {
  it("quotes for a POSIX shell only what needs it", () => {
    expect(shellWord("europe-west1-b")).toBe("europe-west1-b");
    expect(shellWord("/tmp/a b")).toBe("'/tmp/a b'");
    expect(shellWord("it's")).toBe(`'it'\\''s'`);
  });

  it("adds --cwd and --stacks-dir only when the person is not in the project", () => {
    const inside = { stack: "s", projectDir: "/p", stacksDir: "/p/stacks", cwd: "/p" };
    expect(pulumiCommand("up", inside)).toBe("pulumi up --stack s");
    expect(kubeHaCommand("destroy", inside, ["--yes"])).toBe("kube-ha destroy --stack s --yes");
    expect(pulumiCommand("destroy", { ...inside, cwd: "/x" }, { A: "1" })).toBe("A=1 pulumi destroy --stack s --cwd /p");
  });
});
