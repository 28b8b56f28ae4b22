import type * as pulumi from "@pulumi/pulumi";
import type { ControlPlanePlan } from "../plan/types";

/** Arguments of the ClusterPki component. */
export interface ClusterPkiArgs {
  plan: ControlPlanePlan;
  /** The load balancer's address (known only after the cloud allocates it). */
  endpointAddress: pulumi.Input<string>;
}

/**
 * What the cloud components need from ClusterPki. Every map value that holds
 * a private key is a Pulumi secret.
 */
export interface ClusterPkiOutputs {
  /** PEM of the Kubernetes CA (public). */
  kubernetesCaCertPem: pulumi.Output<string>;
  etcdCaCertPem: pulumi.Output<string>;
  frontProxyCaCertPem: pulumi.Output<string>;
  /**
   * Per replica (by name): every file the replica needs, as a map of
   * path relative to PATHS.pkiDir (see PKI_FILES) → PEM text. Secret.
   */
  replicaFiles: Record<string, pulumi.Output<Record<string, string>>>;
  /** kubeconfig of a cluster-admin client certificate for the LB endpoint. Secret. */
  adminKubeconfig: pulumi.Output<string>;
}
