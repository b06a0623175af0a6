import type { Hop } from "../src/analysis/paths.js";
import { customDnsServers, endpointsFor, hostedZoneFor } from "../src/analysis/paths.js";
import { SSM_FAMILY } from "../src/analysis/services.js";
import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import type { RuleContext } from "../src/engine/context.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { findElement, instanceRelated, namesOf } from "../src/engine/rule-helpers.js";
import { isKnown, knownValue } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "customDns" | "unknownDns" | "forwardingRule" | "unknownForwarding";

export default defineRule<M>({
  meta: {
    id: "SD403",
    name: "custom-dns-servers",
    title: "The VPC's DNS goes to servers of its own (DHCP options or Resolver forwarding rules); they must answer amazonaws.com",
    description:
      "A DHCP option set whose domain-name-servers does not include AmazonProvidedDNS sends every lookup to your own DNS servers. Interface endpoint private DNS names are served only by the VPC resolver (Route 53 Resolver), so those servers need a conditional forwarder for amazonaws.com; otherwise the agent resolves the public addresses. A Route 53 Resolver forwarding rule whose domain covers a service's name (the name itself, amazonaws.com, \".\") does the same inside the VPC resolver: a rule for the name itself outranks the endpoint's private DNS, a rule for a parent domain the public name. This cannot be verified from configuration.",
    prerequisite: "dns",
    severity: "warning",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      customDns:
        "{{vpc}} uses the DNS servers {{servers}} ({{options}}); make sure they forward amazonaws.com to the VPC resolver, or {{instances}} will not resolve the Systems Manager endpoints.",
      unknownDns: "Whether {{vpc}} hands {{instances}} DNS servers of its own is not known: {{reason}}.",
      forwardingRule:
        "The Route 53 Resolver rule {{rule}} forwards {{domain}} to the DNS servers {{servers}}, so they, not the VPC resolver, answer {{services}} for {{instances}}; make sure they answer with the addresses the agent should reach, or keep those names with the VPC resolver with a SYSTEM rule.",
      unknownForwarding:
        "Whether a Route 53 Resolver rule sends {{services}} for {{instances}} to other DNS servers is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: "    DomainNameServers: [AmazonProvidedDNS]   # or forward amazonaws.com to the VPC resolver (VPC CIDR base +2)",
      terraform: '  domain_name_servers = ["AmazonProvidedDNS"] # or forward amazonaws.com to the VPC resolver',
    },
    messageRemediation: {
      forwardingRule: {
        cloudformation: `  SsmSystemRule:   # the VPC resolver answers the Systems Manager names again (and so the endpoints' private DNS)
    Type: AWS::Route53Resolver::ResolverRule
    Properties: { RuleType: SYSTEM, DomainName: ssm.REGION.amazonaws.com }
  SsmSystemRuleAssociation:
    Type: AWS::Route53Resolver::ResolverRuleAssociation
    Properties: { ResolverRuleId: !GetAtt SsmSystemRule.ResolverRuleId, VPCId: !Ref VPC }   # and the same for ssmmessages, ec2messages`,
        terraform: `resource "aws_route53_resolver_rule" "ssm_system" {
  rule_type   = "SYSTEM"
  domain_name = "ssm.REGION.amazonaws.com" # and the same for ssmmessages, ec2messages
}

resource "aws_route53_resolver_rule_association" "ssm_system" {
  resolver_rule_id = aws_route53_resolver_rule.ssm_system.id
  vpc_id           = aws_vpc.main.id
}`,
        cli: "aws route53resolver create-resolver-rule --creator-request-id ssm-system --rule-type SYSTEM --domain-name ssm.REGION.amazonaws.com && aws route53resolver associate-resolver-rule --resolver-rule-id RULE_ID --vpc-id VPC_ID   # and the same for ssmmessages, ec2messages",
      },
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
      "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries-rule-values.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSet.html",
    ],
  },
  examples: examplesOf("custom-dns-servers"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = forwardingDrafts(ctx);
    for (const vpc of ctx.world.vpcs.values()) {
      const check = customDnsServers(ctx.world, vpc);
      if (!check) continue;
      // Interface endpoints, or private hosted zones of centralised endpoints: both answer only through the VPC resolver.
      const usesEndpoints = SSM_FAMILY.some(
        (s) => endpointsFor(ctx.world, vpc.key, s).endpoints.length > 0 || hostedZoneFor(ctx.world, vpc.key, s) !== undefined,
      );
      if (!usesEndpoints) continue;
      const instances = ctx.analysis.instances.filter((a) =>
        a.placements.some(
          (p) =>
            isKnown(p.subnet) &&
            knownValue(ctx.world.subnets.get(p.subnet.value)?.vpc ?? { kind: "unknown", reason: { code: "outside", message: "" } }) ===
              vpc.key,
        ),
      );
      const ev = check.evidence.find((e) => e.code === "custom-dns-servers");
      if (!ev) {
        // The VPC's DHCP options are not known (an association or option set the input leaves open).
        const reasons = check.unknowns ?? [];
        if (check.verdict === "unknown" && reasons.length > 0 && instances.length > 0)
          drafts.push({
            messageId: "unknownDns",
            args: { vpc: vpc.name, instances: namesOf(instances), reason: reasons.map((r) => r.message).join("; ") },
            subject: { key: vpc.key, name: vpc.name, origin: vpc.origin },
            location: vpc.dhcpOptions.origin ?? vpc.origin,
            verdict: "unknown",
            instances: instances.map((i) => i.instance.key),
            evidence: [],
            unknowns: reasons,
            related: instanceRelated(instances),
          });
        continue;
      }
      const optionsKey = knownValue(vpc.dhcpOptions);
      const options = optionsKey ? findElement(ctx.world, optionsKey) : undefined;
      const subject = options ?? vpc;
      drafts.push({
        messageId: "customDns",
        args: {
          vpc: vpc.name,
          servers: ev.args.servers.join(", "),
          options: ev.args.options,
          instances: namesOf(instances),
        },
        subject: { key: subject.key, name: subject.name, origin: subject.origin },
        verdict: "fail",
        instances: instances.map((i) => i.instance.key),
        evidence: check.evidence,
        related: instanceRelated(instances),
      });
    }
    return drafts;
  },
});

/** Paths whose service name a Resolver rule forwards (or may): one finding per rule, naming the instances and services. */
function forwardingDrafts(ctx: RuleContext): FindingDraft<M>[] {
  const groups = new Map<string, { hop: Hop; services: Set<string>; instances: Map<string, InstanceAnalysis> }>();
  for (const analysis of ctx.analysis.instances)
    for (const placement of analysis.placements)
      for (const path of placement.paths) {
        if (!SSM_FAMILY.includes(path.service)) continue;
        for (const hop of path.hops) {
          if (hop.id !== "custom-dns" || hop.subject === undefined || !ctx.world.resolverRules.has(hop.subject)) continue;
          let group = groups.get(hop.subject);
          if (!group) {
            group = { hop, services: new Set(), instances: new Map() };
            groups.set(hop.subject, group);
          }
          group.services.add(path.service);
          group.instances.set(analysis.instance.key, analysis);
        }
      }
  const drafts: FindingDraft<M>[] = [];
  for (const [key, { hop, services, instances }] of groups) {
    const rule = ctx.world.resolverRules.get(key)!;
    const affected = [...instances.values()];
    const common = {
      subject: { key: rule.key, name: rule.name, origin: rule.origin },
      instances: affected.map((a) => a.instance.key),
      evidence: hop.evidence,
      unknowns: hop.unknowns ?? [],
      related: instanceRelated(affected),
    };
    const forwards = hop.evidence.find((e) => e.code === "resolver-rule-forwards");
    if (forwards) {
      drafts.push({
        ...common,
        messageId: "forwardingRule",
        args: {
          rule: forwards.args.rule,
          domain: forwards.args.domain === "." ? 'every name (".")' : forwards.args.domain,
          servers: forwards.args.targets.length > 0 ? forwards.args.targets.join(", ") : "the rule names",
          services: [...services].join(", "),
          instances: namesOf(affected),
        },
        ...(rule.domainName.origin ? { location: rule.domainName.origin } : {}),
        verdict: "fail",
      });
    } else {
      drafts.push({
        ...common,
        messageId: "unknownForwarding",
        args: {
          services: [...services].join(", "),
          instances: namesOf(affected),
          reason: [...new Set((hop.unknowns ?? []).map((r) => r.message))],
        },
        verdict: "unknown",
      });
    }
  }
  return drafts;
}
