import * as pulumi from "@pulumi/pulumi";
import { AwsControlPlane } from "./aws/control-plane";
import { GcpControlPlane } from "./gcp/control-plane";
import { planControlPlane } from "./plan/control-plane-plan";
import type { ControlPlanePlan } from "./plan/types";
import type { ClusterSpec } from "./spec/cluster-spec";
import { SpecError } from "./spec/errors";
import type { Cloud, ClusterSpecInput } from "./spec/schema";
import { CONFIG_NAMESPACE, rawConfigFromPulumi } from "./spec/stack-config";
import { parseClusterSpec } from "./spec/validate";

/**
 * The ready program: stack config → the chosen cloud's control plane →
 * stack outputs. `index.ts` runs it under the Pulumi engine; the offline
 * preview runs it on the mock runtime. It registers nothing when the config
 * is bad: the spec is parsed and planned first, and a SpecError (every
 * problem, with its `kube-ha:` key, value and fix) is thrown before any
 * resource exists.
 */

/** What the program needs from a cloud's control-plane component. */
export interface ControlPlaneOutputs {
  endpoint: pulumi.Output<string>;
  loadBalancerAddress: pulumi.Output<string>;
  adminKubeconfig: pulumi.Output<string>;
}

export type ControlPlaneArgs = Omit<ClusterSpecInput, "cloud">;
type ControlPlaneFactory = (name: string, args: ControlPlaneArgs) => ControlPlaneOutputs;

/** The control-plane component of each cloud. */
const CONTROL_PLANES: Partial<Record<Cloud, ControlPlaneFactory>> = {
  gcp: (name, args) => new GcpControlPlane(name, args),
  aws: (name, args) => new AwsControlPlane(name, args),
};

export interface StackOutputs {
  endpoint: pulumi.Output<string>;
  loadBalancerAddress: pulumi.Output<string>;
  replicas: { name: string; zone: string; address: string }[];
  adminKubeconfig: pulumi.Output<string>;
  etcdQuorum: number;
  etcdToleratedFailures: number;
}

export interface KubeHaProgram {
  stack: string;
  spec: ClusterSpec;
  plan: ControlPlanePlan;
  outputs: StackOutputs;
}

export function kubeHaProgram(): KubeHaProgram {
  const stack = pulumi.getStack();
  const raw = rawConfigFromPulumi(pulumi.runtime.allConfig());
  const spec = parseClusterSpec(raw, { stackName: stack, keyPrefix: `${CONFIG_NAMESPACE}:` });
  const plan = planControlPlane(spec);
  const build = CONTROL_PLANES[spec.cloud];
  if (!build) {
    throw new SpecError([
      {
        key: `${CONFIG_NAMESPACE}:cloud`,
        value: JSON.stringify(spec.cloud),
        message: `this build of kube-ha has no ${spec.cloud} control plane yet: use ${Object.keys(CONTROL_PLANES).join(" or ") || "another cloud"}`,
      },
    ]);
  }
  const { cloud: _cloud, ...rest } = raw as ClusterSpecInput;
  const args: ControlPlaneArgs = { ...rest, clusterName: spec.clusterName };
  const cp = withStackKeys(() => build(spec.clusterName, args));
  return {
    stack,
    spec,
    plan,
    outputs: {
      endpoint: cp.endpoint,
      loadBalancerAddress: cp.loadBalancerAddress,
      replicas: plan.masters.map((m) => ({ name: m.name, zone: m.zone, address: m.address })),
      adminKubeconfig: pulumi.secret(cp.adminKubeconfig),
      etcdQuorum: plan.etcd.quorum,
      etcdToleratedFailures: plan.etcd.toleratedFailures,
    },
  };
}

/** A component's own checks name keys without a prefix; in a stack they are `kube-ha:` keys. */
function withStackKeys<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SpecError) {
      throw new SpecError(
        e.problems.map((p) => (p.key.startsWith(`${CONFIG_NAMESPACE}:`) ? p : { ...p, key: `${CONFIG_NAMESPACE}:${p.key}` })),
      );
    }
    throw e;
  }
}
