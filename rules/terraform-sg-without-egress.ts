import { SSM_FAMILY } from "../src/analysis/services.js";
import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { instanceRelated, namesOf, subjectOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

type M = "noEgress" | "noEgressUnused";

/**
 * Whether the instance relies on this group for outbound HTTPS: some Systems Manager path's egress hop
 * does not pass (another group of the instance may allow it), or no path got as far as that hop.
 */
function reliesOn(a: InstanceAnalysis): boolean {
  const paths = a.placements.flatMap((p) => p.paths).filter((p) => SSM_FAMILY.includes(p.service));
  const hops = paths.flatMap((p) => p.hops).filter((h) => h.id === "instance-sg-egress");
  return hops.length === 0 || hops.some((h) => h.verdict !== "pass");
}

export default defineRule<M>({
  meta: {
    id: "SD302",
    name: "terraform-sg-without-egress",
    title: "A Terraform security group has no egress at all: the provider removed AWS's default allow-all rule",
    description:
      "A security group created in the AWS console or with CloudFormation gets a rule that allows all outbound traffic. Terraform's aws_security_group removes that rule: a group with no egress blocks, and no aws_security_group_rule (type egress) or aws_vpc_security_group_egress_rule targeting it, allows no outbound traffic at all (aws_default_security_group does the same to a VPC's default group). The SSM Agent connects out on TCP 443, so an instance that relies on such a group never reaches Systems Manager. An error when the group is on an instance that needs it; a note otherwise (but nothing for a group only VPC endpoints use: they never connect out).",
    prerequisite: "network",
    severity: "error",
    appliesTo: ["terraform"],
    onUnknown: "skip",
    messages: {
      noEgress:
        "{{group}} allows no outbound traffic at all, so {{instances}} cannot open the HTTPS connection the SSM Agent needs. In the AWS console and CloudFormation a new security group allows all outbound traffic; Terraform removes that rule and keeps only the egress you write, and here there is none: {{#basis}}{{basis}}{{/basis}}{{^basis}}no egress block and no standalone egress rule{{/basis}}. Add an egress block, or an aws_vpc_security_group_egress_rule, allowing TCP 443.",
      noEgressUnused:
        "{{group}} allows no outbound traffic at all: Terraform removes the allow-all egress rule AWS puts on a new security group, and nothing here adds one ({{#basis}}{{basis}}{{/basis}}{{^basis}}no egress block and no standalone egress rule{{/basis}}). No instance in this plan relies on it for Systems Manager, but an instance that gets only this group will not connect.",
    },
    remediation: {
      terraform: `resource "aws_security_group" "{{subject.label|instance}}" {
  # …
  egress {
    description = "HTTPS to the Systems Manager endpoints"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_vpc.main.cidr_block] # ["0.0.0.0/0"] when the path is a NAT gateway
  }
}

# or, without inline rules (do not mix the two styles on one group):
resource "aws_vpc_security_group_egress_rule" "https" {
  security_group_id = {{subject|aws_security_group.instance}}.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}`,
      cli: "aws ec2 authorize-security-group-egress --group-id {{subject|sg-…}} --ip-permissions IpProtocol=tcp,FromPort=443,ToPort=443,IpRanges=[{CidrIp=0.0.0.0/0}]",
    },
    references: [
      "https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/security_group",
      "https://docs.aws.amazon.com/vpc/latest/userguide/default-custom-security-groups.html",
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
    ],
  },
  examples: examplesOf("terraform-sg-without-egress", {
    // An instance whose only group allows no egress at all is also blocked on the path to the service (SD301).
    terraform: ["SD301"],
  }),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
    const usedByEndpoints = new Set<string>();
    for (const endpoint of ctx.world.vpcEndpoints.values()) {
      const groups = endpoint.securityGroups;
      if (groups.kind === "known") for (const g of groups.value) if (g.kind === "known") usedByEndpoints.add(g.value);
    }
    // Which instances have each group, computed once.
    const usersOf = new Map<string, InstanceAnalysis[]>();
    for (const a of ctx.analysis.instances) {
      const groups = a.instance.securityGroups;
      if (groups.kind !== "known") continue;
      for (const g of groups.value) if (g.kind === "known") usersOf.set(g.value, [...(usersOf.get(g.value) ?? []), a]);
    }
    for (const group of ctx.world.securityGroups.values()) {
      if (group.egressManagement.mode !== "terraform-none") continue;
      // An aws_default_security_group whose VPC is not known (picked by count.index) is the default group of a VPC
      // the plan does not name, which instances use by that VPC's key: who relies on it is not known.
      if (group.isDefault && group.vpc.kind !== "known") continue;
      const users = usersOf.get(group.key) ?? [];
      // A group only VPC endpoints use needs no egress: endpoints answer, they never connect out.
      if (users.length === 0 && usedByEndpoints.has(group.key)) continue;
      const relying = users.filter(reliesOn);
      const basis = group.egressManagement.basis ?? "";
      drafts.push({
        messageId: relying.length > 0 ? "noEgress" : "noEgressUnused",
        args: { group: group.name, instances: namesOf(relying), basis },
        subject: subjectOf(group),
        verdict: "fail",
        severity: relying.length > 0 ? "error" : "note",
        instances: relying.map((a) => a.instance.key),
        evidence: [
          {
            code: "sg-no-match",
            args: { group: group.name, direction: "egress", rules: [], ports: "443", peer: "anywhere" },
            origin: group.origin,
          },
        ],
        related: instanceRelated(users),
      });
    }
    return drafts;
  },
});
