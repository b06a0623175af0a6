/**
 * Network ACLs and their entries (AWS::EC2::NetworkAclEntry), also entries added to a VPC's default
 * network ACL.
 */
import {
  defaulted,
  known,
  type NetworkAcl,
  type NetworkAclEntry,
  type Protocol,
  type Ref,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { UnplacedAclRules } from "../common/unplaced-acl-rules.js";
import { keyOf, mayNameTemplateResource, type Template } from "./template.js";
import { type ResourceInfo, ResourceType } from "./types.js";

export function buildNetworkAcls(template: Template, world: World): void {
  const entries = new Map<Ref, NetworkAclEntry[]>();
  const unplaced = new UnplacedAclRules();
  for (const resource of template.ofType(ResourceType.networkAclEntry)) {
    const id = template.prop(resource, "NetworkAclId");
    const acl = keyOf(id, [ResourceType.networkAcl]);
    if (!acl && mayNameTemplateResource(id)) {
      const entry = aclEntry(template, resource);
      for (const egress of entry.conditional && !resource.conditional ? [false, true] : [entry.egress])
        unplaced.add(egress ? "egress" : "ingress", resource.id, entry.origin, id.reason, entry.action);
    }
    if (!acl) continue;
    const list = entries.get(acl) ?? [];
    list.push(aclEntry(template, resource));
    entries.set(acl, list);
  }
  for (const resource of template.ofType(ResourceType.networkAcl)) {
    const acl: NetworkAcl = {
      ...template.base(resource),
      vpc: template.refProperty(resource, "VpcId", [ResourceType.vpc], "a VPC"),
      entries: entries.get(resource.id) ?? [],
      entriesComplete: true,
      isDefault: false,
    };
    world.networkAcls.set(resource.id, acl);
  }
  for (const [key, list] of entries) {
    const acl = world.networkAcls.get(key);
    if (acl?.isDefault) world.networkAcls.set(key, { ...acl, entries: [...acl.entries, ...list] });
  }
  const anywhere = unplaced.entries("template", undefined);
  if (anywhere.length > 0)
    for (const [key, acl] of world.networkAcls) world.networkAcls.set(key, { ...acl, entries: [...acl.entries, ...anywhere] });
}

function aclEntry(template: Template, resource: ResourceInfo): NetworkAclEntry {
  const pointer = (name: string) => template.propertyPointer(resource, name);
  const egressValue = template.withDefault(template.prop(resource, "Egress"), false, (ev) =>
    template.bool(ev, "Egress", pointer("Egress")),
  );
  const protocol = template.protocol(template.prop(resource, "Protocol"), "Protocol", pointer("Protocol"));
  const conditional =
    resource.conditional ??
    (egressValue.kind === "unknown"
      ? { code: egressValue.reason.code, message: `the direction of this entry is not known: ${egressValue.reason.message}` }
      : undefined);
  return {
    ruleNumber: template.num(template.prop(resource, "RuleNumber"), "RuleNumber", pointer("RuleNumber")),
    egress: egressValue.kind === "known" ? egressValue.value : false,
    protocol,
    action: actionOf(template, resource),
    cidr: cidrOf(template, resource),
    portRange: portRangeOf(template, resource, protocol),
    origin: template.origin(resource.pointer),
    ...(conditional ? { conditional } : {}),
  };
}

function actionOf(template: Template, resource: ResourceInfo): Value<"allow" | "deny"> {
  const action = template.str(template.prop(resource, "RuleAction"), "RuleAction", template.propertyPointer(resource, "RuleAction"));
  if (action.kind !== "known") return action;
  const lower = action.value.toLowerCase();
  return lower === "allow" || lower === "deny"
    ? known(lower, action.origin)
    : unknown("unresolved", `RuleAction is '${action.value}'`, undefined, action.origin);
}

/** CidrBlock, else Ipv6CidrBlock. */
function cidrOf(template: Template, resource: ResourceInfo): NetworkAclEntry["cidr"] {
  const v4 = template.prop(resource, "CidrBlock");
  const property = v4.kind !== "none" ? "CidrBlock" : "Ipv6CidrBlock";
  const ev = v4.kind !== "none" ? v4 : template.prop(resource, "Ipv6CidrBlock");
  const text = template.str(ev, property, template.propertyPointer(resource, property));
  return text.kind === "known" ? known({ kind: v4.kind !== "none" ? "ipv4" : "ipv6", cidr: text.value }, text.origin) : text;
}

/** Only TCP and UDP entries have a port range. */
function portRangeOf(template: Template, resource: ResourceInfo, protocol: Value<Protocol>): NetworkAclEntry["portRange"] {
  if (protocol.kind === "known" && protocol.value !== "tcp" && protocol.value !== "udp") return defaulted(null);
  const range = template.prop(resource, "PortRange");
  if (range.kind === "none") {
    return protocol.kind === "known"
      ? unknown("unresolved", `PortRange is missing for protocol ${protocol.value}`, undefined, template.origin(resource.pointer))
      : unknown(protocol.reason.code, protocol.reason.message, protocol.reason.decide, protocol.origin);
  }
  const pointer = template.propertyPointer(resource, "PortRange");
  const from = template.num(template.member(range, "From"), "PortRange.From", pointer);
  const to = template.num(template.member(range, "To"), "PortRange.To", pointer);
  if (from.kind !== "known") return from;
  if (to.kind !== "known") return to;
  return known({ from: from.value, to: to.value }, template.origin(pointer));
}
