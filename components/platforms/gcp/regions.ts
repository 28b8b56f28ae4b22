/**
 * The zones of every GCP region kube-ha knows: region → the letters of its
 * zones (`europe-west1` + `b` = `europe-west1-b`). A zone outside this
 * table is refused before anything is built, and a zone's address blocks
 * come from its place here (spec/network-blocks.ts), so two zones of one
 * region never share a block.
 *
 * Compiled from Google Cloud's published "Regions and zones" (2025), as
 * `gcloud compute zones list` prints them.
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
export const GCP_REGION_ZONES: Readonly<Record<string, string>> = {
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
};
