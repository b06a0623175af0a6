import { defineRule, type FixReference } from "../src/engine/rule.js";
import { draftsFromHops, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { knownValue, type Ref, type World } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

/**
 * The route table that needs the route (the subject, or the table of the subject subnet) as `routeTable`, and an
 * internet gateway attached to its VPC as `internetGateway`, as the fix names them.
 */
function natReferences(world: World, subject: Ref): Record<string, FixReference> {
  const subnet = world.subnets.get(subject);
  const table = world.routeTables.get(subnet ? (knownValue(subnet.routeTable) ?? "") : subject);
  const vpc = knownValue(table?.vpc);
  const gateway = [...world.internetGateways.values()].find((g) => vpc !== undefined && knownValue(g.vpc) === vpc);
  const references: Record<string, FixReference> = {};
  if (table) references.routeTable = { key: table.key, name: table.name };
  if (gateway) references.internetGateway = { key: gateway.key, name: gateway.name };
  return references;
}

export default defineRule({
  meta: {
    id: "SD207",
    name: "no-route-to-internet",
    title: "The internet path the instance relies on is broken (NAT without internet gateway, no public IP, VPC Block Public Access)",
    description:
      "Without interface endpoints, the agent reaches the public ssm and ssmmessages endpoints through the subnet's 0.0.0.0/0 route. A NAT gateway works only if it is public and sits in a subnet whose route table sends 0.0.0.0/0 to an attached internet gateway; an internet-gateway route works only for an instance with a public IP address. VPC Block Public Access in block-bidirectional mode stops both ways through the internet gateway, in block-ingress mode all but a NAT gateway's, unless an exclusion names the subnet or VPC whose traffic meets the gateway.",
    prerequisite: "endpoints",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      noPublicIp:
        "The subnet of {{instances}} routes 0.0.0.0/0 to an internet gateway, but no public IP address is assigned, so {{services}} cannot be reached. Use a NAT gateway, interface endpoints, or a public IP.",
      natWithoutIgw:
        "{{subject}} sends the NAT gateway's traffic nowhere: the NAT gateway's subnet has no route to an attached internet gateway, so {{instances}} cannot reach {{services}}.",
      natPrivate: "{{subject}} is a private NAT gateway, which cannot reach the internet; {{instances}} cannot reach {{services}}.",
      natNotAvailable:
        "{{subject}} is not available, and only an available NAT gateway carries traffic, so {{instances}} cannot reach {{services}}.",
      igwDetached:
        "{{subject}} is not attached to the VPC (no VPCGatewayAttachment), so the route through it goes nowhere and {{instances}} cannot reach {{services}}.",
      blockPublicAccess:
        "{{subject}} sets VPC Block Public Access to {{mode}}, which blocks the internet gateway traffic of {{subnet}}, so {{instances}} cannot reach {{services}}; exclude that subnet (or its VPC) from it, or use interface endpoints.",
      unknownRoute: "Whether the route of {{instances}} to {{services}} reaches the internet is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `PublicRoute:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref {{routeTable|PublicRouteTable}}   # the NAT gateway's subnet's table
    DestinationCidrBlock: 0.0.0.0/0
    GatewayId: !Ref {{internetGateway|InternetGateway}}`,
      terraform: `resource "aws_route" "public_internet" {
  route_table_id         = {{routeTable|aws_route_table.public}}.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = {{internetGateway|aws_internet_gateway.main}}.id
}`,
      cli: `# the NAT gateway's subnet's route table: 0.0.0.0/0 to an internet gateway attached to the VPC
aws ec2 create-route --route-table-id {{routeTable|rtb-…}} --destination-cidr-block 0.0.0.0/0 --gateway-id {{internetGateway|igw-…}}`,
    },
    messageRemediation: {
      // An Elastic IP gives any instance a public address: a new or existing primary interface, one or several.
      noPublicIp: {
        cloudformation: `InstanceAddress:   # or interface endpoints, or a NAT gateway, instead of a public address
  Type: AWS::EC2::EIP
  Properties:
    Domain: vpc
    InstanceId: !Ref {{subject|Instance}}`,
        terraform: `resource "aws_eip" "instance" { # or interface endpoints, or a NAT gateway, instead of a public address
  domain   = "vpc"
  instance = {{subject|aws_instance.app}}.id
}`,
        cli: `# or interface endpoints, or a NAT gateway, instead of a public address
aws ec2 allocate-address --domain vpc --query AllocationId --output text
aws ec2 associate-address --instance-id {{subject|i-…}} --allocation-id eipalloc-…`,
      },
      // An exclusion for the subnet whose traffic meets the internet gateway (the NAT gateway's, behind a NAT).
      blockPublicAccess: {
        cloudformation: `BlockPublicAccessExclusion:   # allow-egress counts under block-bidirectional; block-ingress needs allow-bidirectional
  Type: AWS::EC2::VPCBlockPublicAccessExclusion
  Properties:
    SubnetId: !Ref {{exitSubnet|PublicSubnet}}
    InternetGatewayExclusionMode: allow-egress`,
        terraform: `resource "aws_vpc_block_public_access_exclusion" "egress" {
  subnet_id                       = {{exitSubnet|aws_subnet.public}}.id
  internet_gateway_exclusion_mode = "allow-egress" # block-ingress needs "allow-bidirectional"
}`,
        cli: `# allow-egress counts under block-bidirectional; block-ingress needs allow-bidirectional
aws ec2 create-vpc-block-public-access-exclusion --subnet-id {{exitSubnet|subnet-…}} --internet-gateway-exclusion-mode allow-egress`,
      },
      // Only check reads a NAT gateway's state; a deployed NAT gateway that failed is replaced, not repaired.
      natNotAvailable: {
        cloudformation: `# {{subject|the NAT gateway}} is not available. A failed one is not repaired by an update: give the
# AWS::EC2::NatGateway a new logical ID (and a free Elastic IP) so the next deployment creates a new one.`,
        terraform: `# {{subject|the NAT gateway}} is not available. A failed one is not repaired by an update: replace it
terraform apply -replace=aws_nat_gateway.main`,
        cli: `# pending: wait until it is available; failed or deleted: create a new NAT gateway and route 0.0.0.0/0 to it
aws ec2 describe-nat-gateways --nat-gateway-ids {{subject|nat-…}} --query 'NatGateways[0].[State,FailureMessage]'`,
      },
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/security-vpc-bpa.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-prerequisites.html",
    ],
  },
  examples: examplesOf("no-route-to-internet"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["nat-gateway", "internet-gateway", "public-ip", "hub-egress", "block-public-access"],
      (group, instances) => {
        const codes = new Set(group.hits.flatMap((h) => h.evidence.map((e) => e.code)));
        const args = { subject: group.subject.name, instances: namesOf(instances), services: servicesOf(group.hits) };
        const blocked = group.hits.flatMap((h) => h.evidence).find((e) => e.code === "bpa-blocks");
        if (blocked) {
          const subnets = [
            ...new Set(group.hits.flatMap((h) => h.evidence.flatMap((e) => (e.code === "bpa-blocks" ? [e.args.subnet] : [])))),
          ];
          return {
            messageId: "blockPublicAccess",
            args: { ...args, mode: blocked.args.mode, subnet: subnets.join(", ") },
            references: { exitSubnet: { key: blocked.args.subnetKey, name: blocked.args.subnet } },
          };
        }
        if (codes.has("no-public-ip")) return { messageId: "noPublicIp", args };
        if (codes.has("nat-private")) return { messageId: "natPrivate", args };
        if (codes.has("nat-state")) return { messageId: "natNotAvailable", args };
        if (codes.has("igw-detached")) return { messageId: "igwDetached", args };
        return { messageId: "natWithoutIgw", args, references: natReferences(ctx.world, group.subject.key) };
      },
      "unknownRoute",
    );
  },
});
