/**
 * The VPC endpoints of the instances' VPCs, with the addresses of an interface endpoint's network interfaces.
 * Endpoints that could not be listed may exist in every VPC: a stand-in per VPC keeps paths honest (unknown,
 * not failed).
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import { DEFAULT_ENDPOINT_TYPE, type EndpointType, known, unknown, type Value, type VpcEndpoint, type World } from "../../model/index.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope, named } from "./values.js";

export function buildEndpoints(world: World, reads: AccountReads, scope: LiveScope): void {
  if (!reads.endpoints.ok) {
    const { failure } = reads.endpoints;
    for (const vpcId of world.vpcs.keys()) {
      const key = `${vpcId}#endpoints`;
      world.vpcEndpoints.set(key, {
        key,
        name: `the endpoints of ${vpcId}`,
        origin: scope.origin(key),
        vpc: known(vpcId),
        serviceName: failed(failure),
        endpointType: failed(failure),
        privateDnsEnabled: failed(failure),
        subnets: failed(failure),
        securityGroups: failed(failure),
        routeTables: failed(failure),
        policy: failed(failure),
      });
    }
    return;
  }
  const addresses = interfaceAddresses(reads);
  for (const e of reads.endpoints.value) world.vpcEndpoints.set(e.VpcEndpointId!, buildEndpoint(e, addresses, reads, scope));
}

/** The private addresses of each endpoint network interface that was read, by interface id. */
function interfaceAddresses(reads: AccountReads): Map<string, string[]> {
  const addresses = new Map<string, string[]>();
  if (reads.endpointInterfaces?.ok)
    for (const n of reads.endpointInterfaces.value)
      addresses.set(
        n.NetworkInterfaceId!,
        (n.PrivateIpAddresses ?? []).map((x) => x.PrivateIpAddress ?? n.PrivateIpAddress ?? "").filter(Boolean),
      );
  return addresses;
}

function buildEndpoint(
  e: EC2.VpcEndpoint,
  interfaces: Map<string, string[]>,
  reads: AccountReads,
  { origin, ec2Arn }: LiveScope,
): VpcEndpoint {
  const id = e.VpcEndpointId!;
  let policy: Value<unknown | null> = known(null);
  if (e.PolicyDocument) {
    try {
      policy = known(JSON.parse(e.PolicyDocument));
    } catch {
      policy = unknown("unsupported", `the policy of ${id} is not valid JSON`);
    }
  }
  const interfaceIds = e.NetworkInterfaceIds ?? [];
  const addresses =
    e.VpcEndpointType === "Interface" && reads.endpointInterfaces?.ok && interfaceIds.every((x) => interfaces.has(x))
      ? { networkInterfaceAddresses: known(interfaceIds.flatMap((x) => interfaces.get(x) ?? [])) }
      : {};
  return {
    key: id,
    name: named(id, e.Tags),
    origin: origin(id, ec2Arn("vpc-endpoint", id)),
    vpc: known(e.VpcId!),
    serviceName: known(e.ServiceName ?? ""),
    endpointType: known((e.VpcEndpointType ?? DEFAULT_ENDPOINT_TYPE) as EndpointType),
    privateDnsEnabled: known(Boolean(e.PrivateDnsEnabled)),
    ...(e.DnsOptions?.DnsRecordIpType ? { dnsRecordIpType: known(e.DnsOptions.DnsRecordIpType) } : {}),
    subnets: known((e.SubnetIds ?? []).map((s) => known(s))),
    securityGroups: known((e.Groups ?? []).map((g) => known(g.GroupId!))),
    routeTables: known((e.RouteTableIds ?? []).map((r) => known(r))),
    policy,
    state: known(e.State ?? "unknown"),
    ...addresses,
  };
}
