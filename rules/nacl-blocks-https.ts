import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, instanceReferences, namesOf, servicesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

export default defineRule({
  meta: {
    id: "SD304",
    name: "nacl-blocks-https",
    title: "A network ACL on the path denies HTTPS or its return traffic",
    description:
      "Network ACLs are stateless and evaluated in rule-number order, first match wins, with an implicit deny at the end. The instance's subnet must allow outbound TCP 443 and inbound return traffic on the ephemeral ports of the instance's operating system (Linux 32768-60999, Windows and macOS 49152-65535; 32768-65535 covers both, and an image whose system is not known needs both); the endpoint's (or NAT gateway's) subnet must allow inbound TCP 443 and outbound ephemeral ports back, and a NAT gateway's subnet also the internet's replies inbound on 1024-65535, the ports the NAT gateway translates connections to.",
    prerequisite: "network",
    severity: "error",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      blocked: "{{acl}} denies {{#denied}}{{denied}}{{/denied}}{{^denied}}HTTPS{{/denied}} on the path of {{instances}} to {{services}}.",
      unknownAcl: "Whether the network ACLs on the path of {{instances}} to {{services}} allow HTTPS is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: `AllowHttpsOut:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref {{subject|PrivateAcl}}
    RuleNumber: 100
    Egress: true
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/16
    PortRange: { From: 443, To: 443 }
AllowReturnIn:
  Type: AWS::EC2::NetworkAclEntry
  Properties:
    NetworkAclId: !Ref {{subject|PrivateAcl}}
    RuleNumber: 110
    Egress: false
    Protocol: 6
    RuleAction: allow
    CidrBlock: 10.0.0.0/16
    PortRange: { From: 1024, To: 65535 }`,
      terraform: `resource "aws_network_acl_rule" "https_out" {
  network_acl_id = {{subject|aws_network_acl.private}}.id
  rule_number    = 100
  egress         = true
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = {{vpc|aws_vpc.main}}.cidr_block
  from_port      = 443
  to_port        = 443
}

resource "aws_network_acl_rule" "return_traffic" {
  network_acl_id = {{subject|aws_network_acl.private}}.id
  rule_number    = 110
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = {{vpc|aws_vpc.main}}.cidr_block
  from_port      = 1024
  to_port        = 65535
}`,
      cli: `# the instance subnet's ACL: HTTPS out, replies in (the endpoint or NAT subnet's ACL: 443 in, 1024-65535 out)
aws ec2 create-network-acl-entry --network-acl-id {{subject|acl-…}} --egress --rule-number 100 --protocol tcp --port-range From=443,To=443 --cidr-block 10.0.0.0/16 --rule-action allow
aws ec2 create-network-acl-entry --network-acl-id {{subject|acl-…}} --ingress --rule-number 110 --protocol tcp --port-range From=1024,To=65535 --cidr-block 10.0.0.0/16 --rule-action allow`,
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-network-acls.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/nacl-ephemeral-ports.html",
    ],
  },
  examples: examplesOf("nacl-blocks-https"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      [
        "nacl-instance-outbound",
        "nacl-instance-inbound",
        "nacl-endpoint-inbound",
        "nacl-endpoint-outbound",
        "nacl-nat-inbound",
        "nacl-nat-outbound",
      ],
      (group, instances) => {
        const denials = group.hits.flatMap((h) => h.evidence).filter((e) => e.code === "nacl-denies");
        const denied = [...new Set(denials.map((d) => `${d.args.direction}:${d.args.ports}`))];
        return {
          messageId: "blocked",
          args: { acl: group.subject.name, denied, instances: namesOf(instances), services: servicesOf(group.hits) },
          references: instanceReferences(ctx.world, instances, group.hits),
        };
      },
      "unknownAcl",
    );
  },
});
