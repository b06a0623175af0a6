/** The subnets of the selected instances' VPCs. */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2, nextToken } from "./listing.js";

export interface SubnetReads {
  subnets: Outcome<EC2.Subnet[]>;
}

export function listSubnets({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<SubnetReads["subnets"]> {
  return listEc2(
    caller,
    "ec2:DescribeSubnets",
    (t, f) => ec2.send(new sdk.DescribeSubnetsCommand({ Filters: f, MaxResults: 1000, ...nextToken(t) })),
    (p) => p.Subnets,
    (p) => p.NextToken,
    idFilters("vpc-id", vpcIds),
  );
}
