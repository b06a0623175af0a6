import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, endpointReferences, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD301",
    name: "instance-egress-blocked",
    title: "The instance's security groups allow no outbound HTTPS to the Systems Manager endpoints",
    description:
      "The agent connects out on TCP 443. Security groups are stateful, so no inbound rule is needed, but at least one group on the instance must allow egress TCP 443 to where the service is: the endpoint network interfaces (their subnet CIDRs, the VPC CIDR, or the endpoint's security group) or, on the internet path, 0.0.0.0/0.",
    prerequisite: "network",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      blocked:
        "The security groups of {{instances}} allow no TCP 443 to {{targets}}, so the agent cannot reach {{services}}. Allow egress TCP 443 in {{group}}.",
      unknownEgress: "Whether the security groups of {{instances}} allow TCP 443 to {{services}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `    SecurityGroupEgress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        DestinationSecurityGroupId: !Ref {{endpointGroup|EndpointSecurityGroup}}   # or CidrIp: the VPC CIDR`,
      terraform: `resource "aws_vpc_security_group_egress_rule" "https_to_endpoints" {
  security_group_id            = {{subject|aws_security_group.instance}}.id
  referenced_security_group_id = {{endpointGroup|aws_security_group.endpoints}}.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}`,
      cli: "aws ec2 authorize-security-group-egress --group-id {{subject|sg-…}} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,UserIdGroupPairs=[{GroupId={{endpointGroup|sg-endpoints}}}]",
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html",
    ],
  },
  examples: examplesOf("instance-egress-blocked"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["instance-sg-egress"],
      (group, instances) => ({
        messageId: "blocked",
        args: {
          instances: namesOf(instances),
          services: servicesOf(group.hits),
          group: group.subject.name,
          targets: [
            ...new Set(
              group.hits.map((h) =>
                h.path.route === "internet"
                  ? "internet"
                  : `${h.path.route === "hosted-zone" ? "hub-endpoint" : "endpoint"}:${h.path.service}`,
              ),
            ),
          ],
        },
        references: endpointReferences(ctx.world, group.hits),
      }),
      "unknownEgress",
    );
  },
});
