/**
 * Every AWS operation the live collector can call: the single list that makes `check` read-only by
 * construction. The collector's caller refuses any operation not listed here; a test asserts that every
 * entry is a Describe/Get/List/Simulate call and that docs/iam-policy.json grants exactly these.
 */
export const READ_ONLY_OPERATIONS = [
  "sts:GetCallerIdentity",
  "ec2:DescribeInstances",
  "ec2:DescribeIamInstanceProfileAssociations",
  "ec2:DescribeVpcs",
  "ec2:DescribeVpcAttribute",
  "ec2:DescribeDhcpOptions",
  "ec2:DescribeSubnets",
  "ec2:DescribeRouteTables",
  "ec2:DescribeNatGateways",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeManagedPrefixLists",
  "ec2:GetManagedPrefixListEntries",
  "ec2:DescribeNetworkAcls",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeNetworkInterfaces",
  "ec2:DescribeVpcBlockPublicAccessOptions",
  "ec2:DescribeVpcBlockPublicAccessExclusions",
  "ssm:DescribeInstanceInformation",
  "ssm:DescribeInstanceProperties",
  "ssm:GetServiceSetting",
  "ssm:GetDocument",
  "iam:GetInstanceProfile",
  "iam:ListAttachedRolePolicies",
  "iam:SimulatePrincipalPolicy",
  "route53:ListHostedZonesByVPC",
  "logs:DescribeLogGroups",
  "ec2:DescribeRegions",
] as const;

/**
 * What a sweep across an organisation calls with the caller's own credentials: the member accounts,
 * and a session in each account's read-only role. AssumeRole changes nothing in any account; it only
 * hands out temporary credentials for the role (docs/sweep-caller-policy.json grants exactly these).
 */
export const SWEEP_OPERATIONS = ["organizations:ListAccounts", "sts:AssumeRole"] as const;

export type Operation = (typeof READ_ONLY_OPERATIONS)[number] | (typeof SWEEP_OPERATIONS)[number];

/** The verbs a read-only caller may use. */
export const READ_ONLY_VERBS = ["Describe", "Get", "List", "Simulate"] as const;

export function isReadOnlyOperation(name: string): boolean {
  const action = name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
  return READ_ONLY_VERBS.some((v) => action.startsWith(v));
}
