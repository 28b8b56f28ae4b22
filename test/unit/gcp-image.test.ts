import { describe, expect, it } from "vitest";
import { gcpBootImage, gcpMachineArchitecture } from "../../components/platforms/gcp/image";

describe("the image a GCP machine boots (issue 9, item 3)", () => {
  it.each([
    ["e2-standard-4", "amd64"],
    ["n2d-standard-8", "amd64"],
    ["c3-highcpu-4", "amd64"],
    ["t2a-standard-4", "arm64"],
    ["c4a-standard-8", "arm64"],
    ["c4a-highmem-4-lssd", "arm64"],
    ["n4a-standard-4", "arm64"],
    ["a4x-highgpu-4g", "arm64"],
  ] as const)("%s is %s", (type, arch) => {
    expect(gcpMachineArchitecture(type)).toBe(arch);
  });

  it("is Ubuntu 24.04 LTS's image family for the machine type's architecture unless machineImage names one", () => {
    expect(gcpBootImage(undefined, "e2-standard-4")).toBe("projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-amd64");
    expect(gcpBootImage(undefined, "t2a-standard-4")).toBe("projects/ubuntu-os-cloud/global/images/family/ubuntu-2404-lts-arm64");
    expect(gcpBootImage("debian-cloud/debian-13", "e2-standard-4")).toBe("debian-cloud/debian-13");
  });
});
