import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD207",
    name: "no-route-to-internet",
    title: "The internet path the instance relies on is broken (NAT without internet gateway, or no public IP)",
    description:
      "Without interface endpoints, the agent reaches the public ssm and ssmmessages endpoints through the subnet's 0.0.0.0/0 route. A NAT gateway works only if it is public and sits in a subnet whose route table sends 0.0.0.0/0 to an attached internet gateway; an internet-gateway route works only for an instance with a public IP address.",
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
      igwDetached:
        "{{subject}} is not attached to the VPC (no VPCGatewayAttachment), so the route through it goes nowhere and {{instances}} cannot reach {{services}}.",
      unknownRoute: "Whether the route of {{instances}} to {{services}} reaches the internet is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `PublicRoute:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref PublicRouteTable   # the NAT gateway's subnet's table
    DestinationCidrBlock: 0.0.0.0/0
    GatewayId: !Ref InternetGateway`,
      terraform: `resource "aws_route" "public_internet" {
  route_table_id         = aws_route_table.public.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.main.id
}`,
      cli: `# the NAT gateway's subnet's route table: 0.0.0.0/0 to an internet gateway attached to the VPC
aws ec2 create-route --route-table-id {{subject|rtb-…}} --destination-cidr-block 0.0.0.0/0 --gateway-id igw-…`,
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-prerequisites.html",
    ],
  },
  examples: examplesOf("no-route-to-internet"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["nat-gateway", "internet-gateway", "public-ip", "hub-egress"],
      (group, instances) => {
        const codes = new Set(group.hits.flatMap((h) => h.evidence.map((e) => e.code)));
        const args = { subject: group.subject.name, instances: namesOf(instances), services: servicesOf(group.hits) };
        if (codes.has("no-public-ip")) return { messageId: "noPublicIp", args };
        if (codes.has("nat-private")) return { messageId: "natPrivate", args };
        if (codes.has("igw-detached")) return { messageId: "igwDetached", args };
        return { messageId: "natWithoutIgw", args };
      },
      "unknownRoute",
    );
  },
});
