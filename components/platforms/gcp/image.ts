import { type CpuArchitecture, DEFAULT_OS } from "../../spec/defaults";

/**
 * The boot image of a GCP machine: `machineImage` when the spec names one,
 * otherwise the default OS (components/spec/defaults.ts) built for the
 * machine type's architecture — an Arm machine type cannot boot an x86-64
 * image. The boot program picks its release downloads by the running
 * machine's architecture, so both images get the same program.
 */

/** Machine series whose CPUs are Arm: Tau T2A (Ampere Altra), C4A and N4A (Google Axion), A4X (NVIDIA Grace). */
export const GCP_ARM_SERIES: readonly string[] = ["t2a", "c4a", "n4a", "a4x"];

/** The CPU architecture of a GCP machine type, from its series (`c4a-standard-4` → arm64). */
export function gcpMachineArchitecture(machineType: string): CpuArchitecture {
  const series = machineType.trim().toLowerCase().split("-")[0] ?? "";
  return GCP_ARM_SERIES.includes(series) ? "arm64" : "amd64";
}

/** The default OS's image family for an architecture, as a family path (the newest image of the family at create time). */
export function gcpDefaultImage(arch: CpuArchitecture): string {
  return `projects/${DEFAULT_OS.gcp.project}/global/images/family/${DEFAULT_OS.gcp.family[arch]}`;
}

export function gcpBootImage(machineImage: string | undefined, machineType: string): string {
  return machineImage ?? gcpDefaultImage(gcpMachineArchitecture(machineType));
}
