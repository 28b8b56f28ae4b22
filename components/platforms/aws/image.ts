import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type CpuArchitecture, DEFAULT_OS } from "../../spec/defaults";

/** Canonical's AWS account: the only owner whose Ubuntu images we trust. */
export const CANONICAL_OWNER_ID = DEFAULT_OS.aws.owner;

export type { CpuArchitecture };

/**
 * The CPU architecture of an EC2 instance type: Graviton families carry a
 * `g` among the attribute letters after the generation (m7g, c7gn, t4g,
 * r8gd), plus the first-generation a1. Everything else is x86-64.
 */
export function instanceArchitecture(instanceType: string): CpuArchitecture {
  const family = instanceType.split(".")[0] ?? "";
  if (family === "a1") return "arm64";
  const m = /^[a-z-]+\d+([a-z-]*)$/.exec(family);
  return m && m[1]!.includes("g") ? "arm64" : "amd64";
}

/** The name filter of the default OS's (Ubuntu 24.04 LTS, noble) server images on gp3 for an architecture. */
export function ubuntuNobleNameFilter(arch: CpuArchitecture): string {
  return DEFAULT_OS.aws.namePattern[arch];
}

/** The getAmi arguments that find the newest Ubuntu 24.04 LTS image from Canonical. */
export function ubuntuAmiQuery(instanceType: string): aws.ec2.GetAmiArgs {
  const arch = instanceArchitecture(instanceType);
  return {
    owners: [CANONICAL_OWNER_ID],
    mostRecent: true,
    filters: [
      { name: "name", values: [ubuntuNobleNameFilter(arch)] },
      { name: "virtualization-type", values: ["hvm"] },
      { name: "root-device-type", values: ["ebs"] },
    ],
  };
}

/**
 * The masters' image: `machineImage` when set, otherwise the newest Canonical
 * Ubuntu 24.04 LTS. Instances ignore later changes to it (see machine.ts), so
 * a new Ubuntu release never replaces a running master.
 */
export function mastersImage(
  machineImage: string | undefined,
  instanceType: string,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Output<string> {
  if (machineImage) return pulumi.output(machineImage);
  return aws.ec2.getAmiOutput(ubuntuAmiQuery(instanceType), opts).id;
}
