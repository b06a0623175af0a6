/**
 * Gathers what `check` needs from an account, batched by kind across all selected instances: one call
 * family per resource kind with id filters (never one per instance), every page, each result cached for the
 * run. Calls that depend on others start as soon as their inputs are known; all share one concurrency bound.
 *
 * One failing call (AccessDenied, UnauthorizedOperation, timeout) is kept as a failed Outcome: the values it
 * would have filled become unknown when the model is built, and the run goes on.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as IAM from "@aws-sdk/client-iam";
import type * as R53 from "@aws-sdk/client-route-53";
import type * as SSM from "@aws-sdk/client-ssm";
import { AGENT_ACTIONS, DHMC_SETTING_ID, InputError, SESSION_DOCUMENT_NAME } from "../../model/index.js";
import { type Caller, CREDENTIAL_ERRORS, chunks, errorCode, type Outcome } from "./caller.js";

/** Filter values per EC2 filter, and ids per SSM InstanceIds filter. */
const FILTER_VALUES = 200;
const SSM_IDS = 50;
/** Instance listings in flight at once for a fleet larger than one page (the default --concurrency). */
const INSTANCE_LISTINGS = 16;

export interface Selection {
  instanceIds: string[];
  all: boolean;
  tags: { key: string; value: string }[];
  principal?: string;
}

export interface Identity {
  account: string;
  arn: string;
}

export interface Raw {
  identity: Identity;
  region: string;
  partition: string;
  instances: EC2.Instance[];
  /** --instance ids that DescribeInstances did not return. */
  missing: string[];
  agents: Outcome<Map<string, SSM.InstanceInformation>>;
  associations?: Outcome<EC2.IamInstanceProfileAssociation[]>;
  vpcs: Outcome<EC2.Vpc[]>;
  vpcAttributes: Map<string, { hostnames: Outcome<boolean>; support: Outcome<boolean> }>;
  dhcpOptions?: Outcome<EC2.DhcpOptions[]>;
  subnets: Outcome<EC2.Subnet[]>;
  routeTables: Outcome<EC2.RouteTable[]>;
  natGateways?: Outcome<EC2.NatGateway[]>;
  internetGateways?: Outcome<EC2.InternetGateway[]>;
  securityGroups: Outcome<EC2.SecurityGroup[]>;
  prefixLists?: Outcome<EC2.ManagedPrefixList[]>;
  prefixListEntries: Map<string, Outcome<string[]>>;
  networkAcls: Outcome<EC2.NetworkAcl[]>;
  endpoints: Outcome<EC2.VpcEndpoint[]>;
  endpointInterfaces?: Outcome<EC2.NetworkInterface[]>;
  /** Only for VPCs where the ssm and ssmmessages names are not both served by private-DNS endpoints. */
  hostedZones: Map<string, Outcome<R53.HostedZoneSummary[]>>;
  profiles: Map<string, Outcome<IAM.InstanceProfile>>;
  attachedPolicies: Map<string, Outcome<IAM.AttachedPolicy[]>>;
  simulations: Map<string, Outcome<IAM.EvaluationResult[]>>;
  dhmc: Outcome<SSM.ServiceSetting | null>;
  sessionDocument: Outcome<string | null>;
  operator?: { principal: string; results: Outcome<IAM.EvaluationResult[]>; documentArn: string; instanceArns: Map<string, string> };
}

const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

function all<T>(outcomes: Outcome<T[]>[]): Outcome<T[]> {
  const failed = outcomes.find((o) => !o.ok);
  if (failed) return failed;
  return ok(outcomes.flatMap((o) => (o.ok ? o.value : [])));
}

function profileName(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** An STS assumed-role ARN names the role it came from; simulation needs the role. */
export function principalArn(arn: string): string {
  const m = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

export async function collect(caller: Caller, selection: Selection, identity: Identity, region: string): Promise<Raw> {
  const partition = /^arn:([^:]+):/.exec(identity.arn)?.[1] ?? "aws";
  const ec2 = await caller.ec2();

  // ---------------------------------------------------------------- instances (required: nothing to check without them)
  const baseFilters: EC2.Filter[] = selection.tags.map((t) => ({ Name: `tag:${t.key}`, Values: [t.value] }));
  const stateFilter: EC2.Filter[] = selection.instanceIds.length > 0 ? [] : [{ Name: "instance-state-name", Values: ["running"] }];
  const describeInstances = async (filters: EC2.Filter[], from?: string) => {
    const { DescribeInstancesCommand } = await import("@aws-sdk/client-ec2");
    const pages = await caller.pages(
      "ec2:DescribeInstances",
      (t) => {
        const NextToken = t ?? from;
        return ec2.send(new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000, ...(NextToken ? { NextToken } : {}) }));
      },
      (p) => p.NextToken,
    );
    return pages.flatMap((p) => (p.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  };
  // A region's fleet (--all, --tag) larger than one page is listed by groups of VPCs, all groups at once, rather
  // than one page after another: the first page tells whether there is more. A small fleet costs one call, as
  // before; a large one about one call per group and page.
  const describeRegion = async (filters: EC2.Filter[]) => {
    const C = await import("@aws-sdk/client-ec2");
    const first = await caller.call("ec2:DescribeInstances", () =>
      ec2.send(new C.DescribeInstancesCommand({ Filters: filters, MaxResults: 1000 })),
    );
    const firstItems = (first.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    if (!first.NextToken) return firstItems;
    let vpcs: string[] = [];
    try {
      const pages = await caller.pages(
        "ec2:DescribeVpcs",
        (t) => ec2.send(new C.DescribeVpcsCommand({ MaxResults: 1000, ...(t ? { NextToken: t } : {}) })),
        (p) => p.NextToken,
      );
      vpcs = pages.flatMap((p) => (p.Vpcs ?? []).map((v) => v.VpcId ?? "")).filter(Boolean);
    } catch (e) {
      if (CREDENTIAL_ERRORS.has(errorCode(e))) throw e;
      // Not allowed to list VPCs: the pages one after another (the VPC read reports the denial later).
    }
    const listed = new Set(vpcs);
    if (vpcs.length < 2 || firstItems.some((i) => !i.VpcId || !listed.has(i.VpcId)))
      return [...firstItems, ...(await describeInstances(filters, first.NextToken))];
    const groupCount = Math.min(vpcs.length, INSTANCE_LISTINGS);
    const groups = chunks(vpcs, Math.min(FILTER_VALUES, Math.ceil(vpcs.length / groupCount)));
    const perGroup = await Promise.all(groups.map((ids) => describeInstances([...filters, { Name: "vpc-id", Values: ids }])));
    return perGroup.flat();
  };
  let instances: EC2.Instance[];
  try {
    instances =
      selection.instanceIds.length > 0
        ? (
            await Promise.all(
              chunks(selection.instanceIds, FILTER_VALUES).map((ids) =>
                describeInstances([...baseFilters, { Name: "instance-id", Values: ids }]),
              ),
            )
          ).flat()
        : await describeRegion([...baseFilters, ...stateFilter]);
  } catch (e) {
    const code = (e as Error).name;
    if (code === "UnauthorizedOperation" || code === "AccessDenied")
      throw new InputError(
        "the caller may not call ec2:DescribeInstances, so no instance can be checked",
        undefined,
        undefined,
        undefined,
        "grant ec2:DescribeInstances (docs/iam-policy.json is the minimal policy)",
      );
    throw e;
  }
  const found = new Set(instances.map((i) => i.InstanceId));
  const missing = selection.instanceIds.filter((id) => !found.has(id));
  const ids = [...found].filter((x): x is string => Boolean(x));
  const vpcIds = [...new Set(instances.map((i) => i.VpcId).filter((x): x is string => Boolean(x)))];

  const empty = <T>(): Outcome<T[]> => ok([]);
  const vpcFilter = (name = "vpc-id") => chunks(vpcIds, FILTER_VALUES).map((v) => [{ Name: name, Values: v }]);
  const ec2Pages = async <P, T>(
    operation: Parameters<Caller["call"]>[0],
    send: (token: string | undefined, filters: EC2.Filter[]) => Promise<P>,
    items: (p: P) => T[] | undefined,
    next: (p: P) => string | undefined,
    filterSets: EC2.Filter[][],
  ): Promise<Outcome<T[]>> => {
    if (filterSets.length === 0) return empty<T>();
    const outs = await Promise.all(
      filterSets.map((filters) =>
        caller.attempt(operation, async () =>
          (await caller.pages(operation, (t) => send(t, filters), next)).flatMap((p) => items(p) ?? []),
        ),
      ),
    );
    return all(outs);
  };
  const C = await import("@aws-sdk/client-ec2");
  const token = (t: string | undefined) => (t ? { NextToken: t } : {});

  // ---------------------------------------------------------------- network, by VPC
  const vpcsP = ec2Pages(
    "ec2:DescribeVpcs",
    (t, f) => ec2.send(new C.DescribeVpcsCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
    (p) => p.Vpcs,
    (p) => p.NextToken,
    vpcFilter(),
  );
  const attributesP = Promise.all(
    vpcIds.map(async (VpcId) => {
      const attr = (Attribute: "enableDnsHostnames" | "enableDnsSupport") =>
        caller.attempt("ec2:DescribeVpcAttribute", () =>
          caller.call("ec2:DescribeVpcAttribute", async () => {
            const r = await ec2.send(new C.DescribeVpcAttributeCommand({ VpcId, Attribute }));
            const v = Attribute === "enableDnsHostnames" ? r.EnableDnsHostnames?.Value : r.EnableDnsSupport?.Value;
            return Boolean(v);
          }),
        );
      const [hostnames, support] = await Promise.all([attr("enableDnsHostnames"), attr("enableDnsSupport")]);
      return [VpcId, { hostnames, support }] as const;
    }),
  );
  const dhcpP = vpcsP.then((vpcs) => {
    if (!vpcs.ok) return undefined;
    const ids = [...new Set(vpcs.value.map((v) => v.DhcpOptionsId).filter((x): x is string => Boolean(x) && x !== "default"))];
    if (ids.length === 0) return undefined;
    return ec2Pages(
      "ec2:DescribeDhcpOptions",
      (t, f) => ec2.send(new C.DescribeDhcpOptionsCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
      (p) => p.DhcpOptions,
      (p) => p.NextToken,
      chunks(ids, FILTER_VALUES).map((v) => [{ Name: "dhcp-options-id", Values: v }]),
    );
  });
  const subnetsP = ec2Pages(
    "ec2:DescribeSubnets",
    (t, f) => ec2.send(new C.DescribeSubnetsCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
    (p) => p.Subnets,
    (p) => p.NextToken,
    vpcFilter(),
  );
  const routeTablesP = ec2Pages(
    "ec2:DescribeRouteTables",
    (t, f) => ec2.send(new C.DescribeRouteTablesCommand({ Filters: f, MaxResults: 100, ...token(t) })),
    (p) => p.RouteTables,
    (p) => p.NextToken,
    vpcFilter(),
  );
  const natP = routeTablesP.then((rts) => {
    if (!rts.ok) return undefined;
    const ids = [
      ...new Set(rts.value.flatMap((rt) => (rt.Routes ?? []).map((r) => r.NatGatewayId)).filter((x): x is string => Boolean(x))),
    ];
    if (ids.length === 0) return undefined;
    return ec2Pages(
      "ec2:DescribeNatGateways",
      (t, f) => ec2.send(new C.DescribeNatGatewaysCommand({ Filter: f, MaxResults: 1000, ...token(t) })),
      (p) => p.NatGateways,
      (p) => p.NextToken,
      chunks(ids, FILTER_VALUES).map((v) => [{ Name: "nat-gateway-id", Values: v }]),
    );
  });
  const igwP = routeTablesP.then((rts) => {
    if (!rts.ok) return undefined;
    const ids = [
      ...new Set(
        rts.value.flatMap((rt) => (rt.Routes ?? []).map((r) => r.GatewayId)).filter((x): x is string => Boolean(x?.startsWith("igw-"))),
      ),
    ];
    if (ids.length === 0) return undefined;
    return ec2Pages(
      "ec2:DescribeInternetGateways",
      (t, f) => ec2.send(new C.DescribeInternetGatewaysCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
      (p) => p.InternetGateways,
      (p) => p.NextToken,
      chunks(ids, FILTER_VALUES).map((v) => [{ Name: "internet-gateway-id", Values: v }]),
    );
  });
  const sgP = ec2Pages(
    "ec2:DescribeSecurityGroups",
    (t, f) => ec2.send(new C.DescribeSecurityGroupsCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
    (p) => p.SecurityGroups,
    (p) => p.NextToken,
    vpcFilter(),
  );
  const prefixP = sgP.then(async (sgs) => {
    const entries = new Map<string, Outcome<string[]>>();
    if (!sgs.ok) return { lists: undefined, entries };
    const ids = [
      ...new Set(
        sgs.value.flatMap((g) =>
          [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])].flatMap((p) => (p.PrefixListIds ?? []).map((x) => x.PrefixListId)),
        ),
      ),
    ].filter((x): x is string => Boolean(x));
    if (ids.length === 0) return { lists: undefined, entries };
    const lists = await ec2Pages(
      "ec2:DescribeManagedPrefixLists",
      (t, f) => ec2.send(new C.DescribeManagedPrefixListsCommand({ Filters: f, MaxResults: 100, ...token(t) })),
      (p) => p.PrefixLists,
      (p) => p.NextToken,
      chunks(ids, FILTER_VALUES).map((v) => [{ Name: "prefix-list-id", Values: v }]),
    );
    // AWS-managed lists (com.amazonaws.<region>.s3 …) name a service; a customer list is a set of CIDRs.
    const customer = lists.ok ? lists.value.filter((l) => l.OwnerId !== "AWS" && l.PrefixListId) : [];
    await Promise.all(
      customer.map(async (l) => {
        const id = l.PrefixListId!;
        entries.set(
          id,
          await caller.attempt("ec2:GetManagedPrefixListEntries", async () =>
            (
              await caller.pages(
                "ec2:GetManagedPrefixListEntries",
                (t) => ec2.send(new C.GetManagedPrefixListEntriesCommand({ PrefixListId: id, MaxResults: 100, ...token(t) })),
                (p) => p.NextToken,
              )
            ).flatMap((p) => (p.Entries ?? []).map((e) => e.Cidr ?? "").filter(Boolean)),
          ),
        );
      }),
    );
    return { lists, entries };
  });
  const naclP = ec2Pages(
    "ec2:DescribeNetworkAcls",
    (t, f) => ec2.send(new C.DescribeNetworkAclsCommand({ Filters: f, MaxResults: 100, ...token(t) })),
    (p) => p.NetworkAcls,
    (p) => p.NextToken,
    vpcFilter(),
  );
  const endpointsP = ec2Pages(
    "ec2:DescribeVpcEndpoints",
    (t, f) => ec2.send(new C.DescribeVpcEndpointsCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
    (p) => p.VpcEndpoints,
    (p) => p.NextToken,
    vpcFilter(),
  );
  const enisP = endpointsP.then((eps) => {
    if (!eps.ok) return undefined;
    const ids = eps.value.flatMap((e) => e.NetworkInterfaceIds ?? []);
    if (ids.length === 0) return undefined;
    return ec2Pages(
      "ec2:DescribeNetworkInterfaces",
      (t, f) => ec2.send(new C.DescribeNetworkInterfacesCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
      (p) => p.NetworkInterfaces,
      (p) => p.NextToken,
      chunks(ids, FILTER_VALUES).map((v) => [{ Name: "network-interface-id", Values: v }]),
    );
  });
  // Centralised endpoints: a private hosted zone <svc>.<region>.amazonaws.com associated with the VPC. A zone of
  // that name cannot coexist with an endpoint's private DNS, so a VPC whose ssm and ssmmessages endpoints both
  // serve private DNS needs no look-up.
  const zonesP = endpointsP.then(async (eps) => {
    const zones = new Map<string, Outcome<R53.HostedZoneSummary[]>>();
    const served = (vpc: string, svc: string) =>
      eps.ok &&
      eps.value.some(
        (e) => e.VpcId === vpc && e.VpcEndpointType === "Interface" && e.PrivateDnsEnabled && e.ServiceName?.endsWith(`.${svc}`),
      );
    const need = vpcIds.filter((v) => !(served(v, "ssm") && served(v, "ssmmessages")));
    if (need.length === 0) return zones;
    const r53 = await caller.route53();
    const { ListHostedZonesByVPCCommand } = await import("@aws-sdk/client-route-53");
    await Promise.all(
      need.map(async (VPCId) => {
        zones.set(
          VPCId,
          await caller.attempt("route53:ListHostedZonesByVPC", async () =>
            (
              await caller.pages(
                "route53:ListHostedZonesByVPC",
                (t) => r53.send(new ListHostedZonesByVPCCommand({ VPCId, VPCRegion: region as R53.VPCRegion, MaxItems: 100, ...token(t) })),
                (p) => p.NextToken,
              )
            ).flatMap((p) => p.HostedZoneSummaries ?? []),
          ),
        );
      }),
    );
    return zones;
  });

  // ---------------------------------------------------------------- instance profile associations (only to explain a missing profile)
  const withoutProfile = instances.filter((i) => !i.IamInstanceProfile?.Arn).map((i) => i.InstanceId!);
  const associationsP =
    withoutProfile.length === 0
      ? Promise.resolve(undefined)
      : ec2Pages(
          "ec2:DescribeIamInstanceProfileAssociations",
          (t, f) => ec2.send(new C.DescribeIamInstanceProfileAssociationsCommand({ Filters: f, MaxResults: 1000, ...token(t) })),
          (p) => p.IamInstanceProfileAssociations,
          (p) => p.NextToken,
          chunks(withoutProfile, FILTER_VALUES).map((v) => [{ Name: "instance-id", Values: v }]),
        );

  // ---------------------------------------------------------------- Systems Manager
  const ssmP = (async () => {
    const ssm = await caller.ssm();
    const S = await import("@aws-sdk/client-ssm");
    const agents = all(
      await Promise.all(
        chunks(ids, SSM_IDS).map((chunk) =>
          caller.attempt("ssm:DescribeInstanceInformation", async () =>
            (
              await caller.pages(
                "ssm:DescribeInstanceInformation",
                (t) =>
                  ssm.send(
                    new S.DescribeInstanceInformationCommand({
                      Filters: [{ Key: "InstanceIds", Values: chunk }],
                      MaxResults: 50,
                      ...token(t),
                    }),
                  ),
                (p) => p.NextToken,
              )
            ).flatMap((p) => p.InstanceInformationList ?? []),
          ),
        ),
      ),
    );
    const dhmc = caller.attempt("ssm:GetServiceSetting", async () => {
      try {
        const r = await caller.call("ssm:GetServiceSetting", () =>
          ssm.send(new S.GetServiceSettingCommand({ SettingId: DHMC_SETTING_ID })),
        );
        return r.ServiceSetting ?? null;
      } catch (e) {
        if ((e as Error).name === "ServiceSettingNotFound") return null;
        throw e;
      }
    });
    const document = caller.attempt("ssm:GetDocument", async () => {
      try {
        const r = await caller.call("ssm:GetDocument", () => ssm.send(new S.GetDocumentCommand({ Name: SESSION_DOCUMENT_NAME })));
        return r.Content ?? null;
      } catch (e) {
        if ((e as Error).name === "InvalidDocument") return null; // no preferences saved: the defaults apply
        throw e;
      }
    });
    const agentMap: Outcome<Map<string, SSM.InstanceInformation>> = agents.ok
      ? ok(new Map(agents.value.filter((a) => a.InstanceId).map((a) => [a.InstanceId!, a])))
      : agents;
    return { agents: agentMap, dhmc: await dhmc, sessionDocument: await document };
  })();

  // ---------------------------------------------------------------- IAM: profiles, their roles, a simulation per role
  const iamP = (async () => {
    const profiles = new Map<string, Outcome<IAM.InstanceProfile>>();
    const attachedPolicies = new Map<string, Outcome<IAM.AttachedPolicy[]>>();
    const simulations = new Map<string, Outcome<IAM.EvaluationResult[]>>();
    const names = [...new Set(instances.map((i) => i.IamInstanceProfile?.Arn).filter((x): x is string => Boolean(x)))];
    if (names.length === 0 && !selection.principal) return { profiles, attachedPolicies, simulations, operator: undefined };
    const iam = await caller.iam();
    const I = await import("@aws-sdk/client-iam");
    const simulate = (PolicySourceArn: string, ActionNames: string[], ResourceArns?: string[]) =>
      caller.pages(
        "iam:SimulatePrincipalPolicy",
        (Marker) =>
          iam.send(
            new I.SimulatePrincipalPolicyCommand({
              PolicySourceArn,
              ActionNames,
              ...(ResourceArns ? { ResourceArns } : {}),
              MaxItems: 1000,
              ...(Marker ? { Marker } : {}),
            }),
          ),
        (p) => (p.IsTruncated ? p.Marker : undefined),
      );
    const roles = new Set<string>();
    await Promise.all(
      names.map(async (arn) => {
        const outcome = await caller.attempt("iam:GetInstanceProfile", async () => {
          const r = await caller.call("iam:GetInstanceProfile", () =>
            iam.send(new I.GetInstanceProfileCommand({ InstanceProfileName: profileName(arn) })),
          );
          return r.InstanceProfile!;
        });
        profiles.set(arn, outcome);
        if (!outcome.ok) return;
        await Promise.all(
          (outcome.value.Roles ?? []).map(async (role) => {
            if (!role.Arn || roles.has(role.Arn)) return;
            roles.add(role.Arn);
            const [attached, simulated] = await Promise.all([
              caller.attempt("iam:ListAttachedRolePolicies", async () =>
                (
                  await caller.pages(
                    "iam:ListAttachedRolePolicies",
                    (Marker) =>
                      iam.send(
                        new I.ListAttachedRolePoliciesCommand({
                          RoleName: roleNameOf(role.Arn!),
                          MaxItems: 1000,
                          ...(Marker ? { Marker } : {}),
                        }),
                      ),
                    (p) => (p.IsTruncated ? p.Marker : undefined),
                  )
                ).flatMap((p) => p.AttachedPolicies ?? []),
              ),
              caller.attempt("iam:SimulatePrincipalPolicy", async () =>
                (await simulate(role.Arn!, [...AGENT_ACTIONS])).flatMap((p) => p.EvaluationResults ?? []),
              ),
            ]);
            attachedPolicies.set(role.Arn, attached);
            simulations.set(role.Arn, simulated);
          }),
        );
      }),
    );
    let operator: Raw["operator"];
    if (selection.principal) {
      const principal = principalArn(selection.principal);
      const documentArn = `arn:${partition}:ssm:${region}:${identity.account}:document/${SESSION_DOCUMENT_NAME}`;
      const instanceArns = new Map(
        instances.map((i) => [i.InstanceId!, `arn:${partition}:ec2:${region}:${identity.account}:instance/${i.InstanceId}`]),
      );
      const arns = [...instanceArns.values()];
      const results = all(
        await Promise.all(
          chunks([documentArn, ...arns], 100).map((chunk) =>
            caller.attempt("iam:SimulatePrincipalPolicy", async () =>
              (await simulate(principal, ["ssm:StartSession"], chunk)).flatMap((p) => p.EvaluationResults ?? []),
            ),
          ),
        ),
      );
      operator = { principal, results, documentArn, instanceArns };
    }
    return { profiles, attachedPolicies, simulations, operator };
  })();

  const [vpcs, attributes, dhcpOptions, subnets, routeTables, natGateways, internetGateways, securityGroups, prefix, networkAcls] =
    await Promise.all([vpcsP, attributesP, dhcpP, subnetsP, routeTablesP, natP, igwP, sgP, prefixP, naclP]);
  const [endpoints, endpointInterfaces, hostedZones, associations, ssmData, iamData] = await Promise.all([
    endpointsP,
    enisP,
    zonesP,
    associationsP,
    ssmP,
    iamP,
  ]);
  return {
    identity,
    region,
    partition,
    instances,
    missing,
    agents: ssmData.agents,
    ...(associations ? { associations } : {}),
    vpcs,
    vpcAttributes: new Map(attributes),
    ...(dhcpOptions ? { dhcpOptions } : {}),
    subnets,
    routeTables,
    ...(natGateways ? { natGateways } : {}),
    ...(internetGateways ? { internetGateways } : {}),
    securityGroups,
    ...(prefix.lists ? { prefixLists: prefix.lists } : {}),
    prefixListEntries: prefix.entries,
    networkAcls,
    endpoints,
    ...(endpointInterfaces ? { endpointInterfaces } : {}),
    hostedZones,
    profiles: iamData.profiles,
    attachedPolicies: iamData.attachedPolicies,
    simulations: iamData.simulations,
    dhmc: ssmData.dhmc,
    sessionDocument: ssmData.sessionDocument,
    ...(iamData.operator ? { operator: iamData.operator } : {}),
  };
}
