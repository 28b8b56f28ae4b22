// The ready Pulumi program: stack config → validated spec → plan → the chosen cloud's control plane.
import * as pulumi from "@pulumi/pulumi";
import { parseClusterSpec } from "./components/spec/validate";
import { rawConfigFromPulumi } from "./components/spec/stack-config";
import { planControlPlane } from "./components/plan/control-plane-plan";

const spec = parseClusterSpec(rawConfigFromPulumi(pulumi.runtime.allConfig()), { stackName: pulumi.getStack() });
const plan = planControlPlane(spec);

export const replicas = plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address }));
export const etcdQuorum = plan.etcd.quorum;
