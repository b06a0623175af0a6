/** VPC endpoints: service, type, private DNS, subnets, security groups, route tables and policy. */
import {
  DEFAULT_ENDPOINT_TYPE,
  defaulted,
  type EndpointType,
  endpointTypeNamed,
  known,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import type { Template } from "./template.js";
import { type ResourceInfo, ResourceType } from "./types.js";

export function buildEndpoints(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.vpcEndpoint)) {
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const list = (name: string, type: string, what: string) => {
      const ev = template.prop(resource, name);
      return ev.kind === "none" ? defaulted([]) : template.refList(ev, name, pointer(name), [type], what);
    };
    const policy = template.prop(resource, "PolicyDocument");
    world.vpcEndpoints.set(resource.id, {
      ...template.base(resource),
      vpc: template.refProperty(resource, "VpcId", [ResourceType.vpc], "a VPC"),
      serviceName: template.str(template.prop(resource, "ServiceName"), "ServiceName", pointer("ServiceName")),
      endpointType: template.withDefault<EndpointType>(template.prop(resource, "VpcEndpointType"), DEFAULT_ENDPOINT_TYPE, (ev) => {
        const value = template.str(ev, "VpcEndpointType", pointer("VpcEndpointType"));
        if (value.kind !== "known") return value;
        const match = endpointTypeNamed(value.value);
        return match ? known(match, value.origin) : unknown("unresolved", `VpcEndpointType is '${value.value}'`, undefined, value.origin);
      }),
      privateDnsEnabled: template.withDefault(template.prop(resource, "PrivateDnsEnabled"), false, (ev) =>
        template.bool(ev, "PrivateDnsEnabled", pointer("PrivateDnsEnabled")),
      ),
      ...dnsRecordIpType(template, resource),
      subnets: list("SubnetIds", ResourceType.subnet, "a subnet"),
      securityGroups: list("SecurityGroupIds", ResourceType.securityGroup, "a security group"),
      routeTables: list("RouteTableIds", ResourceType.routeTable, "a route table"),
      policy: policy.kind === "none" ? defaulted(null) : template.json(policy, "PolicyDocument", pointer("PolicyDocument")),
    });
  }
}

/** DnsOptions.DnsRecordIpType, when the template sets it. */
function dnsRecordIpType(template: Template, resource: ResourceInfo): { dnsRecordIpType?: Value<string> } {
  const type = template.member(template.prop(resource, "DnsOptions"), "DnsRecordIpType");
  if (type.kind === "none") return {};
  return { dnsRecordIpType: template.str(type, "DnsOptions.DnsRecordIpType", template.propertyPointer(resource, "DnsOptions")) };
}
