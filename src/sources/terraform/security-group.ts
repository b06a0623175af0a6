/**
 * Security groups of a plan and their rules: inline ingress/egress blocks, aws_security_group_rule,
 * aws_vpc_security_group_ingress_rule / _egress_rule, also rules on a VPC's default group that no
 * aws_default_security_group manages. An aws_security_group without egress blocks has no egress at all.
 */
import {
  defaulted,
  type EgressManagement,
  known,
  normalizeProtocol,
  type Origin,
  type Peer,
  type Protocol,
  portsMeaning,
  type Ref,
  type SecurityGroupRule,
  type UnknownReason,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import { type Candidacy, Candidates, candidacyText } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import type { Path, Reader } from "./reader.js";
import { vpcOfElement } from "./vpc.js";

export function protocolOf(reader: Reader, resource: TfResource, path: Path): Value<Protocol> {
  const value = reader.str(resource, path);
  return value.kind === "known" ? known(normalizeProtocol(value.value), value.origin) : value;
}

function portsOf(
  reader: Reader,
  resource: TfResource,
  protocol: Value<Protocol>,
  from: Path,
  to: Path,
): { fromPort: Value<number>; toPort: Value<number> } {
  if (protocol.kind === "known") {
    const p = protocol.value;
    if (portsMeaning(p) === "none") return { fromPort: defaulted(0), toPort: defaulted(65535) };
    if (portsMeaning(p) === "icmp-type-code") return { fromPort: reader.num(resource, from, -1), toPort: reader.num(resource, to, -1) };
  }
  const edge = (path: Path, value: number) => {
    const v = reader.num(resource, path);
    return v.kind === "known" && v.value === -1 ? known(value, v.origin) : v;
  };
  return { fromPort: edge(from, 0), toPort: edge(to, 65535) };
}

interface PeerFields {
  cidr4?: Path;
  cidr6?: Path;
  prefixList?: Path;
  group?: Path;
  self?: Path;
}

/** Peers of a rule: every CIDR, prefix list and group it names (an inline rule may name several). */
function peersOf(reader: Reader, resource: TfResource, ownKey: Ref, fields: PeerFields, ruleOrigin: Origin): Value<Peer>[] {
  const peers: Value<Peer>[] = [];
  const strings = (path: Path | undefined, make: (s: string, origin: Origin | undefined) => Value<Peer>) => {
    if (!path) return;
    const raw = reader.raw(resource, path);
    if (raw.kind === "null") return;
    if (raw.kind === "value") {
      for (const item of Array.isArray(raw.value) ? raw.value : [raw.value])
        if (typeof item === "string" && item !== "") peers.push(make(item, reader.origin(resource, path)));
      return;
    }
    const v = reader.str(resource, path);
    if (v.kind === "unknown") peers.push(v);
  };
  strings(fields.cidr4, (cidr, origin) => known({ kind: "cidr", cidr }, origin));
  strings(fields.cidr6, (cidr, origin) => known({ kind: "cidr6", cidr }, origin));
  strings(fields.prefixList, (id, origin) => known({ kind: "prefix-list", id: known(id, origin) }, origin));
  if (fields.group) {
    const raw = reader.raw(resource, fields.group);
    if (raw.kind === "value" && !Array.isArray(raw.value)) {
      const group = reader.ref(resource, fields.group, ELEMENT.securityGroup);
      if (group) peers.push(known({ kind: "security-group", group }, ruleOrigin));
    } else if (raw.kind !== "null") {
      const groups = reader.refList(resource, fields.group, ELEMENT.securityGroup);
      if (groups?.kind === "unknown") peers.push(groups);
      else for (const g of groups?.value ?? []) peers.push(known({ kind: "security-group", group: g }, ruleOrigin));
    }
  }
  if (fields.self) {
    const self = reader.raw(resource, fields.self);
    if (self.kind === "value" && self.value === true) peers.push(known({ kind: "security-group", group: known(ownKey) }, ruleOrigin));
  }
  return peers;
}

function rules(
  reader: Reader,
  resource: TfResource,
  direction: "ingress" | "egress",
  at: Path,
  fields: { protocol: string; from: string; to: string; description?: string } & Record<keyof PeerFields, string | undefined>,
  ownKey: Ref,
): SecurityGroupRule[] {
  const origin = reader.origin(resource, at.length > 0 ? at : undefined);
  const protocol = protocolOf(reader, resource, [...at, fields.protocol]);
  const ports = portsOf(reader, resource, protocol, [...at, fields.from], [...at, fields.to]);
  const path = (name: string | undefined) => (name ? [...at, name] : undefined);
  const peerFields: PeerFields = {};
  for (const k of ["cidr4", "cidr6", "prefixList", "group", "self"] as const) {
    const p = path(fields[k]);
    if (p) peerFields[k] = p;
  }
  const description = fields.description ? reader.raw(resource, [...at, fields.description]) : undefined;
  return peersOf(reader, resource, ownKey, peerFields, origin).map((peer) => ({
    direction,
    protocol,
    ...ports,
    peer,
    ...(description?.kind === "value" && typeof description.value === "string" && description.value !== ""
      ? { description: description.value }
      : {}),
    origin,
  }));
}

const INLINE_FIELDS = {
  protocol: "protocol",
  from: "from_port",
  to: "to_port",
  description: "description",
  cidr4: "cidr_blocks",
  cidr6: "ipv6_cidr_blocks",
  prefixList: "prefix_list_ids",
  group: "security_groups",
  self: "self",
};

/** Inline ingress/egress blocks: the rules, or why they are not known. */
function inlineRules(
  reader: Reader,
  resource: TfResource,
  direction: "ingress" | "egress",
  key: Ref,
): { rules: SecurityGroupRule[]; raw: "list" | "empty" | "absent" | "unknown" | "sensitive" } {
  const raw = reader.raw(resource, [direction]);
  if (raw.kind === "value" && Array.isArray(raw.value)) {
    if (raw.value.length === 0) return { rules: [], raw: "empty" };
    return { rules: raw.value.flatMap((_, i) => rules(reader, resource, direction, [direction, i], INLINE_FIELDS, key)), raw: "list" };
  }
  if (raw.kind === "null") return { rules: [], raw: "absent" };
  return { rules: [], raw: raw.kind === "sensitive" ? "sensitive" : "unknown" };
}

const RULE_FIELDS = {
  protocol: "protocol",
  from: "from_port",
  to: "to_port",
  description: "description",
  cidr4: "cidr_blocks",
  cidr6: "ipv6_cidr_blocks",
  prefixList: "prefix_list_ids",
  group: "source_security_group_id",
  self: "self",
};

const VPC_RULE_FIELDS = {
  protocol: "ip_protocol",
  from: "from_port",
  to: "to_port",
  description: "description",
  cidr4: "cidr_ipv4",
  cidr6: "cidr_ipv6",
  prefixList: "prefix_list_id",
  group: "referenced_security_group_id",
  self: undefined,
};

function unknownRule(direction: "ingress" | "egress", reason: UnknownReason, origin: Origin): SecurityGroupRule {
  const value = unknown(reason.code, reason.message, reason.decide, origin);
  return { direction, protocol: value, fromPort: value, toPort: value, peer: value, origin };
}

function tfVersion(reader: Reader): string {
  return reader.index.plan.terraform_version ? `Terraform ${reader.index.plan.terraform_version}` : "this Terraform version";
}

/** What a candidate group of rules whose group the plan does not name is told. */
function uncertainText(c: Candidacy, direction: "ingress" | "egress"): string {
  return candidacyText(c, `add ${direction} rules to`, "group", " rules like it");
}

export function buildSecurityGroups(reader: Reader, world: World): void {
  const standalone = new Map<Ref, { ingress: SecurityGroupRule[]; egress: SecurityGroupRule[]; egressFrom: string[] }>();
  const entry = (key: Ref) => {
    let e = standalone.get(key);
    if (!e) {
      e = { ingress: [], egress: [], egressFrom: [] };
      standalone.set(key, e);
    }
    return e;
  };
  const uncertain = new Candidates(reader, "security groups");
  for (const resource of reader.index.ofType("aws_security_group_rule")) {
    const group = reader.ref(resource, ["security_group_id"], ELEMENT.securityGroup);
    const type = reader.raw(resource, ["type"]);
    const direction = type.kind === "value" && type.value === "egress" ? "egress" : "ingress";
    if (group?.kind !== "known") {
      if (group?.kind === "unknown") uncertain.add(resource, ["security_group_id"], ELEMENT.securityGroup, false, direction);
      continue;
    }
    const e = entry(group.value);
    e[direction].push(...rules(reader, resource, direction, [], RULE_FIELDS, group.value).map((r) => reader.addsIfCreated(resource, r)));
    if (direction === "egress") e.egressFrom.push(resource.address);
  }
  for (const [type, direction] of [
    ["aws_vpc_security_group_ingress_rule", "ingress"],
    ["aws_vpc_security_group_egress_rule", "egress"],
  ] as const) {
    for (const resource of reader.index.ofType(type)) {
      const group = reader.ref(resource, ["security_group_id"], ELEMENT.securityGroup);
      if (group?.kind !== "known") {
        if (group?.kind === "unknown") uncertain.add(resource, ["security_group_id"], ELEMENT.securityGroup, false, direction);
        continue;
      }
      const e = entry(group.value);
      e[direction].push(
        ...rules(reader, resource, direction, [], VPC_RULE_FIELDS, group.value).map((r) => reader.addsIfCreated(resource, r)),
      );
      if (direction === "egress") e.egressFrom.push(resource.address);
    }
  }

  for (const resource of reader.index.ofType("aws_security_group", "aws_default_security_group")) {
    const key = reader.keyOf(resource);
    const isDefault = resource.type === "aws_default_security_group";
    const extra = standalone.get(key);
    const ingress = inlineRules(reader, resource, "ingress", key);
    const egress = inlineRules(reader, resource, "egress", key);
    const egressRules = [...egress.rules, ...(extra?.egress ?? [])];
    const maybe = { egress: uncertain.of(key, "egress"), ingress: uncertain.of(key, "ingress") };
    let management = egressManagementOf(reader, resource, egress.raw, extra?.egressFrom ?? [], isDefault);
    // A rule whose group the plan does not name may be this group's egress: then "none" is not known.
    if (maybe.egress && management.mode === "terraform-none")
      management = { mode: "unknown", basis: uncertainText(maybe.egress, "egress") };
    if (management.mode === "unknown" || (egress.raw === "unknown" && management.mode === "inline"))
      egressRules.push(
        unknownRule(
          "egress",
          { code: "computed", message: management.basis ?? "the egress rules are not known" },
          reader.origin(resource, ["egress"]),
        ),
      );
    else if (maybe.egress)
      egressRules.push(unknownRule("egress", { code: "unresolved", message: uncertainText(maybe.egress, "egress") }, maybe.egress.origin));
    const ingressRules = [...ingress.rules, ...(extra?.ingress ?? [])];
    if (maybe.ingress)
      ingressRules.push(
        unknownRule("ingress", { code: "unresolved", message: uncertainText(maybe.ingress, "ingress") }, maybe.ingress.origin),
      );
    // Computed ingress is "no ingress blocks" (as for egress) unless the configuration shows blocks.
    if (ingress.raw === "sensitive" || (ingress.raw === "unknown" && reader.configured(resource, ["ingress"]) === true))
      ingressRules.push(unknownRule("ingress", reader.computedReason(resource, ["ingress"]), reader.origin(resource, ["ingress"])));
    const name = reader.str(resource, ["name"], () =>
      reader.unknownAt(resource, ["name"], "computed", `the name of ${resource.address} is generated at apply`),
    );
    world.securityGroups.set(key, {
      ...reader.base(resource),
      vpc: vpcOfElement(
        reader,
        resource,
        key,
        "security-group",
        `${resource.address} sets no vpc_id: the group is in the default VPC, which is not in this plan`,
      ),
      groupName: isDefault ? defaulted("default") : name,
      ingress: ingressRules,
      egress: egressRules,
      rulesComplete: known(true),
      egressManagement: management,
      isDefault,
    });
  }

  // Standalone rules on a synthesized default group (security_group_id = aws_vpc.x.default_security_group_id).
  const adopted = new Set(reader.index.ofType("aws_default_security_group").map((d) => reader.keyOf(d)));
  for (const [key, extra] of standalone) {
    const group = world.securityGroups.get(key);
    if (!group?.isDefault || adopted.has(key)) continue;
    world.securityGroups.set(key, { ...group, ingress: [...group.ingress, ...extra.ingress], egress: [...group.egress, ...extra.egress] });
  }
}

/**
 * How the group gets egress, and how we know (DESIGN section 2, the Terraform pitfall): Terraform removes
 * AWS's default allow-all egress rule, so a group without egress blocks and without standalone egress
 * rules has none. Terraform 1.1+ writes inline blocks into the configuration; older plans do not, and the
 * plan itself shows a new group's egress as unknown and an existing group's as [].
 */
function egressManagementOf(
  reader: Reader,
  resource: TfResource,
  raw: "list" | "empty" | "absent" | "unknown" | "sensitive",
  standaloneFrom: string[],
  isDefault: boolean,
): EgressManagement {
  const adopted = isDefault ? "aws_default_security_group removes every rule of the VPC's default group and adds only its own; " : "";
  const noStandalone = "no aws_security_group_rule or aws_vpc_security_group_egress_rule targets it";
  if (standaloneFrom.length > 0)
    return {
      mode: "standalone",
      basis: `egress comes from ${standaloneFrom.join(", ")}${raw === "list" ? " and inline egress blocks" : ""}`,
    };
  const configured = reader.configured(resource, ["egress"]);
  if (raw === "list" || (raw === "unknown" && configured === true))
    return { mode: "inline", basis: "egress blocks in the configuration list the egress rules" };
  if (raw === "sensitive") return { mode: "unknown", basis: `the egress of ${resource.address} is sensitive in the plan` };
  if (configured === false)
    return { mode: "terraform-none", basis: `${adopted}the configuration (${tfVersion(reader)}) has no egress block, and ${noStandalone}` };
  if (raw === "empty")
    return {
      mode: "terraform-none",
      basis: `${adopted}the plan shows egress = [] for ${resource.actions.includes("create") ? "the group" : "the existing group"}, and ${noStandalone}`,
    };
  if (raw === "unknown" && resource.actions.includes("create"))
    return {
      mode: "terraform-none",
      basis: `${adopted}${tfVersion(reader)} plans leave blocks out of the configuration, so this is inferred from the AWS provider's behaviour: the plan shows no egress for the new group (after_unknown.egress = true), which is how it plans a group without egress blocks; ${noStandalone}`,
    };
  if (raw === "absent") return { mode: "terraform-none", basis: `${adopted}the plan shows no egress for the group, and ${noStandalone}` };
  return { mode: "unknown", basis: `the egress of ${resource.address} is known only after apply` };
}
