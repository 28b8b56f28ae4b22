import { keyMaterialSecretId } from "../../render/replica-identity";
import { TAG_KEYS } from "./tags";

/** The ARN partition of a region: aws, aws-cn or aws-us-gov. */
export function regionPartition(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/**
 * The ARN pattern of every replica secret of a cluster: names are
 * keyMaterialSecretId(cluster, replica) and Secrets Manager appends "-" and
 * six random characters.
 */
export function clusterSecretArnPattern(clusterName: string, region: string, accountId: string): string {
  const name = keyMaterialSecretId(clusterName, "*");
  return `arn:${regionPartition(region)}:secretsmanager:${region}:${accountId}:secret:${name}-??????`;
}

/**
 * The AWS managed policy that lets the SSM agent on an instance register
 * with Systems Manager and take Run Command requests: the etcd member
 * removal sends `kube-ha-etcd remove` to a surviving master through it.
 */
export function ssmManagedInstanceCorePolicyArn(region: string): string {
  return `arn:${regionPartition(region)}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
}

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Action: string | string[];
  Resource?: string | string[];
  Principal?: Record<string, string>;
  Condition?: Record<string, Record<string, string>>;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Statement: PolicyStatement[];
}

/** EC2 may assume the masters' role (for the instance profile), nothing else. */
export function ec2AssumeRolePolicy(): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "Ec2AssumesMasterRole", Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }],
  };
}

/**
 * Least privilege for a master: read this cluster's secrets (by name pattern
 * and cluster tag — the tag keeps cluster "prod" out of "prod-eu"'s secrets —
 * so a new replica's secret needs no policy change) and list
 * instances for peer discovery (DescribeInstances cannot be scoped to
 * resources; the boot script filters on the cluster tag).
 */
export function masterPolicy(clusterName: string, region: string, accountId: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadThisClustersKeyMaterial",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
        Resource: clusterSecretArnPattern(clusterName, region, accountId),
        Condition: { StringEquals: { [`aws:ResourceTag/${TAG_KEYS.cluster}`]: clusterName } },
      },
      {
        Sid: "DiscoverPeers",
        Effect: "Allow",
        Action: ["ec2:DescribeInstances"],
        Resource: "*",
      },
    ],
  };
}
