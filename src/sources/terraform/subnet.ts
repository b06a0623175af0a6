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
  type World,
} from "../../model/index.js";
import { Candidates } from "./candidates.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import { AFTER_APPLY, type Reader } from "./reader.js";

/**
 * Why an ACL's subnet_ids may hold subnets of the plan without naming them: the list, or a member of it, is computed
 * at apply and the configuration does not lead to subnets (a data source read at apply, an expression ssm-doctor
 * does not follow). Undefined when every member is an id or a subnet the plan names, or one an iteration value picks
 * among known subnets (those are told apart, by Candidates).
 */
function unfollowedSubnets(reader: Reader, resource: TfResource, subnets: ValueList<Ref>): UnknownReason | undefined {
  const raw = reader.raw(resource, ["subnet_ids"]);
  const computed =
    raw.kind === "unknown" ||
    raw.kind === "sensitive" ||
    (raw.kind === "value" &&
      Array.isArray(raw.value) &&
      raw.value.some((_, i) => reader.raw(resource, ["subnet_ids", i]).kind === "unknown"));
  if (!computed) return undefined;
  if (subnets.kind === "unknown") return subnets.reason;
  const found = reader.configuredKeys(resource, ["subnet_ids"], ELEMENT.subnet);
  if (found) return found.reasons.find((r) => found.picked.length === 0 || !found.iterationReasons.has(r));
  // No configuration to follow: the computed members are unknown with the reason the reader gave them.
  const member = subnets.value.find((v) => v.kind === "unknown");
  return member?.kind === "unknown" ? member.reason : undefined;
}

export function buildSubnets(reader: Reader, world: World): void {
  const routeTables = new Map<Ref, Value<Ref>>();
  // Associations whose subnet count.index (or each.key) picks: each subnet they may name has no certain table or ACL.
  const uncertain = new Candidates(reader, "subnets");
  for (const resource of reader.index.ofType("aws_route_table_association")) {
    const subnet = reader.ref(resource, ["subnet_id"], ELEMENT.subnet);
    const table = reader.ref(resource, ["route_table_id"], ELEMENT.routeTable);
    if (subnet?.kind === "known" && table) routeTables.set(subnet.value, table);
    else if (subnet?.kind === "unknown" && table) uncertain.add(resource, ["subnet_id"], ELEMENT.subnet, false, "route-table");
  }
  const acls = new Map<Ref, Value<Ref>>();
  /** Custom ACLs whose subnet_ids the plan cannot follow, by their VPC ("" when it is not known): the first and how many. */
  const unlisted = new Map<Ref, { acl: TfResource; reason: UnknownReason; count: number }>();
  // Lowest precedence first: the default ACL's subnet_ids, an ACL's subnet_ids, then associations.
  for (const type of ["aws_default_network_acl", "aws_network_acl"]) {
    for (const resource of reader.index.ofType(type)) {
      const subnets = reader.refList(resource, ["subnet_ids"], ELEMENT.subnet);
      if (!subnets) continue;
      const reason = type === "aws_network_acl" ? unfollowedSubnets(reader, resource, subnets) : undefined;
      if (reason) {
        const vpc = reader.ref(resource, ["vpc_id"], ELEMENT.vpc);
        const at = vpc?.kind === "known" ? vpc.value : "";
        const seen = unlisted.get(at);
        if (seen) seen.count++;
        else unlisted.set(at, { acl: resource, reason, count: 1 });
      }
      if (subnets.kind !== "known") continue;
      for (const s of subnets.value)
        if (s.kind === "known") acls.set(s.value, known(reader.keyOf(resource), reader.origin(resource, ["subnet_ids"])));
      if (subnets.value.some((s) => s.kind === "unknown")) uncertain.add(resource, ["subnet_ids"], ELEMENT.subnet, true, "network-acl");
    }
  }
  for (const resource of reader.index.ofType("aws_network_acl_association")) {
    const subnet = reader.ref(resource, ["subnet_id"], ELEMENT.subnet);
    const acl = reader.ref(resource, ["network_acl_id"], ELEMENT.networkAcl);
    if (subnet?.kind === "known" && acl) acls.set(subnet.value, acl);
    else if (subnet?.kind === "unknown" && acl) uncertain.add(resource, ["subnet_id"], ELEMENT.subnet, false, "network-acl");
  }

  // A main route table association whose VPC count.index picks: a subnet without a table of its own in a VPC it
  // may name uses a main table that is not known.
  const uncertainMain = new Candidates(reader, "VPCs");
  for (const resource of reader.index.ofType("aws_main_route_table_association"))
    if (reader.ref(resource, ["vpc_id"], ELEMENT.vpc)?.kind === "unknown") uncertainMain.add(resource, ["vpc_id"], ELEMENT.vpc);

  /** The VPC's main table: one a known association made main, else the VPC's own unless an association may replace it. */
  const mainTable = (vpc: Ref, associated: Ref | undefined): Value<Ref> => {
    const own = mainRouteTableKey(vpc);
    if (associated && associated !== own) return defaulted(associated);
    return uncertainMain.unknownFor(vpc, "make a route table the main one of", "VPC") ?? defaulted(own);
  };

  for (const resource of reader.index.ofType("aws_subnet", "aws_default_subnet")) {
    const key = reader.keyOf(resource);
    const isDefault = resource.type === "aws_default_subnet";
    const vpc =
      reader.ref(resource, ["vpc_id"], ELEMENT.vpc) ??
      reader.unknownAt<Ref>(resource, ["vpc_id"], "outside", `the VPC of ${resource.address} is not in this plan`);
    const vpcKey = vpc.kind === "known" ? vpc.value : undefined;
    const outsideVpc = (what: string) =>
      unknown(
        "outside",
        `the VPC of ${resource.address} is not in this plan, so its ${what} is not known`,
        undefined,
        reader.origin(resource, ["vpc_id"]),
      );
    const vpcElement = vpcKey ? world.vpcs.get(vpcKey) : undefined;
    const maybe = (variant: string, what: string) => uncertain.unknownFor(key, `associate ${what} with`, "subnet", variant);
    /** A custom ACL of the subnet's VPC (or of a VPC not known) whose subnets the plan cannot list may hold it. */
    const unlistedAcl = (): Value<Ref> | undefined => {
      const u = (vpcKey !== undefined ? unlisted.get(vpcKey) : undefined) ?? unlisted.get("");
      if (!u) return undefined;
      const more = u.count > 1 ? ` (and ${u.count - 1} more ACL${u.count > 2 ? "s" : ""} like it)` : "";
      return unknown(
        u.reason.code,
        `subnet_ids of ${u.acl.address}${more} is not known (${u.reason.message}): this subnet may be one of them`,
        u.reason.decide ?? AFTER_APPLY,
        reader.origin(u.acl, ["subnet_ids"]),
      );
    };
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
        (vpcKey ? mainTable(vpcKey, vpcElement?.mainRouteTable) : outsideVpc("main route table")),
      networkAcl:
        acls.get(key) ??
        maybe("network-acl", "network ACLs") ??
        unlistedAcl() ??
        (vpcKey ? defaulted(defaultNetworkAclKey(vpcKey)) : outsideVpc("default network ACL")),
    });
  }
}
