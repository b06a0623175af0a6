/**
 * The AWS SDK clients and commands the live source sends, and nothing else of the SDK's packages: the bundle
 * takes their ES module builds, so it keeps only these commands (with what they need) out of the hundreds each
 * client package defines. Loaded on first use by sdk.ts, in a chunk of its own that only `check` and `sweep` load.
 */

export { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
export {
  DescribeDhcpOptionsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeInternetGatewaysCommand,
  DescribeManagedPrefixListsCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkAclsCommand,
  DescribeNetworkInterfacesCommand,
  DescribeRegionsCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcBlockPublicAccessExclusionsCommand,
  DescribeVpcBlockPublicAccessOptionsCommand,
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
} from "@aws-sdk/client-ec2";
export { GetInstanceProfileCommand, IAMClient, ListAttachedRolePoliciesCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
export { ListHostedZonesByVPCCommand, Route53Client } from "@aws-sdk/client-route-53";
export {
  DescribeInstanceInformationCommand,
  DescribeInstancePropertiesCommand,
  GetDocumentCommand,
  GetServiceSettingCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
export { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
