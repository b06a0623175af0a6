/** What each reference slot of a resource accepts: the resource types that are the element, by id or name. */
import type { ElementKind } from "./reader.js";

export const ELEMENT = {
  vpc: { types: ["aws_vpc", "aws_default_vpc"], what: "a VPC" },
  subnet: { types: ["aws_subnet", "aws_default_subnet"], what: "a subnet" },
  securityGroup: { types: ["aws_security_group", "aws_default_security_group"], what: "a security group", vpcDefault: "default-sg" },
  /** aws_instance.security_groups and launch configurations: names (default VPC) or ids. */
  securityGroupName: {
    types: ["aws_security_group", "aws_default_security_group"],
    what: "a security group",
    byName: ["aws_security_group"],
    vpcDefault: "default-sg",
  },
  routeTable: { types: ["aws_route_table", "aws_default_route_table"], what: "a route table", vpcDefault: "main-rtb" },
  networkAcl: { types: ["aws_network_acl", "aws_default_network_acl"], what: "a network ACL", vpcDefault: "default-acl" },
  gateway: { types: ["aws_internet_gateway", "aws_vpn_gateway"], what: "a gateway" },
  natGateway: { types: ["aws_nat_gateway"], what: "a NAT gateway" },
  vpcEndpoint: { types: ["aws_vpc_endpoint"], what: "a VPC endpoint" },
  dhcpOptions: { types: ["aws_vpc_dhcp_options", "aws_default_vpc_dhcp_options"], what: "a DHCP option set" },
  hostedZone: { types: ["aws_route53_zone"], what: "a hosted zone" },
  resolverRule: { types: ["aws_route53_resolver_rule"], what: "a Resolver rule" },
  instance: { types: ["aws_instance"], what: "an instance" },
  networkInterface: { types: ["aws_network_interface"], what: "a network interface" },
  eip: { types: ["aws_eip"], what: "an Elastic IP" },
  launchTemplate: { types: ["aws_launch_template"], what: "a launch template", byName: ["aws_launch_template"] },
  launchConfiguration: { types: ["aws_launch_configuration"], what: "a launch configuration", byName: ["aws_launch_configuration"] },
  instanceProfile: { types: ["aws_iam_instance_profile"], what: "an instance profile", byName: ["aws_iam_instance_profile"] },
  role: { types: ["aws_iam_role"], what: "an IAM role", byName: ["aws_iam_role"] },
  policy: { types: ["aws_iam_policy"], what: "an IAM policy" },
} as const satisfies Record<string, ElementKind>;
