import type { Cloud } from "./schema";

/**
 * The zones of every region kube-ha knows, by cloud: region → the letters of
 * its zones (GCP `europe-west1` + `b` = `europe-west1-b`; AWS `eu-west-1` +
 * `a` = `eu-west-1a`). A zone outside this table is refused before anything
 * is built, and a zone's address blocks come from its place here
 * (network-blocks.ts), so two zones of one region never share a block.
 *
 * Compiled from the clouds' published region lists (Google Cloud's "Regions
 * and zones", AWS's "Regions and Availability Zones"; 2025), as
 * `gcloud compute zones list` and `aws ec2 describe-availability-zones
 * --region R` print them: availability zones only, no Local or Wavelength
 * Zones. AWS maps zone letters to physical zones per account and shows some
 * old accounts a letter new ones lack (ap-northeast-1b); the letters listed
 * are the ones accounts are given today.
 *
 * To extend it: add the region (or the new letter) below in a pull request
 * and run test/unit/region-zones.test.ts, which checks that every pair of
 * zones of every region gets disjoint blocks. Until a release has it, a stack
 * can name the zones itself with `kube-ha:extraZones` (docs/config-reference.md).
 *
 * A zone's block index is its letter's place in the alphabet (a = 0 … h = 7),
 * the rule every existing stack was planned with, so a table update never
 * moves a replica's address. Letters past h (none in this table today) take
 * the region's lowest blocks no letter a–h of the region owns.
 */
export const REGION_ZONES: Record<Cloud, Readonly<Record<string, string>>> = {
  gcp: {
    "africa-south1": "abc",
    "asia-east1": "abc",
    "asia-east2": "abc",
    "asia-northeast1": "abc",
    "asia-northeast2": "abc",
    "asia-northeast3": "abc",
    "asia-south1": "abc",
    "asia-south2": "abc",
    "asia-southeast1": "abc",
    "asia-southeast2": "abc",
    "australia-southeast1": "abc",
    "australia-southeast2": "abc",
    "europe-central2": "abc",
    "europe-north1": "abc",
    "europe-north2": "abc",
    "europe-southwest1": "abc",
    "europe-west1": "bcd",
    "europe-west2": "abc",
    "europe-west3": "abc",
    "europe-west4": "abc",
    "europe-west6": "abc",
    "europe-west8": "abc",
    "europe-west9": "abc",
    "europe-west10": "abc",
    "europe-west12": "abc",
    "me-central1": "abc",
    "me-central2": "abc",
    "me-west1": "abc",
    "northamerica-northeast1": "abc",
    "northamerica-northeast2": "abc",
    "northamerica-south1": "abc",
    "southamerica-east1": "abc",
    "southamerica-west1": "abc",
    "us-central1": "abcf",
    "us-east1": "bcd",
    "us-east4": "abc",
    "us-east5": "abc",
    "us-south1": "abc",
    "us-west1": "abc",
    "us-west2": "abc",
    "us-west3": "abc",
    "us-west4": "abc",
  },
  aws: {
    "af-south-1": "abc",
    "ap-east-1": "abc",
    "ap-east-2": "abc",
    "ap-northeast-1": "acd",
    "ap-northeast-2": "abcd",
    "ap-northeast-3": "abc",
    "ap-south-1": "abc",
    "ap-south-2": "abc",
    "ap-southeast-1": "abc",
    "ap-southeast-2": "abc",
    "ap-southeast-3": "abc",
    "ap-southeast-4": "abc",
    "ap-southeast-5": "abc",
    "ap-southeast-7": "abc",
    "ca-central-1": "abd",
    "ca-west-1": "abc",
    "cn-north-1": "abd",
    "cn-northwest-1": "abc",
    "eu-central-1": "abc",
    "eu-central-2": "abc",
    "eu-north-1": "abc",
    "eu-south-1": "abc",
    "eu-south-2": "abc",
    "eu-west-1": "abc",
    "eu-west-2": "abc",
    "eu-west-3": "abc",
    "il-central-1": "abc",
    "me-central-1": "abc",
    "me-south-1": "abc",
    "mx-central-1": "abc",
    "sa-east-1": "abc",
    "us-east-1": "abcdef",
    "us-east-2": "abc",
    "us-gov-east-1": "abc",
    "us-gov-west-1": "abc",
    "us-west-1": "abc",
    "us-west-2": "abcd",
  },
};
