/** DNS elements: private hosted zones (Route 53 zones associated with VPCs; public zones are left out) and Resolver rules. */
import { isKnown, known, type Ref, unknown, type Value, type World } from "../../model/index.js";
import { dnsName, ruleOutsideInput } from "../common/dns-name.js";
import type { Template } from "./template.js";
import { ResourceType } from "./types.js";

export function buildHostedZones(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.hostedZone)) {
    const vpcs = template.prop(resource, "VPCs");
    if (vpcs.kind === "none" || (vpcs.kind === "list" && vpcs.items.length === 0)) continue; // public zone
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const name = template.str(template.prop(resource, "Name"), "Name", pointer("Name"));
    world.hostedZones.set(resource.id, {
      ...template.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: template.list(vpcs, "VPCs", pointer("VPCs"), (item, i) =>
        template.ref(template.member(item, "VPCId"), `VPCs[${i}].VPCId`, item.at ?? pointer("VPCs"), [ResourceType.vpc], "a VPC"),
      ),
    });
  }
}

/**
 * Route 53 Resolver rules and the VPCs their associations name. An association whose rule is not in the template (a
 * rule shared from another account, by id) becomes a rule of its own whose domain and type are not known.
 */
export function buildResolverRules(template: Template, world: World): void {
  const vpcsOf = new Map<string, Value<Ref>[]>();
  const rules = template.ofType(ResourceType.resolverRule);
  for (const association of template.ofType(ResourceType.resolverRuleAssociation)) {
    const rule = template.refProperty(association, "ResolverRuleId", [ResourceType.resolverRule], "a Resolver rule");
    const vpc = template.refProperty(association, "VPCId", [ResourceType.vpc], "a VPC");
    if (isKnown(rule)) {
      const list = vpcsOf.get(rule.value) ?? [];
      list.push(vpc);
      vpcsOf.set(rule.value, list);
      continue;
    }
    world.resolverRules.set(association.id, ruleOutsideInput(template.base(association), rule, vpc, "template"));
  }
  for (const resource of rules) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const type = template.str(template.prop(resource, "RuleType"), "RuleType", pointer("RuleType"));
    const delegate = isKnown(type) && type.value === "DELEGATE";
    const domainProperty = delegate && template.prop(resource, "DomainName").kind === "none" ? "DelegationRecord" : "DomainName";
    const domain = template.str(template.prop(resource, domainProperty), domainProperty, pointer(domainProperty));
    const targets = template.list(template.prop(resource, "TargetIps"), "TargetIps", pointer("TargetIps"), (item, i) => {
      const ip = template.str(template.member(item, "Ip"), `TargetIps[${i}].Ip`, item.at ?? pointer("TargetIps"));
      const port = template.member(item, "Port");
      return isKnown(ip) && port.kind === "scalar" && port.value !== null ? known(`${ip.value}:${String(port.value)}`) : ip;
    });
    world.resolverRules.set(resource.id, {
      ...template.base(resource),
      domainName: isKnown(domain) ? known(dnsName(domain.value), domain.origin) : domain,
      ruleType: isKnown(type) ? known(type.value.toUpperCase(), type.origin) : type,
      targets: isKnown(targets) ? known(targets.value.filter(isKnown).map((t) => t.value)) : known([]),
      vpcs: known(vpcsOf.get(resource.id) ?? []),
    });
  }
}
