import { describe, expect, it } from "vitest";
import { resolveAdd, resolveRemove, resolveReplace } from "../../components/flows/kube-up-env";

const noAdd = { zones: [], names: [], force: false };
const noRemove = { keepNodes: false, force: false };

describe("kube-up compatible environment", () => {
  it("reads the zone variable of the stack's cloud only", () => {
    const env = { KUBE_GCE_ZONE: "europe-west1-c", KUBE_AWS_ZONE: "eu-west-1b" };
    expect(resolveAdd(noAdd, env, "gcp")).toMatchObject({ zones: ["europe-west1-c"] });
    expect(resolveAdd(noAdd, env, "aws")).toMatchObject({ zones: ["eu-west-1b"] });
    expect(resolveAdd(noAdd, { KUBE_GCE_ZONE: "europe-west1-c" }, "aws")).toEqual({ usage: expect.stringContaining("KUBE_AWS_ZONE") });
  });

  it("--zone flags win over KUBE_GCE_ZONE, and KUBE_REPLICA_NAME names a single new replica only", () => {
    const env = { KUBE_GCE_ZONE: "europe-west1-c", KUBE_REPLICA_NAME: "master-x" };
    expect(resolveAdd({ ...noAdd, zones: ["europe-west1-b"] }, env, "gcp")).toEqual({ kind: "add", zones: ["europe-west1-b"], names: ["master-x"], force: false });
    expect(resolveAdd({ ...noAdd, zones: ["europe-west1-b", "europe-west1-d"] }, env, "gcp")).toMatchObject({ names: [] });
  });

  it("remove takes KUBE_REPLICA_NAME before the zone variable, and KUBE_DELETE_NODES=false keeps nodes", () => {
    const env = { KUBE_REPLICA_NAME: "master-c", KUBE_GCE_ZONE: "europe-west1-b", KUBE_DELETE_NODES: "false" };
    expect(resolveRemove(noRemove, env, "gcp")).toEqual({ kind: "remove", target: { name: "master-c" }, keepNodes: true, force: false });
    expect(resolveRemove(noRemove, { KUBE_AWS_ZONE: "eu-west-1a" }, "aws")).toMatchObject({ target: { zone: "eu-west-1a" }, keepNodes: false });
    expect(resolveRemove({ ...noRemove, zone: "europe-west1-d" }, env, "gcp")).toMatchObject({ target: { zone: "europe-west1-d" } });
    expect(resolveRemove(noRemove, { KUBE_DELETE_NODES: "true", KUBE_REPLICA_NAME: "m" }, "gcp")).toMatchObject({ keepNodes: false });
  });

  it("remove refuses a name and a zone together, and asks for one when neither is given", () => {
    expect(resolveRemove({ ...noRemove, name: "a", zone: "b" }, {}, "gcp")).toEqual({ usage: expect.stringContaining("not both") });
    expect(resolveRemove(noRemove, { KUBE_REPLICA_NAME: "  " }, "gcp")).toEqual({ usage: expect.stringContaining("--name NAME or --zone ZONE") });
  });

  it("replace takes KUBE_REPLICA_NAME when --name is absent", () => {
    expect(resolveReplace({}, { KUBE_REPLICA_NAME: "master-d" })).toEqual({ kind: "replace", name: "master-d" });
    expect(resolveReplace({ name: "master-b" }, { KUBE_REPLICA_NAME: "master-d" })).toEqual({ kind: "replace", name: "master-b" });
    expect(resolveReplace({}, {})).toEqual({ usage: expect.stringContaining("--name NAME") });
  });
});
