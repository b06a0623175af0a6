import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, instanceReferences, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD303",
    name: "endpoint-ingress-blocked",
    title: "The endpoint's security groups allow no inbound HTTPS from the instance",
    description:
      "An interface endpoint's network interfaces are guarded by its security groups, which must allow inbound TCP 443 from the instance (its security group by reference, or a CIDR that contains its private address). An endpoint created without security groups gets the VPC's default security group, which admits only members of that same group: the instance's traffic is dropped.",
    prerequisite: "network",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      blocked:
        "The security groups of the {{services}} endpoint ({{group}}) allow no inbound TCP 443 from {{instances}}. Allow ingress TCP 443 from the instances' security group or subnet.",
      defaultGroup:
        "{{endpoint}} has no security groups, so it gets the VPC default security group, which admits only its own members: {{instances}} cannot reach {{services}}. Give the endpoint a security group that allows TCP 443 from the instances.",
      unknownIngress: "Whether the endpoint for {{services}} admits TCP 443 from {{instances}} is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `EndpointSecurityGroup:
  Type: AWS::EC2::SecurityGroup
  Properties:
    GroupDescription: HTTPS from instances to the Systems Manager endpoints
    VpcId: !Ref {{vpc|Vpc}}
    SecurityGroupIngress:
      - IpProtocol: tcp
        FromPort: 443
        ToPort: 443
        SourceSecurityGroupId: !Ref {{instanceGroup|InstanceSecurityGroup}}`,
      terraform: `resource "aws_vpc_security_group_ingress_rule" "https_from_instances" {
  security_group_id            = {{endpointGroup|aws_security_group.endpoints}}.id
  referenced_security_group_id = {{instanceGroup|aws_security_group.instance}}.id
  ip_protocol                  = "tcp"
  from_port                    = 443
  to_port                      = 443
}`,
      cli: "aws ec2 authorize-security-group-ingress --group-id {{subject|sg-…}} --protocol tcp --port 443 --source-group {{instanceGroup|INSTANCE_SECURITY_GROUP_ID}}",
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
    ],
  },
  examples: examplesOf("endpoint-ingress-blocked"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["endpoint-sg-ingress", "hub-endpoint"],
      (group, instances) => {
        const args = {
          instances: namesOf(instances),
          services: servicesOf(group.hits),
          group: group.subject.name,
          endpoint: group.subject.name,
        };
        // An endpoint without security groups of its own is the subject: it gets the VPC default group.
        const endpoint = ctx.world.vpcEndpoints.get(group.subject.key);
        const references = instanceReferences(ctx.world, instances, group.hits);
        if (endpoint && endpoint.securityGroups.kind === "known" && endpoint.securityGroups.value.length === 0) {
          return { messageId: "defaultGroup", args: { ...args, endpoint: endpoint.name }, references };
        }
        // The subject is the endpoint's security group (or, for a hub's endpoint, the spoke VPC).
        if (ctx.world.securityGroups.has(group.subject.key))
          references.endpointGroup = { key: group.subject.key, name: group.subject.name };
        return { messageId: "blocked", args, references };
      },
      "unknownIngress",
    );
  },
});
