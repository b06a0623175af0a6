/** CloudFormation resource types this source reads, and the intermediate result of evaluation. */
import type { StatedAssumptions, Timings, UnknownReason } from "../../model/index.js";
import type { Json } from "./positions.js";

/** `region` (--region): without it `AWS::Region` stays the DEPLOYMENT_REGION token inside strings. */
export interface CloudFormationOptions extends StatedAssumptions {
  /** `--parameters` values; they override parameter defaults. */
  parameters?: Record<string, string>;
  accountId?: string;
  /** --timings: the parse and the model building are timed apart. */
  timings?: Timings;
}

export const ResourceType = {
  vpc: "AWS::EC2::VPC",
  vpcCidrBlock: "AWS::EC2::VPCCidrBlock",
  subnet: "AWS::EC2::Subnet",
  routeTable: "AWS::EC2::RouteTable",
  route: "AWS::EC2::Route",
  subnetRouteTableAssociation: "AWS::EC2::SubnetRouteTableAssociation",
  internetGateway: "AWS::EC2::InternetGateway",
  egressOnlyInternetGateway: "AWS::EC2::EgressOnlyInternetGateway",
  vpnGateway: "AWS::EC2::VPNGateway",
  gatewayAttachment: "AWS::EC2::VPCGatewayAttachment",
  natGateway: "AWS::EC2::NatGateway",
  eip: "AWS::EC2::EIP",
  eipAssociation: "AWS::EC2::EIPAssociation",
  securityGroup: "AWS::EC2::SecurityGroup",
  securityGroupIngress: "AWS::EC2::SecurityGroupIngress",
  securityGroupEgress: "AWS::EC2::SecurityGroupEgress",
  nestedStack: "AWS::CloudFormation::Stack",
  networkAcl: "AWS::EC2::NetworkAcl",
  networkAclEntry: "AWS::EC2::NetworkAclEntry",
  subnetNetworkAclAssociation: "AWS::EC2::SubnetNetworkAclAssociation",
  vpcEndpoint: "AWS::EC2::VPCEndpoint",
  dhcpOptions: "AWS::EC2::DHCPOptions",
  blockPublicAccessOptions: "AWS::EC2::VPCBlockPublicAccessOptions",
  blockPublicAccessExclusion: "AWS::EC2::VPCBlockPublicAccessExclusion",
  dhcpOptionsAssociation: "AWS::EC2::VPCDHCPOptionsAssociation",
  hostedZone: "AWS::Route53::HostedZone",
  resolverRule: "AWS::Route53Resolver::ResolverRule",
  resolverRuleAssociation: "AWS::Route53Resolver::ResolverRuleAssociation",
  instance: "AWS::EC2::Instance",
  networkInterface: "AWS::EC2::NetworkInterface",
  launchTemplate: "AWS::EC2::LaunchTemplate",
  launchConfiguration: "AWS::AutoScaling::LaunchConfiguration",
  autoScalingGroup: "AWS::AutoScaling::AutoScalingGroup",
  nodegroup: "AWS::EKS::Nodegroup",
  instanceProfile: "AWS::IAM::InstanceProfile",
  role: "AWS::IAM::Role",
  policy: "AWS::IAM::Policy",
  managedPolicy: "AWS::IAM::ManagedPolicy",
  rolePolicy: "AWS::IAM::RolePolicy",
  ssmDocument: "AWS::SSM::Document",
  logGroup: "AWS::Logs::LogGroup",
  transitGateway: "AWS::EC2::TransitGateway",
  peering: "AWS::EC2::VPCPeeringConnection",
  prefixList: "AWS::EC2::PrefixList",
} as const;

/** Types whose references mean something to the model (a Ref to any other type is "unsupported"). */
export const MODELLED_TYPES: ReadonlySet<string> = new Set<string>(Object.values(ResourceType));

export interface ResourceInfo {
  readonly id: string;
  readonly type: string;
  /** "/Resources/<id>" (escaped). */
  readonly pointer: string;
  readonly properties: { [key: string]: Json };
  readonly metadata: Json | undefined;
  /** false: the resource's condition is false (not created). */
  readonly active: boolean;
  /** Set when the resource's condition cannot be evaluated. */
  readonly conditional?: UnknownReason;
  readonly conditionName?: string;
}

export type Scalar = string | number | boolean | null;

/**
 * The result of evaluating a template expression. `at` is the JSON pointer where the value is
 * written, when it is written somewhere (list items keep their own position).
 */
export type Evaluated =
  /** `mapping`: the value was looked up in a mapping (Fn::FindInMap); which key and what the mapping names beside it. */
  | { readonly kind: "scalar"; readonly value: Scalar; readonly at?: string; readonly mapping?: string }
  | { readonly kind: "list"; readonly items: Evaluated[]; readonly at?: string }
  /** `transformed`: where the map also has an Fn::Transform key, whose snippet may add any member (AWS::Include). */
  | { readonly kind: "map"; readonly entries: Map<string, Evaluated>; readonly at?: string; readonly transformed?: string }
  /** A resource of the template: `id` is the element key (synthesized keys for VPC defaults), `type` its CloudFormation type. */
  | { readonly kind: "ref"; readonly id: string; readonly type: string; readonly at?: string }
  | { readonly kind: "unknown"; readonly reason: UnknownReason; readonly at?: string; readonly extra?: UnknownExtra }
  /** AWS::NoValue: the property is absent. */
  | { readonly kind: "none"; readonly at?: string };

export interface UnknownExtra {
  /** `Ref AWS::Region` without --region: stays the DEPLOYMENT_REGION token inside strings. */
  regionToken?: boolean;
  /** Fn::FindInMap with an unresolved key: the candidate values of the column. */
  mapping?: { description: string; candidates: string[] };
  /** A parameter of type AWS::SSM::Parameter::Value<…>: the SSM parameter's name. */
  ssmParameter?: string;
  /** A parameter without a value: its name (a reference to it means an existing resource, outside). */
  parameter?: string;
  /** What to write in user data text for this part (`${Name}`). */
  placeholder?: string;
}

export type ConditionResult = boolean | UnknownReason;
