/**
 * VPC endpoints of a plan, with the subnets, security groups and route tables their association
 * resources add. Terraform's defaults: vpc_endpoint_type Gateway, private_dns_enabled false.
 */
import {
  DEFAULT_ENDPOINT_TYPE,
  defaulted,
  type EndpointType,
  endpointTypeNamed,
  type Ref,
  type Value,
  type ValueList,
  type World,
} from "../../model/index.js";
import { type Attached, byTarget } from "./attachments.js";
import { ELEMENT } from "./element-kinds.js";
import type { TfResource } from "./plan-index.js";
import { policyDocument } from "./policy-documents.js";
import type { ElementKind, Path, Reader } from "./reader.js";

/** A known list plus items from elsewhere (associations); an unknown list stays unknown. */
function withExtra(base: ValueList<Ref> | undefined, extra: Value<Ref>[], fallback: ValueList<Ref>): ValueList<Ref> {
  const list = base ?? fallback;
  if (list.kind !== "known" || extra.length === 0) return list;
  const seen = new Set(list.value.map((v) => (v.kind === "known" ? v.value : "")));
  return { ...list, value: [...list.value, ...extra.filter((v) => v.kind !== "known" || !seen.has(v.value))] };
}

/**
 * The endpoint's policy: the one an aws_vpc_endpoint_policy resource sets (it replaces the endpoint's own `policy`;
 * without a policy of its own it sets the default, full access), not known when one may name the endpoint without
 * its being known which, else the endpoint's own.
 */
function endpointPolicy(reader: Reader, endpoint: TfResource, key: Ref, policies: Attached): Value<unknown | null> {
  const own = policies.byKey.get(key) ?? [];
  if (own.length === 1) return policyDocument(reader, own[0]!, ["policy"]);
  if (own.length > 1)
    return reader.unknownAt(
      endpoint,
      ["policy"],
      "unresolved",
      `${own.map((p) => p.address).join(" and ")} each set the policy of ${endpoint.address}; which one applies last is not in the plan`,
    );
  return policies.uncertain.unknownFor(key, "set the policy of", "endpoint") ?? policyDocument(reader, endpoint, ["policy"]);
}

export function buildEndpoints(reader: Reader, world: World): void {
  const associations = (type: string) => byTarget(reader, [type], ["vpc_endpoint_id"], ELEMENT.vpcEndpoint, "endpoints");
  const subnetAssociations = associations("aws_vpc_endpoint_subnet_association");
  const groupAssociations = associations("aws_vpc_endpoint_security_group_association");
  const tableAssociations = associations("aws_vpc_endpoint_route_table_association");
  const policies = associations("aws_vpc_endpoint_policy");
  /**
   * What the associations add to an endpoint: the elements of those that name it, and one that is not known when
   * an association that picks one of several endpoints (count.index, each.key) may name it.
   */
  const extra = (associations: Attached, key: Ref, path: Path, kind: ElementKind, what: string): Value<Ref>[] => {
    const added = (associations.byKey.get(key) ?? []).flatMap((a) => {
      const v = reader.ref(a, path, kind);
      return v ? [reader.ifCreated(a, v)] : [];
    });
    const maybe = associations.uncertain.unknownFor(key, `associate ${what} with`, "endpoint");
    return maybe ? [...added, maybe] : added;
  };
  for (const resource of reader.index.ofType("aws_vpc_endpoint")) {
    const key = reader.keyOf(resource);
    const list = (name: string, kind: ElementKind, more: Value<Ref>[]) =>
      withExtra(reader.refList(resource, [name], kind), more, defaulted([]));
    world.vpcEndpoints.set(key, {
      ...reader.base(resource),
      vpc: reader.ref(resource, ["vpc_id"], ELEMENT.vpc) ?? reader.missing(resource, ["vpc_id"]),
      serviceName: reader.str(resource, ["service_name"]),
      endpointType: reader.scalar<EndpointType>(resource, ["vpc_endpoint_type"], endpointTypeNamed, DEFAULT_ENDPOINT_TYPE),
      privateDnsEnabled: reader.bool(resource, ["private_dns_enabled"], false),
      // Only what the configuration sets: the provider computes dns_options otherwise (unknown until apply).
      ...(reader.configured(resource, ["dns_options", 0, "dns_record_ip_type"]) === true
        ? { dnsRecordIpType: reader.str(resource, ["dns_options", 0, "dns_record_ip_type"]) }
        : {}),
      subnets: list("subnet_ids", ELEMENT.subnet, extra(subnetAssociations, key, ["subnet_id"], ELEMENT.subnet, "subnets")),
      securityGroups: list(
        "security_group_ids",
        ELEMENT.securityGroup,
        extra(groupAssociations, key, ["security_group_id"], ELEMENT.securityGroup, "security groups"),
      ),
      routeTables: list(
        "route_table_ids",
        ELEMENT.routeTable,
        extra(tableAssociations, key, ["route_table_id"], ELEMENT.routeTable, "route tables"),
      ),
      policy: endpointPolicy(reader, resource, key, policies),
    });
  }
}
