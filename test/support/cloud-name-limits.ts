/**
 * What each cloud accepts as the physical name of every resource type kube-ha
 * registers: the test's own table, written from the clouds' API references,
 * independent of kube-ha's naming code. A type kube-ha registers that is not
 * listed here fails the name-limit test, so a new resource type has to say
 * what its name rule is (or that it has no name).
 *
 * Physical name of a recorded resource:
 * - the explicit name input (`name`, or the type's id field such as `secretId`);
 * - `namePrefix` + the provider's unique suffix (26 characters for the AWS
 *   provider's name_prefix: a timestamp and a counter);
 * - neither: Pulumi's auto-name, the logical name + "-" + 7 random hex characters.
 */

export interface NameRule {
  /** The input holding the name. */
  field: string;
  min?: number;
  max: number;
  /** The whole name must match. */
  pattern: RegExp;
  /** Longest namePrefix the provider accepts (AWS), when the type has one. */
  prefixMax?: number;
  /** Prefixes the cloud refuses. */
  forbiddenPrefixes?: string[];
}

/** Resource types that have no name of their own (tags or references only). */
export const UNNAMED = "unnamed" as const;

/** Length of the AWS provider's name_prefix suffix (id.UniqueIDSuffixLength). */
export const AWS_PREFIX_SUFFIX = 26;
/** Pulumi's auto-name suffix: "-" + 7 hex characters. */
export const AUTO_NAME_SUFFIX = 8;

// ELBv2 CreateLoadBalancer / CreateTargetGroup: at most 32 alphanumerics and hyphens,
// not beginning or ending with a hyphen; a load balancer's name must not begin with "internal-".
const ELB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
// IAM names: alphanumerics and +=,.@_-
const IAM_NAME = /^[\w+=,.@-]+$/;
// GCP compute resource names: RFC 1035, at most 63.
const RFC1035 = /^[a-z](?:[-a-z0-9]*[a-z0-9])?$/;

export const AWS_NAME_RULES: Record<string, NameRule | typeof UNNAMED> = {
  "aws:lb/loadBalancer:LoadBalancer": { field: "name", max: 32, pattern: ELB_NAME, prefixMax: 6, forbiddenPrefixes: ["internal-"] },
  "aws:lb/targetGroup:TargetGroup": { field: "name", max: 32, pattern: ELB_NAME, prefixMax: 6 },
  // Up to 255 characters of a-zA-Z0-9, spaces and ._-:/()#,@[]+=&;{}!$*; not starting with "sg-".
  "aws:ec2/securityGroup:SecurityGroup": { field: "name", max: 255, pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/, prefixMax: 100, forbiddenPrefixes: ["sg-"] },
  "aws:iam/role:Role": { field: "name", max: 64, pattern: IAM_NAME, prefixMax: 38 },
  "aws:iam/instanceProfile:InstanceProfile": { field: "name", max: 128, pattern: IAM_NAME, prefixMax: 102 },
  "aws:iam/rolePolicy:RolePolicy": { field: "name", max: 128, pattern: IAM_NAME, prefixMax: 102 },
  // Secrets Manager: 1–512 of alphanumerics and /_+=.@-
  "aws:secretsmanager/secret:Secret": { field: "name", max: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, prefixMax: 486 },
  "aws:lb/listener:Listener": UNNAMED,
  "aws:lb/targetGroupAttachment:TargetGroupAttachment": UNNAMED,
  "aws:ec2/vpc:Vpc": UNNAMED,
  "aws:ec2/internetGateway:InternetGateway": UNNAMED,
  "aws:ec2/routeTable:RouteTable": UNNAMED,
  "aws:ec2/routeTableAssociation:RouteTableAssociation": UNNAMED,
  "aws:ec2/subnet:Subnet": UNNAMED,
  "aws:ec2/eip:Eip": UNNAMED,
  "aws:ec2/natGateway:NatGateway": UNNAMED,
  "aws:ec2/instance:Instance": UNNAMED,
  "aws:ebs/volume:Volume": UNNAMED,
  "aws:ec2/volumeAttachment:VolumeAttachment": UNNAMED,
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": UNNAMED,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": UNNAMED,
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": UNNAMED,
  "aws:secretsmanager/secretVersion:SecretVersion": UNNAMED,
};

export const GCP_NAME_RULES: Record<string, NameRule | typeof UNNAMED> = {
  ...Object.fromEntries(
    [
      "gcp:compute/network:Network",
      "gcp:compute/subnetwork:Subnetwork",
      "gcp:compute/router:Router",
      "gcp:compute/routerNat:RouterNat",
      "gcp:compute/address:Address",
      "gcp:compute/disk:Disk",
      "gcp:compute/instance:Instance",
      "gcp:compute/instanceGroup:InstanceGroup",
      "gcp:compute/regionHealthCheck:RegionHealthCheck",
      "gcp:compute/regionBackendService:RegionBackendService",
      "gcp:compute/forwardingRule:ForwardingRule",
      "gcp:compute/firewall:Firewall",
    ].map((t) => [t, { field: "name", min: 1, max: 63, pattern: RFC1035 }]),
  ),
  // Secret Manager secret id: 1–255 of letters, digits, _ and -.
  "gcp:secretmanager/secret:Secret": { field: "secretId", max: 255, pattern: /^[A-Za-z0-9_-]+$/ },
  // Service account id: 6–30, lowercase letter first, then lowercase letters, digits, hyphens; no trailing hyphen.
  "gcp:serviceaccount/account:Account": { field: "accountId", min: 6, max: 30, pattern: RFC1035 },
  // Custom role id: 3–64 of letters, digits, _ and .
  "gcp:projects/iAMCustomRole:IAMCustomRole": { field: "roleId", min: 3, max: 64, pattern: /^[A-Za-z0-9_.]+$/ },
  "gcp:compute/instanceGroupMembership:InstanceGroupMembership": UNNAMED,
  "gcp:secretmanager/secretVersion:SecretVersion": UNNAMED,
  "gcp:secretmanager/secretIamMember:SecretIamMember": UNNAMED,
  "gcp:projects/iAMMember:IAMMember": UNNAMED,
  "gcp:projects/service:Service": UNNAMED,
};

/** Not cloud resources: key material and local commands have no cloud name. */
export const NOT_CLOUD = [/^tls:/, /^command:/, /^pulumi:providers:/];

export interface NamedResource {
  type: string;
  name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
}

/**
 * Every way a recorded resource's physical name breaks its cloud's rule,
 * as readable lines (empty: all fine).
 */
export function nameViolations(resources: NamedResource[], rules: Record<string, NameRule | typeof UNNAMED>): string[] {
  const out: string[] = [];
  for (const r of resources) {
    if (!r.custom || NOT_CLOUD.some((p) => p.test(r.type))) continue;
    const rule = rules[r.type];
    if (rule === undefined) {
      out.push(`${r.type} ${r.name}: no name rule known for this type (add it to test/support/cloud-name-limits.ts)`);
      continue;
    }
    if (rule === UNNAMED) continue;
    const explicit = r.inputs[rule.field];
    const prefix = r.inputs["namePrefix"];
    let physical: string;
    let how: string;
    const pattern = rule.pattern;
    if (typeof explicit === "string") {
      physical = explicit;
      how = rule.field;
    } else if (typeof prefix === "string") {
      if (rule.prefixMax === undefined) {
        out.push(`${r.type} ${r.name}: namePrefix given, but this type has none`);
        continue;
      }
      if (prefix.length > rule.prefixMax) out.push(`${r.type} ${r.name}: namePrefix "${prefix}" is ${prefix.length} long, over ${rule.prefixMax}`);
      // The suffix is digits; check the prefix's characters and the full length.
      physical = prefix + "0".repeat(AWS_PREFIX_SUFFIX);
      how = "namePrefix + 26";
    } else if (explicit === undefined) {
      physical = `${r.name}-abcdef0`;
      how = "auto-name (logical name + 8)";
    } else {
      out.push(`${r.type} ${r.name}: ${rule.field} is not a string: ${JSON.stringify(explicit)}`);
      continue;
    }
    const problems: string[] = [];
    if (physical.length > rule.max) problems.push(`is ${physical.length} characters, over ${rule.max}`);
    if (rule.min !== undefined && physical.length < rule.min) problems.push(`is ${physical.length} characters, under ${rule.min}`);
    if (!pattern.test(physical)) problems.push(`does not match ${pattern}`);
    for (const p of rule.forbiddenPrefixes ?? []) if (physical.startsWith(p)) problems.push(`starts with "${p}"`);
    if (problems.length > 0) out.push(`${r.type} ${r.name}: ${how} "${physical}" ${problems.join(", ")}`);
  }
  return out;
}
