/**
 * DNS elements of a plan: private hosted zones (aws_route53_zone with vpc blocks or aws_route53_zone_association; public
 * zones are left out) and Route 53 Resolver rules with the VPCs their associations name.
 */
import { isKnown, known, type Ref, unknown, type Value, type World } from "../../model/index.js";
import { dnsName, ruleOutsideInput } from "../common/dns-name.js";
import { byTarget } from "./attachments.js";
import { ELEMENT } from "./element-kinds.js";
import type { Reader } from "./reader.js";

export function buildHostedZones(reader: Reader, world: World): void {
  const associations = byTarget(reader, ["aws_route53_zone_association"], ["zone_id"], ELEMENT.hostedZone, "hosted zones");
  for (const resource of reader.index.ofType("aws_route53_zone")) {
    const key = reader.keyOf(resource);
    const vpcs: Value<Ref>[] = [];
    const raw = reader.raw(resource, ["vpc"]);
    if (raw.kind === "value" && Array.isArray(raw.value))
      raw.value.forEach((_, i) => {
        const v = reader.ref(resource, ["vpc", i, "vpc_id"], ELEMENT.vpc);
        if (v) vpcs.push(v);
      });
    for (const a of associations.byKey.get(key) ?? []) {
      const v = reader.ref(a, ["vpc_id"], ELEMENT.vpc);
      if (v) vpcs.push(v);
    }
    if (vpcs.length === 0) continue; // a public zone (AWS associates VPCs with private zones only)
    // An association that picks one of several zones may add a VPC to this one.
    const maybe = associations.uncertain.unknownFor(key, "associate VPCs with", "hosted zone");
    if (maybe) vpcs.push(maybe);
    const name = reader.str(resource, ["name"]);
    world.hostedZones.set(key, {
      ...reader.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: known(vpcs, reader.origin(resource, ["vpc"])),
    });
  }
}

/**
 * aws_route53_resolver_rule and the VPCs aws_route53_resolver_rule_association names for it. An association whose rule
 * is not in the plan (a rule shared from another account, by id or data source) becomes a rule of its own whose domain
 * and type are not known.
 */
export function buildResolverRules(reader: Reader, world: World): void {
  const associations = byTarget(
    reader,
    ["aws_route53_resolver_rule_association"],
    ["resolver_rule_id"],
    ELEMENT.resolverRule,
    "Resolver rules",
  );
  for (const association of reader.index.ofType("aws_route53_resolver_rule_association")) {
    const rule = reader.ref(association, ["resolver_rule_id"], ELEMENT.resolverRule);
    if (!rule || isKnown(rule)) continue;
    // One of several rules of the plan: each is told it may be associated (below).
    if ((reader.configuredKeys(association, ["resolver_rule_id"], ELEMENT.resolverRule)?.keys.length ?? 0) > 1) continue;
    const vpc = reader.ref(association, ["vpc_id"], ELEMENT.vpc);
    world.resolverRules.set(reader.keyOf(association), ruleOutsideInput(reader.base(association), rule, vpc, "plan"));
  }
  for (const resource of reader.index.ofType("aws_route53_resolver_rule")) {
    const key = reader.keyOf(resource);
    const vpcs: Value<Ref>[] = [];
    for (const a of associations.byKey.get(key) ?? []) {
      const v = reader.ref(a, ["vpc_id"], ELEMENT.vpc);
      if (v) vpcs.push(v);
    }
    const maybe = associations.uncertain.unknownFor(key, "associate VPCs with", "Resolver rule");
    if (maybe) vpcs.push(maybe);
    const type = reader.str(resource, ["rule_type"]);
    const domain = reader.str(resource, ["domain_name"]);
    const targets: string[] = [];
    const raw = reader.raw(resource, ["target_ip"]);
    if (raw.kind === "value" && Array.isArray(raw.value))
      raw.value.forEach((_, i) => {
        const ip = reader.str(resource, ["target_ip", i, "ip"]);
        const port = reader.raw(resource, ["target_ip", i, "port"]);
        if (isKnown(ip)) targets.push(port.kind === "value" && port.value !== null ? `${ip.value}:${String(port.value)}` : ip.value);
      });
    world.resolverRules.set(key, {
      ...reader.base(resource),
      domainName: isKnown(domain) ? known(dnsName(domain.value), domain.origin) : domain,
      ruleType: isKnown(type) ? known(type.value.toUpperCase(), type.origin) : type,
      targets: known(targets),
      vpcs: known(vpcs),
    });
  }
}
