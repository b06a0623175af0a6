/** The VPC endpoints of the selected instances' VPCs, and the network interfaces that carry their addresses. */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2 } from "./listing.js";

export interface EndpointReads {
  endpoints: Outcome<EC2.VpcEndpoint[]>;
  endpointInterfaces?: Outcome<EC2.NetworkInterface[]>;
}

export function listEndpoints({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<EndpointReads["endpoints"]> {
  return listEc2(
    caller,
    "ec2:DescribeVpcEndpoints",
    idFilters("vpc-id", vpcIds),
    (request) => ec2.send(new sdk.DescribeVpcEndpointsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.VpcEndpoints,
  );
}

/** The endpoints' network interfaces; nothing when the endpoints were not read or have none. */
export function listEndpointInterfaces(
  { caller, ec2, sdk }: Ec2Reader,
  endpoints: EndpointReads["endpoints"],
): Promise<EndpointReads["endpointInterfaces"]> | undefined {
  if (!endpoints.ok) return undefined;
  const ids = endpoints.value.flatMap((e) => e.NetworkInterfaceIds ?? []);
  if (ids.length === 0) return undefined;
  return listEc2(
    caller,
    "ec2:DescribeNetworkInterfaces",
    idFilters("network-interface-id", ids),
    (request) => ec2.send(new sdk.DescribeNetworkInterfacesCommand({ ...request, MaxResults: 1000 })),
    (p) => p.NetworkInterfaces,
  );
}
