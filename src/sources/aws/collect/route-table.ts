/** The route tables of the selected instances' VPCs, and the NAT and internet gateways their routes name. */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2 } from "./listing.js";

export interface RouteTableReads {
  routeTables: Outcome<EC2.RouteTable[]>;
  natGateways?: Outcome<EC2.NatGateway[]>;
  internetGateways?: Outcome<EC2.InternetGateway[]>;
}

export function listRouteTables({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<RouteTableReads["routeTables"]> {
  return listEc2(
    caller,
    "ec2:DescribeRouteTables",
    idFilters("vpc-id", vpcIds),
    (request) => ec2.send(new sdk.DescribeRouteTablesCommand({ ...request, MaxResults: 100 })),
    (p) => p.RouteTables,
  );
}

/** The NAT gateways the routes name; nothing when the route tables were not read or name none. */
export function listNatGateways(
  { caller, ec2, sdk }: Ec2Reader,
  routeTables: RouteTableReads["routeTables"],
): Promise<RouteTableReads["natGateways"]> | undefined {
  if (!routeTables.ok) return undefined;
  const ids = [
    ...new Set(routeTables.value.flatMap((rt) => (rt.Routes ?? []).map((r) => r.NatGatewayId)).filter((x): x is string => Boolean(x))),
  ];
  if (ids.length === 0) return undefined;
  return listEc2(
    caller,
    "ec2:DescribeNatGateways",
    idFilters("nat-gateway-id", ids),
    ({ Filters, ...rest }) => ec2.send(new sdk.DescribeNatGatewaysCommand({ Filter: Filters, ...rest, MaxResults: 1000 })),
    (p) => p.NatGateways,
  );
}

/** The internet gateways the routes name; nothing when the route tables were not read or name none. */
export function listInternetGateways(
  { caller, ec2, sdk }: Ec2Reader,
  routeTables: RouteTableReads["routeTables"],
): Promise<RouteTableReads["internetGateways"]> | undefined {
  if (!routeTables.ok) return undefined;
  const ids = [
    ...new Set(
      routeTables.value
        .flatMap((rt) => (rt.Routes ?? []).map((r) => r.GatewayId))
        .filter((x): x is string => Boolean(x?.startsWith("igw-"))),
    ),
  ];
  if (ids.length === 0) return undefined;
  return listEc2(
    caller,
    "ec2:DescribeInternetGateways",
    idFilters("internet-gateway-id", ids),
    (request) => ec2.send(new sdk.DescribeInternetGatewaysCommand({ ...request, MaxResults: 1000 })),
    (p) => p.InternetGateways,
  );
}
