import { customDnsServers, endpointsFor, hostedZoneFor } from "../src/analysis/paths.js";
import { SSM_FAMILY } from "../src/analysis/services.js";
import { defineRule, type FindingDraft } from "../src/engine/rule.js";
import { findElement, instanceRelated, namesOf } from "../src/engine/rule-helpers.js";
import { isKnown, knownValue } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "customDns" | "unknownDns";

export default defineRule<M>({
  meta: {
    id: "SD403",
    name: "custom-dns-servers",
    title: "The VPC uses custom DNS servers; they must forward amazonaws.com to the VPC resolver",
    description:
      "A DHCP option set whose domain-name-servers does not include AmazonProvidedDNS sends every lookup to your own DNS servers. Interface endpoint private DNS names are served only by the VPC resolver (Route 53 Resolver), so those servers need a conditional forwarder for amazonaws.com; otherwise the agent resolves the public addresses. This cannot be verified from configuration.",
    prerequisite: "dns",
    severity: "warning",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "note",
    messages: {
      customDns:
        "{{vpc}} uses the DNS servers {{servers}} ({{options}}); make sure they forward amazonaws.com to the VPC resolver, or {{instances}} will not resolve the Systems Manager endpoints.",
      unknownDns: "Whether {{vpc}} hands {{instances}} DNS servers of its own is not known: {{reason}}.",
    },
    remediation: {
      cloudformation: "    DomainNameServers: [AmazonProvidedDNS]   # or forward amazonaws.com to the VPC resolver (VPC CIDR base +2)",
      terraform: '  domain_name_servers = ["AmazonProvidedDNS"] # or forward amazonaws.com to the VPC resolver',
    },
    references: [
      "https://docs.aws.amazon.com/systems-manager/latest/userguide/setup-create-vpc.html",
      "https://docs.aws.amazon.com/vpc/latest/userguide/DHCPOptionSet.html",
    ],
  },
  examples: examplesOf("custom-dns-servers"),
  check(ctx) {
    const drafts: FindingDraft<M>[] = [];
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
