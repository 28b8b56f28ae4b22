import * as pulumi from "@pulumi/pulumi";
import { SpecError, type SpecProblem } from "../../spec/errors";

/**
 * The GCP provider's default region and zone must agree with kube-ha's
 * region. kube-ha sets a region or zone on every GCP resource it makes, so a
 * mismatch builds nothing in the wrong place, but it means the stack says two
 * things at once (and anything else in the program that uses the defaults
 * goes elsewhere): refused, with the fix. Pure.
 */

/** Where the ambient GCP provider takes its defaults from, in the provider's order. */
export const GCP_LOCATION_SOURCES = {
  region: { config: "gcp:region", environment: ["GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION"] },
  zone: { config: "gcp:zone", environment: ["GOOGLE_ZONE", "GCLOUD_ZONE", "CLOUDSDK_COMPUTE_ZONE"] },
} as const;

/** The keys under which a provider passed to the component is reported. */
export const PASSED_PROVIDER = { region: "provider.region", zone: "provider.zone" } as const;

export interface ProviderSetting {
  value: string;
  /** `gcp:region`, an environment variable, or a PASSED_PROVIDER key. */
  source: string;
}

export interface GcpProviderLocation {
  region?: ProviderSetting;
  zone?: ProviderSetting;
}

/** The ambient provider's default region and zone: config first, then the environment (as @pulumi/gcp reads them). */
export function ambientGcpLocation(
  config: { region?: string | undefined; zone?: string | undefined },
  env: Record<string, string | undefined>,
): GcpProviderLocation {
  const pick = (kind: "region" | "zone"): ProviderSetting | undefined => {
    const sources = GCP_LOCATION_SOURCES[kind];
    const configured = config[kind];
    if (configured) return { value: configured, source: sources.config };
    for (const name of sources.environment) {
      const value = env[name];
      if (value) return { value, source: name };
    }
    return undefined;
  };
  const region = pick("region");
  const zone = pick("zone");
  return { ...(region ? { region } : {}), ...(zone ? { zone } : {}) };
}

/** A GCP zone's region: `europe-west1-b` → `europe-west1`. */
function regionOfZone(zone: string): string {
  return zone.replace(/-[a-z]$/, "");
}

function fixFor(setting: ProviderSetting, wanted: string): string {
  if (setting.source.startsWith("gcp:")) return `set ${setting.source} to ${wanted} or remove it`;
  if (setting.source.startsWith("provider.")) return `create the provider passed to GcpControlPlane with ${wanted}`;
  return `unset ${setting.source}, or set ${setting.source.includes("ZONE") ? "gcp:zone" : "gcp:region"}: ${wanted} in the stack (it takes precedence)`;
}

/** Problems when the provider's default region is not kube-ha's, or its default zone lies outside it. */
export function gcpLocationProblems(specRegion: string, specRegionKey: string, location: GcpProviderLocation): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const { region, zone } = location;
  if (region && region.value !== specRegion) {
    problems.push({
      key: region.source,
      value: region.value,
      message: `the GCP provider's default region is ${region.value}, while ${specRegionKey} is ${specRegion}: ${fixFor(region, specRegion)}`,
    });
  }
  if (zone && regionOfZone(zone.value) !== specRegion) {
    problems.push({
      key: zone.source,
      value: zone.value,
      message: `the GCP provider's default zone ${zone.value} is not in ${specRegionKey} ${specRegion}: ${fixFor(zone, `a zone of ${specRegion} (e.g. ${specRegion}-b)`)}`,
    });
  }
  return problems;
}

/** The problems of the ambient GCP provider (stack config `gcp:region` / `gcp:zone`, else the environment). */
export function ambientGcpLocationProblems(specRegion: string, specRegionKey: string): SpecProblem[] {
  const config = new pulumi.Config("gcp");
  return gcpLocationProblems(specRegion, specRegionKey, ambientGcpLocation({ region: config.get("region"), zone: config.get("zone") }, process.env));
}

/**
 * A provider passed to the component: its default region and zone, once
 * known, must agree with kube-ha's region. A mismatch is reported as an
 * error diagnostic on the component, which fails the update (in the preview
 * `pulumi up` runs first, when the provider's settings are literals).
 */
export function reportProviderLocation(provider: pulumi.ProviderResource | undefined, specRegion: string, component: pulumi.Resource): void {
  const p = provider as { region?: pulumi.Output<string | undefined>; zone?: pulumi.Output<string | undefined> } | undefined;
  if (!p?.region || !p.zone || typeof p.region.apply !== "function") return;
  pulumi.all([p.region, p.zone]).apply(([region, zone]) => {
    const problems = gcpLocationProblems(specRegion, "region", {
      ...(region ? { region: { value: region, source: PASSED_PROVIDER.region } } : {}),
      ...(zone ? { zone: { value: zone, source: PASSED_PROVIDER.zone } } : {}),
    });
    if (problems.length > 0) void pulumi.log.error(new SpecError(problems).message, component);
  });
}

/** Whether the component's GCP resources use the ambient provider (none in the args or the component's options). */
export function usesAmbientProvider(explicit: pulumi.ProviderResource | undefined, opts: pulumi.ComponentResourceOptions | undefined): boolean {
  return explicit === undefined && opts?.provider === undefined && opts?.providers === undefined && opts?.parent === undefined;
}
