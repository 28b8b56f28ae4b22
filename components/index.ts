/**
 * kube-ha as a library: the spec, the planner and the components.
 * `import { GcpControlPlane, parseClusterSpec, planControlPlane } from "kube-ha"`.
 */
export * from "./spec/schema";
export * from "./spec/cluster-spec";
export * from "./spec/errors";
export { parseClusterSpec, checkClusterSpec, type ParseOptions } from "./spec/validate";
export { rawConfigFromPulumi, rawConfigFromStackFile } from "./spec/stack-config";
export * from "./plan/types";
export * from "./plan/replica-change";
export { planControlPlane } from "./plan/control-plane-plan";
export { planAdd, suggestZones, type AddRequest } from "./plan/plan-add";
export { planRemove, type RemoveTarget, type RemoveOptions } from "./plan/plan-remove";
export { planReplace } from "./plan/plan-replace";
export { quorum, toleratedFailures } from "./spec/quorum";
export { failoverBudgetSeconds, recoverySeconds } from "./plan/failover";
export { PKI_FILES } from "./plan/pki-files";
export { PATHS } from "./render/paths";
export * from "./plan/cert-specs";
export type { ClusterPkiArgs, ClusterPkiOutputs } from "./pki/types";
export { ClusterPki } from "./pki/cluster-pki";
export { renderKubeconfig, apiServerUrl, type KubeconfigInput } from "./pki/kubeconfig";
export { AwsControlPlane, type AwsControlPlaneArgs, type AwsControlPlanePlannedArgs } from "./platforms/aws/control-plane";
export type { AwsOnlyArgs } from "./platforms/aws/args";
export type { EtcdMemberRemovalHook, EtcdMemberRemovalContext } from "./platforms/aws/removal";
export { GcpControlPlane, type GcpControlPlaneArgs, type GcpControlPlanePlannedArgs, type GcpOnlyArgs } from "./platforms/gcp/control-plane";
export type { ReplicaOutput, ReplicaParts, ReplicaMachine } from "./platforms/replica-assembly";
export { type MemberRemovalHook, type MemberRemovalContext, removalCommandHook } from "./platforms/member-removal-hook";
export type { GcpEtcdMemberRemovalHook, GcpEtcdMemberRemovalContext } from "./platforms/gcp/removal";
export { renderKubeadmConfig, type KubeadmDocuments } from "./render/kubeadm-config";
export { renderBootScript, type BootScriptInput, type EtcdBootParts as BootScriptEtcdParts } from "./render/boot-script";
export type { BootParts } from "./render/boot-parts";
export { gcpBootParts } from "./platforms/gcp/boot-parts";
export { awsBootParts } from "./platforms/aws/boot-parts";
export { attachMemberRemoval, MEMBER_REMOVAL_TYPE, type MemberRemovalArgs } from "./membership/etcd-member-removal";
export type { RemovalTransport, MemberToRemove } from "./membership/removal-transport";
export { awsMemberRemovalCommand, awsRemovalTransport } from "./platforms/aws/removal";
export { gcpMemberRemovalCommand, gcpRemovalTransport } from "./platforms/gcp/removal";
export { GCP_IAP_TCP_FORWARDING_RANGE } from "./plan/ports";
export { CONFIG_DEFAULTS, DESCRIBED_DEFAULTS, DEFAULT_OS, CONTAINERD_VERSION, RUNC_VERSION, type CpuArchitecture } from "./spec/defaults";
