/**
 * Subnets of a plan, with the route table and network ACL each is associated with (the VPC's main
 * table and default ACL when none is).
 */
import {
  defaulted,
  defaultNetworkAclKey,
  known,
  mainRouteTableKey,
  type Ref,
  type UnknownReason,
  unknown,
  type Value,
  type ValueList,
  vpcOfDefaultKey,
  type World,
} from "../../model/index.js";
import { Candidates } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import { AFTER_APPLY, decisiveReasons, type ElementKind, type Path, type Reader } from "./reader.js";

/**
 * Why a resource may put subnets of the plan under a route table or network ACL without naming them: its subnet
 * reference (subnet_id, or a member of subnet_ids) is computed at apply and the configuration does not lead to
 * subnets (a data source read at apply, an expression ssm-doctor does not follow). Undefined when it names a subnet
 * or an id, or one an iteration value picks among known subnets (those are told apart, by Candidates).
 */
function unfollowed(reader: Reader, resource: TfResource, path: Path, value: Value<Ref> | ValueList<Ref>): UnknownReason | undefined {
  const raw = reader.raw(resource, path);
  const computed =
    raw.kind === "unknown" ||
    raw.kind === "sensitive" ||
    (raw.kind === "value" && Array.isArray(raw.value) && raw.value.some((_, i) => reader.raw(resource, [...path, i]).kind === "unknown"));
  if (!computed) return undefined;
  if (value.kind === "unknown" && raw.kind === "sensitive") return value.reason;
  const found = reader.configuredKeys(resource, path, ELEMENT.subnet);
  if (found) return decisiveReasons(found)[0];
  // No configuration to follow: unknown with the reason the reader gave.
  if (value.kind === "unknown") return value.reason;
  const member = Array.isArray(value.value) ? value.value.find((v) => v.kind === "unknown") : undefined;
  return member?.kind === "unknown" ? member.reason : undefined;
}

/**
 * Where a route table, network ACL or subnet is, as far as the plan says: its VPC's key when the plan makes the VPC;
 * OUTSIDE when the VPC (or the table or ACL itself) is an id the plan does not make; undefined when it is not known.
 */
type Scope = Ref | typeof OUTSIDE | undefined;
const OUTSIDE = "#outside";

/** The scope a reference at `path` gives: the key it names, OUTSIDE for a literal id the plan does not make. */
function scopeOf(reader: Reader, resource: TfResource, path: Path, value: Value<Ref> | undefined): Scope {
  if (value?.kind === "known") return value.value;
  const raw = reader.raw(resource, path);
  return raw.kind === "value" && typeof raw.value === "string" && raw.value !== "" ? OUTSIDE : undefined;
}

/**
 * Route tables or network ACLs that resources give to subnets the plan cannot name, by where they are: each subnet
 * that may be there, without one of its own, is told that it may be one of them.
 */
class Unlisted {
  private readonly byScope = new Map<string, { resource: TfResource; path: Path; reason: UnknownReason; tail: string; count: number }>();

  constructor(private readonly reader: Reader) {}

  /** `tail` ends the sentence a subnet is told: "this subnet may be {tail}". */
  add(resource: TfResource, path: Path, reason: UnknownReason, scope: Scope, tail: string): void {
    const at = scope ?? "";
    const seen = this.byScope.get(at);
    if (seen) seen.count++;
    else this.byScope.set(at, { resource, path, reason, tail, count: 1 });
  }

  /**
   * What a subnet is told, if anything: one in a VPC of the plan by what is in that VPC, one in a VPC the plan does
   * not make by what is outside the plan, and either by what may be anywhere; one whose VPC is not known by any. A VPC
   * of the plan that exists already (`existing`: a VPC the plan does not create, such as the default VPC) may hold
   * what is outside the plan too.
   */
  unknownFor(scope: Scope, existing: ReadonlySet<Ref>): Value<Ref> | undefined {
    const u =
      scope === undefined
        ? this.byScope.values().next().value
        : (this.byScope.get(scope) ?? (existing.has(scope) ? this.byScope.get(OUTSIDE) : undefined) ?? this.byScope.get(""));
    if (!u) return undefined;
    const more = u.count > 1 ? ` (and ${u.count - 1} more like it)` : "";
    const label = `${u.path.join(".")} of ${u.resource.address}`;
    // A reason that already names the argument is said as it is.
    const said = u.reason.message.startsWith(`${label} `)
      ? `${u.reason.message}${more}`
      : `${label}${more} is not known: ${u.reason.message}`;
    return unknown(
      u.reason.code,
      `${said}; this subnet may be ${u.tail}`,
      u.reason.decide ?? AFTER_APPLY,
      this.reader.origin(u.resource, u.path),
    );
  }
}

/** Where the route tables or network ACLs the plan makes are (their VPC, or the VPC whose default they are), by key. */
function scopesOf(reader: Reader, type: string, element: "route-table" | "network-acl"): (key: Ref) => Scope {
  let byKey: Map<Ref, Scope> | undefined;
  return (key) => {
    const vpc = vpcOfDefaultKey(key, element);
    if (vpc) return vpc;
    if (!byKey) {
      byKey = new Map();
      for (const resource of reader.index.ofType(type))
        byKey.set(reader.keyOf(resource), scopeOf(reader, resource, ["vpc_id"], reader.ref(resource, ["vpc_id"], ELEMENT.vpc)));
    }
    return byKey.get(key);
  };
}

/** A kind of association of a subnet with a route table or network ACL. */
interface Association {
  readonly type: string;
  /** The argument naming what the subnet is associated with, and its kind. */
  readonly target: string;
  readonly kind: ElementKind;
  /** The resource type of the targets the plan makes, and the VPC default they may be. */
  readonly targetType: string;
  readonly element: "route-table" | "network-acl";
  /** "a route table" */
  readonly noun: string;
}

const ROUTE_TABLE_ASSOCIATION: Association = {
  type: "aws_route_table_association",
  target: "route_table_id",
  kind: ELEMENT.routeTable,
  targetType: "aws_route_table",
  element: "route-table",
  noun: "a route table",
};

const NETWORK_ACL_ASSOCIATION: Association = {
  type: "aws_network_acl_association",
  target: "network_acl_id",
  kind: ELEMENT.networkAcl,
  targetType: "aws_network_acl",
  element: "network-acl",
  noun: "a network ACL",
};

/**
 * Each association of a kind: the subnet it names gets its target (in `into`); subnets a count.index or each.key may
 * pick are told by `uncertain`; when it names a subnet the plan cannot follow, the subnets of the target's VPC are
 * told by `unlisted`.
 */
function associate(reader: Reader, a: Association, into: Map<Ref, Value<Ref>>, uncertain: Candidates, unlisted: Unlisted): void {
  const scopeOfTarget = scopesOf(reader, a.targetType, a.element);
  for (const resource of reader.index.ofType(a.type)) {
    const subnet = reader.ref(resource, ["subnet_id"], ELEMENT.subnet);
    const target = reader.ref(resource, [a.target], a.kind);
    if (!target || !subnet) continue;
    if (subnet.kind === "known") {
      into.set(subnet.value, reader.ifCreated(resource, target));
      continue;
    }
    uncertain.add(resource, ["subnet_id"], ELEMENT.subnet, false, a.element);
    const reason = unfollowed(reader, resource, ["subnet_id"], subnet);
    if (!reason) continue;
    const scope = target.kind === "known" ? scopeOfTarget(target.value) : scopeOf(reader, resource, [a.target], target);
    unlisted.add(resource, ["subnet_id"], reason, scope, `associated with ${target.kind === "known" ? target.value : a.noun}`);
  }
}

export function buildSubnets(reader: Reader, world: World): void {
  const routeTables = new Map<Ref, Value<Ref>>();
  // Associations whose subnet count.index (or each.key) picks: each subnet they may name has no certain table or ACL.
  const uncertain = new Candidates(reader, "subnets", false);
  const unlistedTables = new Unlisted(reader);
  associate(reader, ROUTE_TABLE_ASSOCIATION, routeTables, uncertain, unlistedTables);
  const acls = new Map<Ref, Value<Ref>>();
  const unlistedAcls = new Unlisted(reader);
  /** VPCs of the plan that exist already: their id is known. */
  const existing = new Set<Ref>();
  for (const vpc of reader.index.ofType("aws_vpc", "aws_default_vpc"))
    if (vpc.type === "aws_default_vpc" || reader.raw(vpc, ["id"]).kind === "value") existing.add(reader.keyOf(vpc));
  // Lowest precedence first: the default ACL's subnet_ids, an ACL's subnet_ids, then associations.
  for (const type of ["aws_default_network_acl", "aws_network_acl"]) {
    for (const resource of reader.index.ofType(type)) {
      const subnets = reader.refList(resource, ["subnet_ids"], ELEMENT.subnet);
      if (!subnets) continue;
      const reason = type === "aws_network_acl" ? unfollowed(reader, resource, ["subnet_ids"], subnets) : undefined;
      if (reason) {
        const scope = scopeOf(reader, resource, ["vpc_id"], reader.ref(resource, ["vpc_id"], ELEMENT.vpc));
        unlistedAcls.add(resource, ["subnet_ids"], reason, scope, "one of them");
      }
      if (subnets.kind !== "known") continue;
      for (const s of subnets.value)
        if (s.kind === "known") acls.set(s.value, known(reader.keyOf(resource), reader.origin(resource, ["subnet_ids"])));
      if (subnets.value.some((s) => s.kind === "unknown")) uncertain.add(resource, ["subnet_ids"], ELEMENT.subnet, true, "network-acl");
    }
  }
  associate(reader, NETWORK_ACL_ASSOCIATION, acls, uncertain, unlistedAcls);

  // A main route table association whose VPC count.index picks: a subnet without a table of its own in a VPC it
  // may name uses a main table that is not known.
  const uncertainMain = new Candidates(reader, "VPCs");
  // Main route table associations that may not be created (configuration mode, count not known), by their VPC.
  const mayBeMain = new Map<Ref, TfResource>();
  for (const resource of reader.index.ofType("aws_main_route_table_association")) {
    const vpc = reader.ref(resource, ["vpc_id"], ELEMENT.vpc);
    if (vpc?.kind === "unknown") uncertainMain.add(resource, ["vpc_id"], ELEMENT.vpc);
    else if (vpc?.kind === "known" && resource.mayNotExist) mayBeMain.set(vpc.value, resource);
  }

  /** The VPC's main table: one a known association made main, else the VPC's own unless an association may replace it. */
  const mainTable = (vpc: Ref, associated: Ref | undefined): Value<Ref> => {
    const own = mainRouteTableKey(vpc);
    if (associated && associated !== own) return defaulted(associated);
    const maybe = mayBeMain.get(vpc);
    if (maybe) return reader.ifCreated(maybe, defaulted(own));
    return uncertainMain.unknownFor(vpc, "make a route table the main one of", "VPC") ?? defaulted(own);
  };

  for (const resource of reader.index.ofType("aws_subnet", "aws_default_subnet")) {
    const key = reader.keyOf(resource);
    const isDefault = resource.type === "aws_default_subnet";
    const vpc =
      reader.ref(resource, ["vpc_id"], ELEMENT.vpc) ??
      reader.unknownAt<Ref>(resource, ["vpc_id"], "outside", `the VPC of ${resource.address} is not in this plan`);
    const vpcKey = vpc.kind === "known" ? vpc.value : undefined;
    const scope = scopeOf(reader, resource, ["vpc_id"], vpc);
    const outsideVpc = (what: string) =>
      unknown(
        "outside",
        `the VPC of ${resource.address} is not in this plan, so its ${what} is not known`,
        undefined,
        reader.origin(resource, ["vpc_id"]),
      );
    const vpcElement = vpcKey ? world.vpcs.get(vpcKey) : undefined;
    const maybe = (variant: string, what: string) => uncertain.unknownFor(key, `associate ${what} with`, "subnet", variant);
    world.subnets.set(key, {
      ...reader.base(resource),
      vpc,
      cidrBlock: reader.str(resource, ["cidr_block"], () =>
        reader.unknownAt(resource, ["cidr_block"], "computed", `the CIDR of ${resource.address} is chosen at apply`),
      ),
      availabilityZone: reader.str(resource, ["availability_zone"], () =>
        reader.unknownAt(
          resource,
          ["availability_zone"],
          "computed",
          `availability_zone of ${resource.address} is not set: AWS chooses the zone at apply`,
        ),
      ),
      mapPublicIpOnLaunch: reader.bool(resource, ["map_public_ip_on_launch"], isDefault),
      routeTable:
        routeTables.get(key) ??
        maybe("route-table", "route tables") ??
        unlistedTables.unknownFor(scope, existing) ??
        (vpcKey ? mainTable(vpcKey, vpcElement?.mainRouteTable) : outsideVpc("main route table")),
      networkAcl:
        acls.get(key) ??
        maybe("network-acl", "network ACLs") ??
        unlistedAcls.unknownFor(scope, existing) ??
        (vpcKey ? defaulted(defaultNetworkAclKey(vpcKey)) : outsideVpc("default network ACL")),
    });
  }
}
