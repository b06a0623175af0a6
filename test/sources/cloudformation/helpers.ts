/** Test helpers: load a template from inline YAML, evaluate one property, read Values. */
import { InputError, type Value, type World } from "../../../src/model/index.js";
import { type CloudFormationOptions, loadCloudFormation } from "../../../src/sources/cloudformation/index.js";
import { parseTemplate } from "../../../src/sources/cloudformation/parse.js";
import { Template } from "../../../src/sources/cloudformation/template.js";
import type { Evaluated } from "../../../src/sources/cloudformation/types.js";

export const FILE = "templates/test.yaml";

/** Removes the common indentation so templates can be written indented in test code. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join("\n");
}

export function load(yaml: string, options: CloudFormationOptions = {}): World {
  return loadCloudFormation(FILE, dedent(yaml), options);
}

export function template(yaml: string, options: CloudFormationOptions = {}): Template {
  return new Template(FILE, parseTemplate(FILE, dedent(yaml)), options);
}

/**
 * Evaluates `expression` (YAML, one line or block) as property P of a resource R, with extra
 * top-level sections (Parameters, Conditions, Mappings, other resources) given in `sections`.
 */
export function evaluate(expression: string, sections = "", options: CloudFormationOptions = {}): Evaluated {
  const body = dedent(sections);
  const hasResources = /^Resources:/m.test(body);
  const resource = `  R:\n    Type: AWS::Test::Thing\n    Properties:\n      P: ${expression.replace(/\n/g, "\n        ")}\n`;
  const text = hasResources ? body.replace(/^Resources:\n/m, `Resources:\n${resource}`) : `${body}\nResources:\n${resource}`;
  const t = new Template(FILE, parseTemplate(FILE, text), options);
  return t.prop(t.resources.get("R")!, "P");
}

/** The value of a known Value (throws otherwise, with the reason, so failures read well). */
export function v<T>(value: Value<T> | undefined): T {
  if (!value) throw new Error("value is undefined");
  if (value.kind !== "known") throw new Error(`expected a known value, got unknown: ${value.reason.code}: ${value.reason.message}`);
  return value.value;
}

/** Known list of known items → plain array. */
export function items<T>(list: Value<Value<T>[]> | undefined): T[] {
  return v(list).map((item) => v(item));
}

export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw new Error(`expected an InputError, got ${String(error)}`);
  }
  throw new Error("expected an InputError, nothing was thrown");
}

/** A VPC with subnets, route tables, routes and a network ACL: the template the VPC, subnet, route table and ACL tests read. */
export const NETWORK_TEMPLATE = `
  Parameters:
    ExistingVpc:
      Type: AWS::EC2::VPC::Id
    Env:
      Type: String
      Default: prod
    Maybe:
      Type: String
  Conditions:
    IsProd: !Equals [!Ref Env, prod]
    IsDev: !Equals [!Ref Env, dev]
    Unknowable: !Equals [!Ref Maybe, yes]
  Resources:
    Vpc:
      Type: AWS::EC2::VPC
      Properties:
        CidrBlock: 10.0.0.0/16
    Igw:
      Type: AWS::EC2::InternetGateway
    Attach:
      Type: AWS::EC2::VPCGatewayAttachment
      Properties:
        VpcId: !Ref Vpc
        InternetGatewayId: !Ref Igw
    Public:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref Vpc
        CidrBlock: 10.0.0.0/24
        AvailabilityZone: !Select [0, !GetAZs ""]
        MapPublicIpOnLaunch: "TRUE"
    Private:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref Vpc
        CidrBlock: !Select [1, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
        AvailabilityZone: eu-west-1b
    Outside:
      Type: AWS::EC2::Subnet
      Properties:
        VpcId: !Ref ExistingVpc
        CidrBlock: 10.9.0.0/24
    PublicRt:
      Type: AWS::EC2::RouteTable
      Properties:
        VpcId: !Ref Vpc
    PublicDefault:
      Type: AWS::EC2::Route
      DependsOn: Attach
      Properties:
        RouteTableId: !Ref PublicRt
        DestinationCidrBlock: 0.0.0.0/0
        GatewayId: !Ref Igw
    PublicAssoc:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref Public
        RouteTableId: !Ref PublicRt
    Eip:
      Type: AWS::EC2::EIP
      Properties:
        Domain: vpc
    Nat:
      Type: AWS::EC2::NatGateway
      Properties:
        SubnetId: !Ref Public
        AllocationId: !GetAtt Eip.AllocationId
    PrivateRt:
      Type: AWS::EC2::RouteTable
      Properties:
        VpcId: !Ref Vpc
    PrivateDefault:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationCidrBlock: 0.0.0.0/0
        NatGatewayId: !Ref Nat
    PrivateToTgw:
      Type: AWS::EC2::Route
      Condition: Unknowable
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationCidrBlock: 172.16.0.0/12
        TransitGatewayId: tgw-0123
    PrivateToIgwLiteral:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationIpv6CidrBlock: ::/0
        GatewayId: igw-0abc
    DevOnlyRoute:
      Type: AWS::EC2::Route
      Condition: IsDev
      Properties:
        RouteTableId: !Ref PrivateRt
        DestinationCidrBlock: 192.168.0.0/16
        VpcPeeringConnectionId: pcx-1
    RouteInExistingTable:
      Type: AWS::EC2::Route
      Properties:
        RouteTableId: rtb-0123
        DestinationCidrBlock: 0.0.0.0/0
        NatGatewayId: !Ref Nat
    PrivateAssoc:
      Type: AWS::EC2::SubnetRouteTableAssociation
      Properties:
        SubnetId: !Ref Private
        RouteTableId: !Ref PrivateRt
    Acl:
      Type: AWS::EC2::NetworkAcl
      Properties:
        VpcId: !Ref Vpc
    AclIn443:
      Type: AWS::EC2::NetworkAclEntry
      Properties:
        NetworkAclId: !Ref Acl
        RuleNumber: 100
        Protocol: 6
        RuleAction: allow
        CidrBlock: 10.0.0.0/16
        PortRange: {From: 443, To: 443}
    AclOutAll:
      Type: AWS::EC2::NetworkAclEntry
      Properties:
        NetworkAclId: !Ref Acl
        RuleNumber: "200"
        Protocol: -1
        RuleAction: DENY
        Egress: "true"
        CidrBlock: 0.0.0.0/0
    AclAssoc:
      Type: AWS::EC2::SubnetNetworkAclAssociation
      Properties:
        SubnetId: !Ref Private
        NetworkAclId: !Ref Acl
`;
