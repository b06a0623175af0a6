/** The subnets of the selected instances' VPCs. */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2 } from "./listing.js";

export interface SubnetReads {
  subnets: Outcome<EC2.Subnet[]>;
}

export function listSubnets({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<SubnetReads["subnets"]> {
  return listEc2(
    caller,
    "ec2:DescribeSubnets",
    idFilters("vpc-id", vpcIds),
    (request) => ec2.send(new sdk.DescribeSubnetsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.Subnets,
  );
}
