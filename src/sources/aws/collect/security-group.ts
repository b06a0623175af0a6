/**
 * The security groups of the selected instances' VPCs, the managed prefix lists their rules name, and the
 * entries of each customer-managed list.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import type { Outcome } from "../caller.js";
import { type Ec2Reader, idFilters, listEc2, nextToken } from "./listing.js";

export interface SecurityGroupReads {
  securityGroups: Outcome<EC2.SecurityGroup[]>;
  prefixLists?: Outcome<EC2.ManagedPrefixList[]>;
  /** The CIDRs of each customer-managed prefix list, by list id. */
  prefixListEntries: Map<string, Outcome<string[]>>;
}

export function listSecurityGroups({ caller, ec2, sdk, vpcIds }: Ec2Reader): Promise<SecurityGroupReads["securityGroups"]> {
  return listEc2(
    caller,
    "ec2:DescribeSecurityGroups",
    idFilters("vpc-id", vpcIds),
    (request) => ec2.send(new sdk.DescribeSecurityGroupsCommand({ ...request, MaxResults: 1000 })),
    (p) => p.SecurityGroups,
  );
}

/** The prefix lists the groups' rules name, then the entries of the customer-managed ones. */
export async function readPrefixLists(
  reader: Ec2Reader,
  securityGroups: SecurityGroupReads["securityGroups"],
): Promise<{ lists: SecurityGroupReads["prefixLists"]; entries: SecurityGroupReads["prefixListEntries"] }> {
  const { caller, ec2, sdk } = reader;
  const entries = new Map<string, Outcome<string[]>>();
  if (!securityGroups.ok) return { lists: undefined, entries };
  const ids = [
    ...new Set(
      securityGroups.value.flatMap((g) =>
        [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])].flatMap((p) => (p.PrefixListIds ?? []).map((x) => x.PrefixListId)),
      ),
    ),
  ].filter((x): x is string => Boolean(x));
  if (ids.length === 0) return { lists: undefined, entries };
  const lists = await listEc2(
    caller,
    "ec2:DescribeManagedPrefixLists",
    idFilters("prefix-list-id", ids),
    (request) => ec2.send(new sdk.DescribeManagedPrefixListsCommand({ ...request, MaxResults: 100 })),
    (p) => p.PrefixLists,
  );
  // AWS-managed lists (com.amazonaws.<region>.s3 …) name a service; a customer list is a set of CIDRs.
  const customer = lists.ok ? lists.value.filter((l) => l.OwnerId !== "AWS" && l.PrefixListId) : [];
  await Promise.all(
    customer.map(async (l) => {
      const id = l.PrefixListId!;
      entries.set(id, await listPrefixListEntries(reader, id));
    }),
  );
  return { lists, entries };
}

function listPrefixListEntries({ caller, ec2, sdk }: Ec2Reader, PrefixListId: string): Promise<Outcome<string[]>> {
  return caller.attempt("ec2:GetManagedPrefixListEntries", async () =>
    (
      await caller.pages(
        "ec2:GetManagedPrefixListEntries",
        (t) => ec2.send(new sdk.GetManagedPrefixListEntriesCommand({ PrefixListId, MaxResults: 100, ...nextToken(t) })),
        (p) => p.NextToken,
      )
    ).flatMap((p) => (p.Entries ?? []).map((e) => e.Cidr ?? "").filter(Boolean)),
  );
}
