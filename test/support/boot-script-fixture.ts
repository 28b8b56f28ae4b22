/**
 * Inputs for boot-script tests: a plan for either cloud and a stand-in for
 * renderEtcdBootParts (the real one is injected by the cloud components), so
 * the boot script's own behaviour is tested on its own.
 */
import { planControlPlane } from "../../components/plan/control-plane-plan";
import type { ControlPlanePlan } from "../../components/plan/types";
import { type BootScriptInput, type EtcdBootParts, renderBootProgram, renderBootScript } from "../../components/render/boot-script";
import { PLATFORMS } from "../../components/platforms";
import { ebsVolumeDevicePath } from "../../components/platforms/aws/data-disk";
import { GCP_ETCD_DEVICE_NAME, gcpDiskDevicePath } from "../../components/platforms/gcp/data-disk";
import type { Cloud } from "../../components/spec/schema";
import { parseClusterSpec } from "../../components/spec/validate";

export const CLOUD_ZONES: Record<Cloud, { region: string; zones: string[] }> = {
  gcp: { region: "europe-west1", zones: ["europe-west1-b", "europe-west1-c", "europe-west1-d"] },
  aws: { region: "eu-west-1", zones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
};

export function fixturePlan(cloud: Cloud, count = 3, extra: Record<string, unknown> = {}): ControlPlanePlan {
  const { region, zones } = CLOUD_ZONES[cloud];
  const replicaZones = Array.from({ length: count }, (_, i) => zones[i % zones.length]!);
  return planControlPlane(parseClusterSpec({ cloud, region, replicaZones, ...extra }, { stackName: "prod" }));
}

export function fixtureEtcdParts(memberName: string): EtcdBootParts {
  return {
    files: [
      { path: "/etc/kube-ha/etcd/etcd.conf.yml", content: `name: ${memberName}\ndata-dir: /var/lib/etcd/data\n`, mode: 0o600 },
      { path: "/etc/systemd/system/kube-ha-etcd.service", content: "[Service]\nExecStart=/usr/local/bin/etcd\n", mode: "0644" },
    ],
    run: [
      'if [ "${KUBE_HA_MAY_BOOTSTRAP:-false}" = true ]; then',
      '  echo "bootstrap"',
      "else",
      '  echo "join ${ETCD_ENDPOINTS:-}"',
      "fi",
    ].join("\n"),
  };
}

export const FIXTURE_LB: Record<Cloud, string> = { gcp: "34.120.1.2", aws: "prod-api-0123456789.elb.eu-west-1.amazonaws.com" };

/** Where each platform's etcd disk shows up, as its component resolves it (AWS: a fixed stand-in volume id). */
export const FIXTURE_ETCD_DEVICE: Record<Cloud, string> = {
  gcp: gcpDiskDevicePath(GCP_ETCD_DEVICE_NAME),
  aws: ebsVolumeDevicePath("vol-0123456789abcdef0"),
};

export function fixtureBootInput(plan: ControlPlanePlan, cloud: Cloud, replicaName: string): BootScriptInput {
  return {
    parts: PLATFORMS[cloud].bootParts,
    plan,
    replicaName,
    endpointAddress: FIXTURE_LB[cloud],
    etcdDevice: FIXTURE_ETCD_DEVICE[cloud],
    etcd: fixtureEtcdParts(replicaName),
  };
}

export function fixtureBootScript(cloud: Cloud, replicaIndex = 0, count = 3): string {
  const plan = fixturePlan(cloud, count);
  return renderBootScript(fixtureBootInput(plan, cloud, plan.masters[replicaIndex]!.name));
}

/** The boot program kube-ha-boot.service runs (compacted, as machines get it, unless `compact` is false). */
export function fixtureBootProgram(cloud: Cloud, replicaIndex = 0, count = 3, compact = true): string {
  const plan = fixturePlan(cloud, count);
  return renderBootProgram(fixtureBootInput(plan, cloud, plan.masters[replicaIndex]!.name), { compact });
}

/** The body of bash function NAME in a rendered program (from its `NAME() {` line to the closing `}`). */
export function bashFunction(program: string, name: string): string {
  const start = program.indexOf(`\n${name}() {\n`);
  if (start < 0) throw new Error(`no function ${name} in the program`);
  const end = program.indexOf("\n}\n", start + 1);
  return program.slice(start + 1, end + 2);
}
