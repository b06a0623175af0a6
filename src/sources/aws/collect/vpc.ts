/** The VPCs of the selected instances, their DNS attributes, and the DHCP options sets they name. */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2 } from "./listing.js";

export interface VpcDnsAttributes {
  hostnames: Outcome<boolean>;
  support: Outcome<boolean>;
}

export interface VpcReads {
  vpcs: Outcome<EC2.Vpc[]>;
  vpcAttributes: Map<string, VpcDnsAttributes>;
  dhcpOptions?: Outcome<EC2.DhcpOptions[]>;
  /** Absent: every VPC read says the setting is off. */
  blockPublicAccess?: BlockPublicAccessReads;
}

/** VPC Block Public Access: the region's setting, and its exclusions when the setting blocks anything. */
export interface BlockPublicAccessReads {
  options: Outcome<EC2.VpcBlockPublicAccessOptions | undefined>;
  exclusions?: Outcome<EC2.VpcBlockPublicAccessExclusion[]>;
}

export function listVpcs({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<VpcReads["vpcs"]> {
  return listEc2(
    caller,
    "ec2:DescribeVpcs",
    idFilters("vpc-id", vpcIds),
    (request) => ec2.send(new sdk.DescribeVpcsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.Vpcs,
  );
}

/**
 * enableDnsHostnames and enableDnsSupport of every VPC: one call per VPC and attribute, all at once. No cheaper
 * read exists: DescribeVpcAttribute "describes the specified attribute of the specified VPC. You can specify
 * only one attribute at a time" (EC2 API Reference, DescribeVpcAttribute), and the Vpc that DescribeVpcs
 * returns has no DNS attribute (EC2 API Reference, Vpc data type).
 */
export function readVpcDnsAttributes({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<(readonly [string, VpcDnsAttributes])[]> {
  return Promise.all(
    vpcIds.map(async (VpcId) => {
      const attribute = (Attribute: "enableDnsHostnames" | "enableDnsSupport") =>
        caller.attempt("ec2:DescribeVpcAttribute", () =>
          caller.call("ec2:DescribeVpcAttribute", async () => {
            const r = await ec2.send(new sdk.DescribeVpcAttributeCommand({ VpcId, Attribute }));
            const v = Attribute === "enableDnsHostnames" ? r.EnableDnsHostnames?.Value : r.EnableDnsSupport?.Value;
            return Boolean(v);
          }),
        );
      const [hostnames, support] = await Promise.all([attribute("enableDnsHostnames"), attribute("enableDnsSupport")]);
      return [VpcId, { hostnames, support }] as const;
    }),
  );
}

/** The DHCP options sets the VPCs name; nothing when the VPCs were not read or name only the default. */
export function listDhcpOptions({ caller, ec2, sdk }: Ec2Reader, vpcs: VpcReads["vpcs"]): Promise<VpcReads["dhcpOptions"]> | undefined {
  if (!vpcs.ok) return undefined;
  const ids = [...new Set(vpcs.value.map((v) => v.DhcpOptionsId).filter((x): x is string => Boolean(x) && x !== "default"))];
  if (ids.length === 0) return undefined;
  return listEc2(
    caller,
    "ec2:DescribeDhcpOptions",
    idFilters("dhcp-options-id", ids),
    (request) => ec2.send(new sdk.DescribeDhcpOptionsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.DhcpOptions,
  );
}

/**
 * The region's VPC Block Public Access setting and its exclusions, read only when it is not off: DescribeVpcs already
 * answers each VPC's BlockPublicAccessStates (the region's mode), so an account without the setting costs no call.
 */
export async function readBlockPublicAccess(
  { caller, ec2, sdk }: Ec2Reader,
  vpcs: Outcome<EC2.Vpc[]>,
): Promise<BlockPublicAccessReads | undefined> {
  if (vpcs.ok && vpcs.value.every((v) => (v.BlockPublicAccessStates?.InternetGatewayBlockMode ?? "off") === "off")) return undefined;
  const options = await caller.attempt("ec2:DescribeVpcBlockPublicAccessOptions", async () =>
    caller.call(
      "ec2:DescribeVpcBlockPublicAccessOptions",
      async () => (await ec2.send(new sdk.DescribeVpcBlockPublicAccessOptionsCommand({}))).VpcBlockPublicAccessOptions,
    ),
  );
  if (options.ok && (options.value?.InternetGatewayBlockMode ?? "off") === "off") return { options };
  const exclusions = await listEc2(
    caller,
    "ec2:DescribeVpcBlockPublicAccessExclusions",
    [[]],
    (request) => ec2.send(new sdk.DescribeVpcBlockPublicAccessExclusionsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.VpcBlockPublicAccessExclusions,
  );
  return { options, exclusions };
}
