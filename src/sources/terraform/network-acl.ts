/**
 * Network ACLs of a plan and their entries: inline ingress/egress blocks and aws_network_acl_rule,
 * also entries on a VPC's default ACL that no aws_default_network_acl manages.
 */
import { defaulted, known, type NetworkAclEntry, type Ref, type Value, type World } from "../../model/index.js";
import { UnplacedAclRules } from "../common/unplaced-acl-rules.js";
import { Candidates, leadsNowhere, unknownAclEntry } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import { AFTER_APPLY, type Path, type Reader } from "./reader.js";
import { protocolOf } from "./security-group.js";
import { vpcOfElement } from "./vpc.js";

/** An entry's direction, by its egress flag as a number. */
const DIRECTIONS = ["ingress", "egress"] as const;

function aclAction(reader: Reader, resource: TfResource, path: Path): Value<"allow" | "deny"> {
  return reader.scalar(
    resource,
    path,
    (v) =>
      typeof v === "string" && (v.toLowerCase() === "allow" || v.toLowerCase() === "deny")
        ? (v.toLowerCase() as "allow" | "deny")
        : undefined,
    () => reader.missing(resource, path),
  );
}

function aclEntry(
  reader: Reader,
  resource: TfResource,
  at: Path,
  egress: boolean,
  names: { number: string; action: string },
): NetworkAclEntry {
  const protocol = protocolOf(reader, resource, [...at, "protocol"]);
  const v4 = reader.raw(resource, [...at, "cidr_block"]);
  const useV6 =
    (v4.kind === "null" || (v4.kind === "value" && v4.value === "")) && reader.raw(resource, [...at, "ipv6_cidr_block"]).kind !== "null";
  const cidrText = reader.str(resource, [...at, useV6 ? "ipv6_cidr_block" : "cidr_block"]);
  const cidr: NetworkAclEntry["cidr"] =
    cidrText.kind === "known" ? known({ kind: useV6 ? "ipv6" : "ipv4", cidr: cidrText.value }, cidrText.origin) : cidrText;
  let portRange: NetworkAclEntry["portRange"];
  if (protocol.kind === "known" && protocol.value !== "tcp" && protocol.value !== "udp") portRange = defaulted(null);
  else {
    const from = reader.num(resource, [...at, "from_port"]);
    const to = reader.num(resource, [...at, "to_port"]);
    portRange =
      from.kind !== "known"
        ? from
        : to.kind !== "known"
          ? to
          : known({ from: from.value, to: to.value }, reader.origin(resource, [...at, "from_port"]));
  }
  return {
    ruleNumber: reader.num(resource, [...at, names.number]),
    egress,
    protocol,
    action: aclAction(reader, resource, [...at, names.action]),
    cidr,
    portRange,
    origin: reader.origin(resource, at.length > 0 ? at : undefined),
  };
}

export function buildNetworkAcls(reader: Reader, world: World): void {
  const standalone = new Map<Ref, NetworkAclEntry[]>();
  // Rules whose ACL count.index (or each.key) picks: each ACL they may name gets an entry that is not known.
  const uncertain = new Candidates(reader, "network ACLs", false);
  const unplaced = new UnplacedAclRules();
  for (const resource of reader.index.ofType("aws_network_acl_rule")) {
    const acl = reader.ref(resource, ["network_acl_id"], ELEMENT.networkAcl);
    const egress = reader.bool(resource, ["egress"], false);
    if (acl?.kind === "unknown") {
      const nowhere = leadsNowhere(reader, resource, ["network_acl_id"], ELEMENT.networkAcl);
      for (const direction of egress.kind === "known" ? [DIRECTIONS[Number(egress.value)]!] : DIRECTIONS) {
        uncertain.add(resource, ["network_acl_id"], ELEMENT.networkAcl, false, direction);
        if (nowhere)
          unplaced.add(
            direction,
            resource.address,
            reader.origin(resource, ["network_acl_id"]),
            acl.reason,
            aclAction(reader, resource, ["rule_action"]),
          );
      }
    }
    if (acl?.kind !== "known") continue;
    const list = standalone.get(acl.value) ?? [];
    list.push(
      reader.addsIfCreated(resource, {
        ...aclEntry(reader, resource, [], egress.kind === "known" ? egress.value : false, { number: "rule_number", action: "rule_action" }),
        ...(egress.kind === "unknown"
          ? { conditional: { code: egress.reason.code, message: `the direction of this entry is not known: ${egress.reason.message}` } }
          : {}),
      }),
    );
    standalone.set(acl.value, list);
  }
  for (const resource of reader.index.ofType("aws_network_acl", "aws_default_network_acl")) {
    const key = reader.keyOf(resource);
    const entries: NetworkAclEntry[] = [];
    let complete = true;
    for (const direction of ["ingress", "egress"] as const) {
      const raw = reader.raw(resource, [direction]);
      if (raw.kind === "value" && Array.isArray(raw.value)) {
        for (let i = 0; i < raw.value.length; i++)
          entries.push(aclEntry(reader, resource, [direction, i], direction === "egress", { number: "rule_no", action: "action" }));
      } else if (raw.kind === "unknown" && reader.configured(resource, [direction]) === true) complete = false;
    }
    entries.push(...(standalone.get(key) ?? []));
    world.networkAcls.set(key, {
      ...reader.base(resource),
      vpc: vpcOfElement(reader, resource, key, "network-acl", `the VPC of ${resource.address} is not known`),
      entries,
      entriesComplete: complete,
      isDefault: resource.type === "aws_default_network_acl",
    });
  }
  // aws_network_acl_rule on a synthesized default ACL adds to AWS's allow-all entries.
  const adopted = new Set(reader.index.ofType("aws_default_network_acl").map((d) => reader.keyOf(d)));
  for (const [key, list] of standalone) {
    const acl = world.networkAcls.get(key);
    if (acl?.isDefault && !adopted.has(key)) world.networkAcls.set(key, { ...acl, entries: [...acl.entries, ...list] });
  }
  // Entries a rule that picks one of several ACLs may add, or one whose ACL the configuration does not lead to: number,
  // action, protocol, ports and CIDR not known.
  const anywhere = unplaced.entries("plan", AFTER_APPLY);
  for (const [key, acl] of world.networkAcls) {
    const maybe = DIRECTIONS.flatMap((direction) => {
      const why = uncertain.unknownFor(key, `add ${direction} entries to`, "network ACL", direction);
      return why ? [unknownAclEntry(why, direction === "egress")] : [];
    });
    maybe.push(...anywhere);
    if (maybe.length > 0) world.networkAcls.set(key, { ...acl, entries: [...acl.entries, ...maybe] });
  }
}
