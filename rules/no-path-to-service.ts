import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, instanceReferences, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD201",
    name: "no-path-to-service",
    title: "A required Systems Manager service has neither a VPC endpoint nor a route to the internet",
    description:
      "The SSM Agent opens outbound HTTPS connections to ssm and ssmmessages (and ec2messages for agents older than 3.3.40.0). From a private subnet that needs either an interface VPC endpoint for each service in the instance's VPC, or a 0.0.0.0/0 route to a NAT gateway (or to an internet gateway with a public IP). With neither, the agent never registers and Session Manager reports TargetNotConnected.",
    prerequisite: "endpoints",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      noPath:
        "{{instances}} cannot reach {{services}}: the VPC has no interface endpoint for it and {{routeTable}} has no route to the internet. Add an interface endpoint for each missing service (or a NAT gateway route).",
      noRouteToHub:
        "{{instances}} cannot reach {{services}}: a private hosted zone answers the name with the hub's endpoints, and {{routeTable}} has no route to the hub through a transit gateway or peering connection. Add the route to the hub's range.",
      noInterfaces:
        "{{instances}} cannot reach {{services}}: {{endpoint}} names no subnet, so it has no network interface to answer the agent. Add the subnets the instances run in (one per Availability Zone) to it.",
      unknownPath: "Whether {{instances}} can reach {{services}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `SsmMessagesEndpoint:
  Type: AWS::EC2::VPCEndpoint
  Properties:
    ServiceName: !Sub com.amazonaws.\${AWS::Region}.ssmmessages
    VpcEndpointType: Interface
    PrivateDnsEnabled: true
    VpcId: !Ref {{vpc|Vpc}}
    SubnetIds: [!Ref {{subnet|PrivateSubnet}}]
    SecurityGroupIds: [!Ref EndpointSecurityGroup]`,
      terraform: `resource "aws_vpc_endpoint" "ssmmessages" {
  vpc_id              = {{vpc|aws_vpc.main}}.id
  service_name        = "com.amazonaws.\${var.region}.ssmmessages"
  vpc_endpoint_type   = "Interface"
  private_dns_enabled = true
  subnet_ids          = [{{subnet|aws_subnet.private}}.id]
  security_group_ids  = [aws_security_group.endpoints.id]
}`,
      cli: "aws ec2 create-vpc-endpoint --vpc-endpoint-type Interface --vpc-id {{vpc|vpc-…}} --service-name com.amazonaws.REGION.ssmmessages --subnet-ids {{subnet|subnet-…}} --security-group-ids sg-… --private-dns-enabled",
    },
    messageRemediation: {
      noInterfaces: {
        cloudformation:
          "    SubnetIds: [!Ref {{subnet|PrivateSubnet}}]   # on {{subject|the endpoint}}: one subnet per Availability Zone with instances",
        terraform:
          "  subnet_ids = [{{subnet|aws_subnet.private}}.id] # on {{subject|the endpoint}}: one subnet per Availability Zone with instances",
        cli: "aws ec2 modify-vpc-endpoint --vpc-endpoint-id {{subject|vpce-…}} --add-subnet-ids {{subnet|subnet-…}}",
      },
      noRouteToHub: {
        cloudformation: `HubRoute:
  Type: AWS::EC2::Route
  Properties:
    RouteTableId: !Ref {{routeTable|PrivateRouteTable}}
    DestinationCidrBlock: 10.100.0.0/16   # the hub VPC's range
    TransitGatewayId: !Ref TransitGatewayId`,
        terraform: `resource "aws_route" "hub" {
  route_table_id         = {{routeTable|aws_route_table.private}}.id
  destination_cidr_block = "10.100.0.0/16" # the hub VPC's range
  transit_gateway_id     = var.transit_gateway_id
}`,
        cli: "aws ec2 create-route --route-table-id {{routeTable|rtb-…}} --destination-cidr-block HUB_CIDR --transit-gateway-id tgw-…",
      },
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-prerequisites.html",
    ],
  },
  examples: examplesOf("no-path-to-service"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["route", "subnet"],
      (group, instances) => {
        const args = { instances: namesOf(instances), services: servicesOf(group.hits), routeTable: group.subject.name };
        const references = instanceReferences(ctx.world, instances, group.hits);
        if (group.hits.some((h) => h.path.route === "none")) return { messageId: "noPath", args, references };
        // An interface endpoint that names no subnet: the way is the endpoint, and nothing of it answers.
        if (group.hits.some((h) => h.evidence.some((e) => e.code === "endpoint-no-subnets")))
          return { messageId: "noInterfaces", args: { ...args, endpoint: group.subject.name }, references };
        // Centralised endpoints: the hosted zone sends the agent to the hub, and the route to it is missing.
        if (group.hits.some((h) => h.path.route === "hosted-zone")) return { messageId: "noRouteToHub", args, references };
        return undefined;
      },
      "unknownPath",
    );
  },
});
