/**
 * The zones of every AWS region kube-ha knows: region → the letters of its
 * zones (`eu-west-1` + `a` = `eu-west-1a`). A zone outside this table is
 * refused before anything is built, and a zone's address blocks come from
 * its place here (spec/network-blocks.ts), so two zones of one region never
 * share a block.
 *
 * Compiled from AWS's published "Regions and Availability Zones" (2025), as
 * `aws ec2 describe-availability-zones --region R` prints them: availability
 * zones only, no Local or Wavelength Zones. AWS maps zone letters to physical zones per account and shows some
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
export const AWS_REGION_ZONES: Readonly<Record<string, string>> = {
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
};
