/**
 * Security groups: inline rules, rules of standalone AWS::EC2::SecurityGroupIngress / Egress resources
 * (also on a VPC's default group), and the default allow-all egress rule where nothing replaces it.
 */
import {
  allowAllEgressRule,
  defaulted,
  type EgressManagement,
  known,
  type Origin,
  type Peer,
  type Protocol,
  portsMeaning,
  type Ref,
  type SecurityGroup,
  type SecurityGroupRule,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { keyOf, mayNameTemplateResource, type Template } from "./template.js";
import { type Evaluated, type ResourceInfo, ResourceType } from "./types.js";

/** From/to ports by protocol: all → 0–65535; tcp/udp need them (-1 = all); icmp keeps type/code. */
function portValues(
  template: Template,
  protocol: Value<Protocol>,
  from: Evaluated,
  to: Evaluated,
  pointers: { from: string; to: string },
): { fromPort: Value<number>; toPort: Value<number> } {
  const read = (ev: Evaluated, label: string, pointer: string, edge: number, missing: Value<number>): Value<number> => {
    if (ev.kind === "none") return missing;
    const value = template.num(ev, label, pointer);
    return value.kind === "known" && value.value === -1 ? known(edge, value.origin) : value;
  };
  if (protocol.kind === "known") {
    const p = protocol.value;
    if (portsMeaning(p) === "none") return { fromPort: defaulted(0), toPort: defaulted(65535) };
    if (portsMeaning(p) === "icmp-type-code") {
      const keep = (ev: Evaluated, label: string, pointer: string) =>
        ev.kind === "none" ? defaulted(-1) : template.num(ev, label, pointer);
      return { fromPort: keep(from, "FromPort", pointers.from), toPort: keep(to, "ToPort", pointers.to) };
    }
    const missing = (label: string, pointer: string) =>
      unknown("unresolved", `${label} is missing for protocol ${p}`, undefined, template.origin(pointer));
    return {
      fromPort: read(from, "FromPort", pointers.from, 0, missing("FromPort", pointers.from)),
      toPort: read(to, "ToPort", pointers.to, 65535, missing("ToPort", pointers.to)),
    };
  }
  const unknownPort = unknown(protocol.reason.code, protocol.reason.message, protocol.reason.decide, protocol.origin);
  return {
    fromPort: read(from, "FromPort", pointers.from, 0, unknownPort),
    toPort: read(to, "ToPort", pointers.to, 65535, unknownPort),
  };
}

function peerValue(
  template: Template,
  direction: "ingress" | "egress",
  get: (name: string) => Evaluated,
  pointer: (name: string) => string,
): Value<Peer> {
  const groupProperty = direction === "ingress" ? "SourceSecurityGroupId" : "DestinationSecurityGroupId";
  const prefixProperty = direction === "ingress" ? "SourcePrefixListId" : "DestinationPrefixListId";
  const candidates = ["CidrIp", "CidrIpv6", groupProperty, ...(direction === "ingress" ? ["SourceSecurityGroupName"] : []), prefixProperty];
  for (const property of candidates) {
    const ev = get(property);
    if (ev.kind === "none") continue;
    const at = pointer(property);
    const origin = template.origin(ev.at ?? at);
    if (property === "CidrIp" || property === "CidrIpv6") {
      const cidr = template.str(ev, property, at);
      if (cidr.kind !== "known") return cidr;
      return known(property === "CidrIp" ? { kind: "cidr", cidr: cidr.value } : { kind: "cidr6", cidr: cidr.value }, origin);
    }
    if (ev.kind === "unknown" && ev.reason.code === "condition") return template.unknownFrom(ev, property, at);
    if (property === prefixProperty) {
      const id: Value<string> = ev.kind === "ref" ? known(ev.id, origin) : template.str(ev, property, at);
      return known({ kind: "prefix-list", id }, origin);
    }
    return known(
      { kind: "security-group", group: template.ref(ev, property, at, [ResourceType.securityGroup], "a security group") },
      origin,
    );
  }
  return unknown(
    "unresolved",
    "the rule names no peer (CidrIp, CidrIpv6, security group or prefix list)",
    undefined,
    template.origin(pointer("")),
  );
}

function ruleFrom(
  template: Template,
  direction: "ingress" | "egress",
  get: (name: string) => Evaluated,
  pointer: (name: string) => string,
  origin: Origin,
  conditional: UnknownReason | undefined,
): SecurityGroupRule {
  const protocol = template.protocol(get("IpProtocol"), "IpProtocol", pointer("IpProtocol"));
  const ports = portValues(template, protocol, get("FromPort"), get("ToPort"), { from: pointer("FromPort"), to: pointer("ToPort") });
  const description = get("Description");
  return {
    direction,
    protocol,
    ...ports,
    peer: peerValue(template, direction, get, pointer),
    ...(description.kind === "scalar" && typeof description.value === "string" ? { description: description.value } : {}),
    origin,
    ...(conditional ? { conditional } : {}),
  };
}

/** Inline rules of a group: a list of rule mappings; an unknown item becomes a rule of unknowns. */
function inlineRules(
  template: Template,
  resource: ResourceInfo,
  property: "SecurityGroupIngress" | "SecurityGroupEgress",
): SecurityGroupRule[] | UnknownReason {
  const direction = property === "SecurityGroupIngress" ? "ingress" : "egress";
  const ev = template.prop(resource, property);
  if (ev.kind === "none") return [];
  if (ev.kind === "unknown") return ev.reason;
  if (ev.kind !== "list") return { code: "unresolved", message: `${property} is not a list` };
  return ev.items.map((item, i) => {
    const itemPointer = item.at ?? template.propertyPointer(resource, property, i);
    const origin = template.origin(itemPointer);
    if (item.kind === "unknown") {
      const value = unknown(item.reason.code, item.reason.message, item.reason.decide, origin);
      return {
        direction,
        protocol: value,
        fromPort: value,
        toPort: value,
        peer: value,
        origin,
        ...(item.reason.code === "condition"
          ? { conditional: item.reason }
          : resource.conditional
            ? { conditional: resource.conditional }
            : {}),
      };
    }
    return ruleFrom(
      template,
      direction,
      (name) => template.member(item, name),
      (name) => (name ? `${itemPointer}/${name}` : itemPointer),
      origin,
      resource.conditional,
    );
  });
}

/** Rules of AWS::EC2::SecurityGroupIngress / SecurityGroupEgress resources, by the group of the template they add to. */
interface StandaloneRules {
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
  egressResources: ResourceInfo[];
}

export function buildSecurityGroups(template: Template, world: World): void {
  const { standalone, anywhere } = standaloneRules(template);
  for (const resource of template.ofType(ResourceType.securityGroup)) {
    world.securityGroups.set(resource.id, securityGroupOf(template, resource, withAnywhere(standalone.get(resource.id), anywhere)));
  }
  // Standalone rules on a VPC's default group (GroupId: !GetAtt Vpc.DefaultSecurityGroup) add to it.
  for (const [key, extra] of standalone) {
    const group = world.securityGroups.get(key);
    if (!group?.isDefault) continue;
    world.securityGroups.set(key, { ...group, ingress: [...group.ingress, ...extra.ingress], egress: [...group.egress, ...extra.egress] });
  }
}

/** A group's standalone rules with the rules whose group is not known, which any group of the template may hold. */
function withAnywhere(own: StandaloneRules | undefined, anywhere: StandaloneRules): StandaloneRules | undefined {
  if (anywhere.ingress.length + anywhere.egress.length === 0) return own;
  return {
    ingress: [...(own?.ingress ?? []), ...anywhere.ingress],
    egress: [...(own?.egress ?? []), ...anywhere.egress],
    egressResources: [...(own?.egressResources ?? []), ...anywhere.egressResources],
  };
}

/**
 * Standalone rules by the group of the template they add to; and, as `anywhere`, those whose GroupId may name a
 * group of the template without its being known which (a condition left open): conditional on every group.
 */
function standaloneRules(template: Template): { standalone: Map<Ref, StandaloneRules>; anywhere: StandaloneRules } {
  const standalone = new Map<Ref, StandaloneRules>();
  const anywhere: StandaloneRules = { ingress: [], egress: [], egressResources: [] };
  for (const [type, direction] of [
    [ResourceType.securityGroupIngress, "ingress"],
    [ResourceType.securityGroupEgress, "egress"],
  ] as const) {
    for (const resource of template.ofType(type)) {
      const id = template.prop(resource, "GroupId");
      let group = keyOf(id, [ResourceType.securityGroup]);
      if (!group && direction === "ingress") group = keyOf(template.prop(resource, "GroupName"), [ResourceType.securityGroup]);
      const somewhere = !group && mayNameTemplateResource(id);
      if (!group && !somewhere) continue;
      const rule = ruleFrom(
        template,
        direction,
        (name) => template.prop(resource, name),
        (name) => (name ? template.propertyPointer(resource, name) : resource.pointer),
        template.origin(resource.pointer),
        somewhere && id.kind === "unknown"
          ? {
              code: id.reason.code,
              message: `${resource.id} adds this ${direction} rule to a group the template does not name (${id.reason.message}): it may be this one`,
              ...(id.reason.decide ? { decide: id.reason.decide } : {}),
            }
          : resource.conditional,
      );
      if (!group) {
        anywhere[direction].push(rule);
        if (direction === "egress") anywhere.egressResources.push(resource);
        continue;
      }
      const entry = standalone.get(group) ?? { ingress: [], egress: [], egressResources: [] };
      entry[direction].push(rule);
      if (direction === "egress") entry.egressResources.push(resource);
      standalone.set(group, entry);
    }
  }
  nestedStackRules(template, standalone);
  return { standalone, anywhere };
}

/**
 * A nested stack given a group of this template (in its Parameters) may add egress rules to it, and any such rule
 * removes the default allow-all egress rule; its template is not read here. Each such group gets an egress rule of
 * unknowns, conditional on the nested stack's doing so, which leaves the default rule conditional too.
 */
function nestedStackRules(template: Template, standalone: Map<Ref, StandaloneRules>): void {
  for (const stack of template.ofType(ResourceType.nestedStack)) {
    const parameters = template.prop(stack, "Parameters");
    if (parameters.kind !== "map") continue;
    for (const [name, value] of parameters.entries) {
      const at = template.propertyPointer(stack, "Parameters", name);
      for (const item of value.kind === "list" ? value.items : [value]) {
        const group = keyOf(item, [ResourceType.securityGroup]);
        if (!group) continue;
        const reason: UnknownReason = {
          code: "outside",
          message: `the nested stack ${stack.id} is given this group (parameter ${name}) and may add egress rules to it, which would remove the default allow-all egress rule`,
          decide: "lint the nested stack's template as well, or keep the group's egress rules in this template",
        };
        const rule = ruleFrom(
          template,
          "egress",
          () => ({ kind: "unknown", reason, at }),
          () => at,
          template.origin(at),
          reason,
        );
        const entry = standalone.get(group) ?? { ingress: [], egress: [], egressResources: [] };
        entry.egress.push(rule);
        entry.egressResources.push(stack);
        standalone.set(group, entry);
      }
    }
  }
}

function securityGroupOf(template: Template, resource: ResourceInfo, extra: StandaloneRules | undefined): SecurityGroup {
  const origin = template.origin(resource.pointer);
  const ingress = inlineRules(template, resource, "SecurityGroupIngress");
  const inlineEgress = inlineRules(template, resource, "SecurityGroupEgress");
  const standaloneEgress = extra?.egress ?? [];
  const egress: SecurityGroupRule[] = [...(Array.isArray(inlineEgress) ? inlineEgress : []), ...standaloneEgress];
  const defaultRule = Array.isArray(inlineEgress) ? defaultEgressRule(resource, origin, egress) : undefined;
  const unresolved = !Array.isArray(ingress) ? ingress : !Array.isArray(inlineEgress) ? inlineEgress : undefined;
  const vpcEv = template.prop(resource, "VpcId");
  const groupNameEv = template.prop(resource, "GroupName");
  return {
    ...template.base(resource),
    vpc:
      vpcEv.kind === "none"
        ? unknown("outside", "no VpcId: the group is in the default VPC, which is not in this template", undefined, origin)
        : template.ref(vpcEv, "VpcId", template.propertyPointer(resource, "VpcId"), [ResourceType.vpc], "a VPC"),
    ...(groupNameEv.kind !== "none"
      ? { groupName: template.str(groupNameEv, "GroupName", template.propertyPointer(resource, "GroupName")) }
      : {}),
    ingress: [...(Array.isArray(ingress) ? ingress : []), ...(extra?.ingress ?? [])],
    egress: defaultRule ? [...egress, defaultRule] : egress,
    rulesComplete: unresolved ? unknown(unresolved.code, unresolved.message, unresolved.decide, origin) : known(true),
    egressManagement: egressManagementOf(inlineEgress, standaloneEgress, extra),
    isDefault: false,
  };
}

/** Who decides the group's egress rules: inline, standalone resources, or AWS's default rule. */
function egressManagementOf(
  inlineEgress: SecurityGroupRule[] | UnknownReason,
  standaloneEgress: readonly SecurityGroupRule[],
  extra: StandaloneRules | undefined,
): EgressManagement {
  if (!Array.isArray(inlineEgress)) {
    return { mode: "unknown", basis: `SecurityGroupEgress cannot be evaluated: ${inlineEgress.message}` };
  }
  if (standaloneEgress.length > 0) {
    return {
      mode: "standalone",
      basis: `${extra!.egressResources
        .map((r) => (r.type === ResourceType.nestedStack ? `the nested stack ${r.id}` : `AWS::EC2::SecurityGroupEgress ${r.id}`))
        .join(", ")} replaces the default allow-all egress rule`,
    };
  }
  if (inlineEgress.length > 0) {
    return { mode: "inline", basis: "SecurityGroupEgress lists the egress rules; the default allow-all rule is removed" };
  }
  return { mode: "cloudformation-default", basis: "no SecurityGroupEgress: AWS keeps the default allow-all egress rule" };
}

/** The default allow-all egress rule stays when nothing replaces it, or when everything that would is conditional. */
function defaultEgressRule(
  resource: ResourceInfo,
  origin: Origin,
  replacements: readonly SecurityGroupRule[],
): SecurityGroupRule | undefined {
  if (!replacements.every((rule) => rule.conditional && rule.conditional !== resource.conditional)) return undefined;
  const conditional =
    replacements.length > 0
      ? {
          conditional: {
            code: "condition" as const,
            message: `the default allow-all egress rule stays only if the conditional egress rules are not created`,
          },
        }
      : resource.conditional
        ? { conditional: resource.conditional }
        : {};
  return { ...allowAllEgressRule(origin), description: "default allow-all egress rule", ...conditional };
}
