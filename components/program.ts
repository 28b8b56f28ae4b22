import * as pulumi from "@pulumi/pulumi";
import { PLATFORMS } from "./platforms";
import { planControlPlane } from "./plan/control-plane-plan";
import type { ControlPlanePlan } from "./plan/types";
import type { ClusterSpec } from "./spec/cluster-spec";
import { SpecError } from "./spec/errors";
import { parseStackConfig } from "./spec/stack-checks";
import { CONFIG_NAMESPACE } from "./spec/stack-config";

/**
 * The ready program: stack config → the chosen platform's control plane (through the registry) →
 * stack outputs. `index.ts` runs it under the Pulumi engine; the offline
 * preview runs it on the mock runtime. It registers nothing when the config
 * is bad: the spec is parsed and planned first, and a SpecError (every
 * problem, with its `kube-ha:` key, value and fix) is thrown before any
 * resource exists.
 */

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
  /** The config's warnings, then the plan's: logged, and shown by the offline preview's report. */
  warnings: string[];
  outputs: StackOutputs;
}

export interface KubeHaProgramOptions {
  /** Where warnings go (default: `pulumi.log.warn`, shown by `pulumi preview/up`); the offline preview shows them in its report. */
  warn?: (message: string) => void;
}

export function kubeHaProgram(options: KubeHaProgramOptions = {}): KubeHaProgram {
  const stack = pulumi.getStack();
  // Every key of every namespace: mistyped kube-ha namespaces and plain-text credentials are checked too.
  const { spec, warnings: configWarnings } = parseStackConfig(pulumi.runtime.allConfig(), { stackName: stack, isSecret: isConfigSecret });
  const plan = planControlPlane(spec);
  // The platform's own rules (platforms/platform.ts), with the stack's keys, before anything registers.
  const cloudProblems = PLATFORMS[spec.cloud].planRules(plan, `${CONFIG_NAMESPACE}:`);
  if (cloudProblems.length > 0) throw new SpecError(cloudProblems);
  const warnings = [...configWarnings, ...plan.warnings];
  const warn = options.warn ?? ((m: string) => void pulumi.log.warn(m));
  for (const w of warnings) warn(w);
  // The provider's region (aws:region, gcp:region/zone or their environment variables) must be kube-ha's.
  const providerProblems = PLATFORMS[spec.cloud].providerProblems(spec.region, `${CONFIG_NAMESPACE}:region`);
  if (providerProblems.length > 0) throw new SpecError(providerProblems);
  const cp = PLATFORMS[spec.cloud].controlPlane(spec.clusterName, plan);
  return {
    stack,
    spec,
    plan,
    warnings,
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

/**
 * Whether a config key was set as a secret. The SDK exports this from its
 * runtime (it reads PULUMI_CONFIG_SECRET_KEYS, which the engine and
 * `setAllConfig` fill) without declaring it in its types.
 */
function isConfigSecret(key: string): boolean {
  const runtime = pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean };
  if (typeof runtime.isConfigSecret !== "function") throw new Error("@pulumi/pulumi has no runtime.isConfigSecret: kube-ha cannot tell secret config from plain text");
  return runtime.isConfigSecret(key);
}
