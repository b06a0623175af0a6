/**
 * The AWS SDK clients and commands the live source sends, and nothing else of the SDK's packages: the bundle
 * takes their ES module builds, so it keeps only these commands (with what they need) out of the hundreds each
 * client package defines. Loaded on first use by sdk.ts, in a chunk of its own that only `check` and `sweep` load.
 */
import {
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
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  EC2Client,
  GetManagedPrefixListEntriesCommand,
} from "@aws-sdk/client-ec2";
import { GetInstanceProfileCommand, IAMClient, ListAttachedRolePoliciesCommand, SimulatePrincipalPolicyCommand } from "@aws-sdk/client-iam";
import { ListHostedZonesByVPCCommand, Route53Client } from "@aws-sdk/client-route-53";
import {
  DescribeInstanceInformationCommand,
  DescribeInstancePropertiesCommand,
  GetDocumentCommand,
  GetServiceSettingCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

export const ec2 = {
  EC2Client,
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
  DescribeVpcEndpointsCommand,
  DescribeVpcsCommand,
  GetManagedPrefixListEntriesCommand,
};
export const ssm = {
  SSMClient,
  DescribeInstanceInformationCommand,
  DescribeInstancePropertiesCommand,
  GetDocumentCommand,
  GetServiceSettingCommand,
};
export const iam = { IAMClient, GetInstanceProfileCommand, ListAttachedRolePoliciesCommand, SimulatePrincipalPolicyCommand };
export const sts = { STSClient, AssumeRoleCommand, GetCallerIdentityCommand };
export const route53 = { Route53Client, ListHostedZonesByVPCCommand };
