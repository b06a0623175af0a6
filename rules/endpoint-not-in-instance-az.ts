import { lookup } from "../src/analysis/paths.js";
import { SSM_FAMILY } from "../src/analysis/services.js";
import type { InstanceAnalysis } from "../src/analysis/world-analysis.js";
import { defineRule, type FindingDraft, type FixReference } from "../src/engine/rule.js";
import { instanceRelated, namesOf, referenceTo } from "../src/engine/rule-helpers.js";
import { isKnown, knownValue, type Ref, type VpcEndpoint, type World } from "../src/model/index.js";
import { examplesOf } from "./examples/index.js";

type M = "otherAz";

/** The elements these keys name, by the names a fix uses for them (a key absent from the input is left out). */
function referencesTo(world: World, keys: Record<string, Ref | undefined>): Record<string, FixReference> {
  const found = Object.entries(keys).map(([name, key]) => [name, referenceTo(world, key)] as const);
  return Object.fromEntries(found.filter((entry): entry is [string, FixReference] => entry[1] !== undefined));
}

export default defineRule<M>({
  meta: {
    id: "SD204",
    name: "endpoint-not-in-instance-az",
    title: "A Systems Manager endpoint has no subnet in the instance's Availability Zone",
    description:
      "An interface endpoint places a network interface in each subnet it names. Traffic from an instance in another Availability Zone still works, but crosses zones (cost, latency) and fails when the endpoint's only zone is impaired. Add a subnet in each zone that runs instances.",
    prerequisite: "endpoints",
    severity: "warning",
    appliesTo: ["cloudformation", "terraform", "live"],
    onUnknown: "skip",
    messages: {
      otherAz:
        "{{endpoint}} has no subnet in {{az}}, where {{instances}} run; their traffic crosses Availability Zones and fails if {{#endpointAzs}}{{endpointAzs}}{{/endpointAzs}}{{^endpointAzs}}its zone{{/endpointAzs}} is impaired.",
    },
    remediation: {
      cloudformation:
        "    SubnetIds: [!Ref {{endpointSubnet|PrivateSubnetA}}, !Ref {{subnet|PrivateSubnetB}}]   # one per Availability Zone with instances",
      terraform:
        "  subnet_ids = [{{endpointSubnet|aws_subnet.private_a}}.id, {{subnet|aws_subnet.private_b}}.id] # one per Availability Zone with instances",
    },
    references: ["https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html"],
  },
  examples: examplesOf("endpoint-not-in-instance-az"),
  check(ctx) {
    const byKey = new Map<
      string,
      { endpoint: VpcEndpoint; az: string; endpointAzs: string; instances: InstanceAnalysis[]; references: Record<string, FixReference> }
    >();
    for (const analysis of ctx.analysis.instances) {
      for (const placement of analysis.placements) {
        const subnet = isKnown(placement.subnet) ? ctx.world.subnets.get(placement.subnet.value) : undefined;
        if (!subnet || !isKnown(subnet.availabilityZone)) continue;
        const az = subnet.availabilityZone.value;
        for (const path of placement.paths) {
          if (path.route !== "endpoint" || path.verdict !== "pass" || !path.endpoint || !SSM_FAMILY.includes(path.service)) continue;
          const endpoint = ctx.world.vpcEndpoints.get(path.endpoint);
          if (!endpoint || !isKnown(endpoint.subnets)) continue;
          const zones: string[] = [];
          let allKnown = true;
          for (const s of endpoint.subnets.value) {
            const es = lookup(ctx.world.subnets, s, "subnet");
            if (!isKnown(es) || !isKnown(es.value.availabilityZone)) {
              allKnown = false;
              break;
            }
            zones.push(es.value.availabilityZone.value);
          }
          if (!allKnown || zones.includes(az)) continue;
          const key = `${endpoint.key}|${az}`;
          // The fix keeps the endpoint's subnet (when it has one) and adds the instance's.
          const only = endpoint.subnets.value.length === 1 ? knownValue(endpoint.subnets.value[0]) : undefined;
          const references = { subnet: { key: subnet.key, name: subnet.name }, ...referencesTo(ctx.world, { endpointSubnet: only }) };
          const entry = byKey.get(key) ?? {
            endpoint,
            az,
            endpointAzs: [...new Set(zones)].join(", "),
            instances: [] as InstanceAnalysis[],
            references,
          };
          if (!entry.instances.includes(analysis)) entry.instances.push(analysis);
          byKey.set(key, entry);
        }
      }
    }
    const drafts: FindingDraft<M>[] = [];
    for (const { endpoint, az, endpointAzs, instances, references } of byKey.values()) {
      drafts.push({
        messageId: "otherAz",
        args: { endpoint: endpoint.name, az, endpointAzs, instances: namesOf(instances) },
        subject: { key: endpoint.key, name: endpoint.name, origin: endpoint.origin },
        location: endpoint.subnets.kind === "known" ? (endpoint.subnets.origin ?? endpoint.origin) : endpoint.origin,
        attribute: az,
        verdict: "fail",
        instances: instances.map((i) => i.instance.key),
        evidence: [{ code: "endpoint-azs", args: { endpoint: endpoint.name, zones: endpointAzs, az } }],
        related: instanceRelated(instances),
        references,
      });
    }
    return drafts;
  },
});
