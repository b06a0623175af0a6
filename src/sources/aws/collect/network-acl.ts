/** The network ACLs of the selected instances' VPCs. */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2 } from "./listing.js";

export interface NetworkAclReads {
  networkAcls: Outcome<EC2.NetworkAcl[]>;
}

export function listNetworkAcls({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<NetworkAclReads["networkAcls"]> {
  return listEc2(
    caller,
    "ec2:DescribeNetworkAcls",
    idFilters("vpc-id", vpcIds),
    (request) => ec2.send(new sdk.DescribeNetworkAclsCommand({ ...request, MaxResults: 100 })),
    (p) => p.NetworkAcls,
  );
}
