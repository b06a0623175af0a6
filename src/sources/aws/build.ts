/**
 * Raw account data → the World every rule reads (source "live"). Keys are AWS ids (ARNs for IAM); origins carry
 * the id and, where there is one, the ARN. A failed call makes exactly the values it would have filled unknown,
 * naming the permission that would decide them.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as IAM from "@aws-sdk/client-iam";
import {
  AGENT_ACTIONS,
  type AgentStatus,
  assumedAgentVersion,
  DEFAULT_ENDPOINT_TYPE,
  DHMC_SETTING_ID,
  type DhcpOptions,
  type DhmcSetting,
  dhmcOfSettingValue,
  emptyWorld,
  type HostedZone,
  type Instance,
  type InstanceProfile,
  type InternetGateway,
  known,
  type NatGateway,
  type NetworkAcl,
  type NetworkAclEntry,
  normalizeProtocol,
  type Origin,
  type Peer,
  type PolicyRef,
  type Ref,
  type Role,
  type Route,
  type RouteTable,
  type RouteTarget,
  SESSION_DOCUMENT_NAME,
  type SecurityGroup,
  type SecurityGroupRule,
  type SessionPreferences,
  type SimulatedDecision,
  type StatedAssumptions,
  type Subnet,
  sessionPreferencesFrom,
  type Unknown,
  unknown,
  type Value,
  type Vpc,
  type VpcEndpoint,
  type World,
} from "../../model/index.js";
import type { CallFailure, Outcome } from "./caller.js";
import type { AccountReads as Raw } from "./collect/index.js";

/** Why a value is unknown when the call that reads it failed. */
export function failed(f: CallFailure): Unknown {
  if (f.kind === "denied") return unknown("access-denied", `the caller may not call ${f.operation} (${f.code})`, `grant ${f.operation}`);
  if (f.kind === "timeout")
    return unknown("outside", `${f.operation} timed out`, `run again, or raise --timeout; the caller needs ${f.operation}`);
  return unknown("outside", `${f.operation} failed: ${f.code}: ${f.message}`, `run again; the caller needs ${f.operation}`);
}

function outcomeValue<T, U>(o: Outcome<T> | undefined, f: (t: T) => U, otherwise: Value<U>): Value<U> {
  if (!o) return otherwise;
  return o.ok ? known(f(o.value)) : failed(o.failure);
}

function tagName(tags: EC2.Tag[] | undefined): string | undefined {
  return tags?.find((t) => t.Key === "Name")?.Value;
}

function named(id: string, tags?: EC2.Tag[]): string {
  const n = tagName(tags);
  return n ? `${id} (${n})` : id;
}

/** `stated`: what the caller states for the run; the account itself tells the region and DHMC. */
export function buildWorld(raw: Raw, stated: Pick<StatedAssumptions, "agentVersion"> = {}): World {
  const { region, identity, partition } = raw;
  const ec2Arn = (kind: string, id: string) => `arn:${partition}:ec2:${region}:${identity.account}:${kind}/${id}`;
  const origin = (id: string, arn?: string): Origin => (arn ? { source: "live", id, arn } : { source: "live", id });

  const dhmc: Value<DhmcSetting> = raw.dhmc.ok
    ? known(dhmcOfSettingValue(raw.dhmc.value?.SettingValue, origin(DHMC_SETTING_ID, raw.dhmc.value?.ARN)))
    : failed(raw.dhmc.failure);
  const world = emptyWorld("live", [`account ${identity.account}, ${region}`], {
    region: known(region),
    dhmc,
    agentVersion: assumedAgentVersion(stated.agentVersion),
  });

  // ---------------------------------------------------------------- VPCs and what hangs off them
  const subnets = raw.subnets.ok ? raw.subnets.value : [];
  const routeTables = raw.routeTables.ok ? raw.routeTables.value : [];
  const acls = raw.networkAcls.ok ? raw.networkAcls.value : [];
  const groups = raw.securityGroups.ok ? raw.securityGroups.value : [];
  const vpcIds = new Set<string>([
    ...raw.instances.map((i) => i.VpcId).filter((x): x is string => Boolean(x)),
    ...(raw.vpcs.ok ? raw.vpcs.value.map((v) => v.VpcId!) : []),
  ]);
  const vpcById = new Map((raw.vpcs.ok ? raw.vpcs.value : []).map((v) => [v.VpcId!, v]));
  const dhcpById = new Map((raw.dhcpOptions?.ok ? raw.dhcpOptions.value : []).map((d) => [d.DhcpOptionsId!, d]));

  for (const vpcId of vpcIds) {
    const v = vpcById.get(vpcId);
    const attrs = raw.vpcAttributes.get(vpcId);
    const main = routeTables.find((rt) => rt.VpcId === vpcId && rt.Associations?.some((a) => a.Main));
    const defaultAcl = acls.find((a) => a.VpcId === vpcId && a.IsDefault);
    const defaultSg = groups.find((g) => g.VpcId === vpcId && g.GroupName === "default");
    const vpc: Vpc = {
      key: vpcId,
      name: named(vpcId, v?.Tags),
      origin: origin(vpcId, ec2Arn("vpc", vpcId)),
      cidrBlocks: raw.vpcs.ok
        ? known(
            (v?.CidrBlockAssociationSet ?? [])
              .filter((c) => c.CidrBlockState?.State === "associated" && c.CidrBlock)
              .map((c) => c.CidrBlock!)
              .concat(v?.CidrBlockAssociationSet?.length ? [] : v?.CidrBlock ? [v.CidrBlock] : []),
          )
        : failed(raw.vpcs.failure),
      enableDnsSupport: attrs ? outcomeValue(attrs.support, (b) => b, known(true)) : unknown("outside", "not read"),
      enableDnsHostnames: attrs ? outcomeValue(attrs.hostnames, (b) => b, known(false)) : unknown("outside", "not read"),
      dhcpOptions: !raw.vpcs.ok
        ? failed(raw.vpcs.failure)
        : !v?.DhcpOptionsId || v.DhcpOptionsId === "default"
          ? known(null)
          : known(v.DhcpOptionsId),
      defaultSecurityGroup: defaultSg?.GroupId ?? `${vpcId}#default-sg`,
      mainRouteTable: main?.RouteTableId ?? `${vpcId}#main-rtb`,
      defaultNetworkAcl: defaultAcl?.NetworkAclId ?? `${vpcId}#default-acl`,
    };
    world.vpcs.set(vpcId, vpc);
    if (!defaultSg) {
      // Stand-in for a default group we could not read: its rules are unknown, never assumed.
      world.securityGroups.set(vpc.defaultSecurityGroup, {
        key: vpc.defaultSecurityGroup,
        name: `the default security group of ${vpcId}`,
        origin: origin(vpc.defaultSecurityGroup),
        vpc: known(vpcId),
        ingress: [],
        egress: [],
        rulesComplete: raw.securityGroups.ok
          ? unknown("outside", `the default security group of ${vpcId} was not returned`)
          : failed(raw.securityGroups.failure),
        egressManagement: { mode: "aws-default" },
        isDefault: true,
      });
    }
    const dopt = v?.DhcpOptionsId;
    if (dopt && dopt !== "default" && !world.dhcpOptions.has(dopt)) {
      const d = dhcpById.get(dopt);
      const servers = d?.DhcpConfigurations?.find((c) => c.Key === "domain-name-servers")?.Values?.map((x) => x.Value ?? "") ?? [
        "AmazonProvidedDNS",
      ];
      const options: DhcpOptions = {
        key: dopt,
        name: named(dopt, d?.Tags),
        origin: origin(dopt, ec2Arn("dhcp-options", dopt)),
        domainNameServers: raw.dhcpOptions && !raw.dhcpOptions.ok ? failed(raw.dhcpOptions.failure) : known(servers),
      };
      world.dhcpOptions.set(dopt, options);
    }
  }

  // ---------------------------------------------------------------- subnets
  const subnetsWanted = new Set<string>([
    ...raw.instances.map((i) => i.SubnetId).filter((x): x is string => Boolean(x)),
    ...subnets.map((s) => s.SubnetId!),
    // Unread, the subnets of NAT gateways and endpoints stand in with values unknown for the same reason.
    ...(raw.subnets.ok
      ? []
      : [
          ...(raw.natGateways?.ok ? raw.natGateways.value.map((n) => n.SubnetId) : []),
          ...(raw.endpoints.ok ? raw.endpoints.value.flatMap((e) => e.SubnetIds ?? []) : []),
        ].filter((x): x is string => Boolean(x))),
  ]);
  const subnetById = new Map(subnets.map((s) => [s.SubnetId!, s]));
  for (const id of subnetsWanted) {
    const s = subnetById.get(id);
    const vpcId =
      s?.VpcId ??
      raw.instances.find((i) => i.SubnetId === id)?.VpcId ??
      (raw.endpoints.ok ? raw.endpoints.value.find((e) => e.SubnetIds?.includes(id))?.VpcId : undefined) ??
      (raw.natGateways?.ok ? raw.natGateways.value.find((n) => n.SubnetId === id)?.VpcId : undefined);
    const why = raw.subnets.ok ? unknown("outside", `subnet ${id} was not returned by ec2:DescribeSubnets`) : failed(raw.subnets.failure);
    const explicitRt = routeTables.find((rt) => rt.Associations?.some((a) => a.SubnetId === id));
    const acl = acls.find((a) => a.Associations?.some((x) => x.SubnetId === id));
    const vpc = vpcId ? world.vpcs.get(vpcId) : undefined;
    const subnet: Subnet = {
      key: id,
      name: named(id, s?.Tags),
      origin: origin(id, s?.SubnetArn ?? ec2Arn("subnet", id)),
      vpc: vpcId ? known(vpcId) : why,
      cidrBlock: s?.CidrBlock ? known(s.CidrBlock) : why,
      availabilityZone: s?.AvailabilityZone ? known(s.AvailabilityZone) : why,
      mapPublicIpOnLaunch: s ? known(Boolean(s.MapPublicIpOnLaunch)) : why,
      routeTable: !raw.routeTables.ok
        ? failed(raw.routeTables.failure)
        : explicitRt
          ? known(explicitRt.RouteTableId!)
          : vpc && world.vpcs.get(vpc.key) && routeTables.some((rt) => rt.RouteTableId === vpc.mainRouteTable)
            ? known(vpc.mainRouteTable)
            : unknown("outside", `no route table of ${vpcId ?? "its VPC"} was returned for ${id}`),
      networkAcl: !raw.networkAcls.ok
        ? failed(raw.networkAcls.failure)
        : acl
          ? known(acl.NetworkAclId!)
          : vpc && acls.some((a) => a.NetworkAclId === vpc.defaultNetworkAcl)
            ? known(vpc.defaultNetworkAcl)
            : unknown("outside", `no network ACL of ${vpcId ?? "its VPC"} was returned for ${id}`),
    };
    world.subnets.set(id, subnet);
  }

  // ---------------------------------------------------------------- route tables, gateways
  const natById = new Map((raw.natGateways?.ok ? raw.natGateways.value : []).map((n) => [n.NatGatewayId!, n]));
  const igwById = new Map((raw.internetGateways?.ok ? raw.internetGateways.value : []).map((g) => [g.InternetGatewayId!, g]));
  const gatewayRef = (id: string, outcome: Outcome<unknown[]> | undefined): Value<Ref> =>
    outcome && !outcome.ok ? failed(outcome.failure) : known(id);
  for (const rt of routeTables) {
    const id = rt.RouteTableId!;
    const routes: Route[] = [];
    for (const r of rt.Routes ?? []) {
      if (r.GatewayId === "local") continue; // analysis adds the local route from the VPC CIDR
      const destination: Route["destination"] = r.DestinationCidrBlock
        ? known({ kind: "ipv4", cidr: r.DestinationCidrBlock })
        : r.DestinationIpv6CidrBlock
          ? known({ kind: "ipv6", cidr: r.DestinationIpv6CidrBlock })
          : known({ kind: "prefix-list", id: r.DestinationPrefixListId ?? "?" });
      let target: RouteTarget;
      if (r.State === "blackhole") target = { kind: "other", description: `a blackhole (its target ${routeTargetId(r)} no longer exists)` };
      else if (r.NatGatewayId) target = { kind: "nat-gateway", gateway: gatewayRef(r.NatGatewayId, raw.natGateways) };
      else if (r.GatewayId?.startsWith("igw-"))
        target = { kind: "internet-gateway", gateway: gatewayRef(r.GatewayId, raw.internetGateways) };
      else if (r.GatewayId?.startsWith("vgw-")) target = { kind: "virtual-private-gateway", id: r.GatewayId };
      else if (r.GatewayId?.startsWith("vpce-")) target = { kind: "vpc-endpoint", id: r.GatewayId };
      else if (r.EgressOnlyInternetGatewayId) target = { kind: "egress-only-internet-gateway" };
      else if (r.TransitGatewayId) target = { kind: "transit-gateway", id: r.TransitGatewayId };
      else if (r.VpcPeeringConnectionId) target = { kind: "peering", id: r.VpcPeeringConnectionId };
      else if (r.InstanceId) target = { kind: "instance", id: r.InstanceId };
      else if (r.NetworkInterfaceId) target = { kind: "network-interface", id: r.NetworkInterfaceId };
      else target = { kind: "other", description: routeTargetId(r) };
      routes.push({ destination, target: known(target), origin: origin(id, ec2Arn("route-table", id)) });
    }
    const table: RouteTable = {
      key: id,
      name: named(id, rt.Tags),
      origin: origin(id, ec2Arn("route-table", id)),
      vpc: known(rt.VpcId!),
      routes,
      routesComplete: true,
      isMain: Boolean(rt.Associations?.some((a) => a.Main)),
    };
    world.routeTables.set(id, table);
  }
  for (const [id, n] of natById) {
    const nat: NatGateway = {
      key: id,
      name: named(id, n.Tags),
      origin: origin(id, ec2Arn("natgateway", id)),
      subnet: n.SubnetId ? known(n.SubnetId) : unknown("outside", `${id} names no subnet`),
      connectivity: known(n.ConnectivityType === "private" ? "private" : "public"),
    };
    world.natGateways.set(id, nat);
    if (n.State && n.State !== "available")
      world.notes.push({
        level: "warning",
        code: "nat-state",
        message: `NAT gateway ${id} is ${n.State}, not available`,
        origin: nat.origin,
      });
  }
  for (const [id, g] of igwById) {
    // Internet gateway attachments report "available" (not "attached") when attached.
    const attachment = g.Attachments?.find((a) => (a.State as string) === "available" || a.State === "attached");
    const igw: InternetGateway = {
      key: id,
      name: named(id, g.Tags),
      origin: origin(id, ec2Arn("internet-gateway", id)),
      vpc: known(attachment?.VpcId ?? null),
    };
    world.internetGateways.set(id, igw);
  }

  // ---------------------------------------------------------------- security groups
  const prefixNames = new Map((raw.prefixLists?.ok ? raw.prefixLists.value : []).map((p) => [p.PrefixListId!, p]));
  for (const g of groups) {
    const id = g.GroupId!;
    const o = origin(id, g.SecurityGroupArn ?? ec2Arn("security-group", id));
    const rules = (direction: "ingress" | "egress", perms: EC2.IpPermission[] | undefined): SecurityGroupRule[] =>
      (perms ?? []).flatMap((p) => permissionRules(direction, p, o, prefixNames, raw.prefixListEntries, raw.prefixLists));
    const sg: SecurityGroup = {
      key: id,
      name: g.GroupName ? `${id} (${g.GroupName})` : id,
      origin: o,
      vpc: known(g.VpcId!),
      ...(g.GroupName ? { groupName: known(g.GroupName) } : {}),
      ingress: rules("ingress", g.IpPermissions),
      egress: rules("egress", g.IpPermissionsEgress),
      rulesComplete: known(true),
      egressManagement: { mode: "aws-default" },
      isDefault: g.GroupName === "default",
    };
    world.securityGroups.set(id, sg);
  }

  if (!raw.securityGroups.ok) {
    // Groups we could not read: stand-ins whose rules are unknown for that reason (never "not in the input").
    const named = new Map<string, string | undefined>();
    for (const i of raw.instances) for (const g of i.SecurityGroups ?? []) if (g.GroupId) named.set(g.GroupId, i.VpcId);
    if (raw.endpoints.ok) for (const e of raw.endpoints.value) for (const g of e.Groups ?? []) if (g.GroupId) named.set(g.GroupId, e.VpcId);
    for (const [id, vpcId] of named) {
      if (world.securityGroups.has(id)) continue;
      world.securityGroups.set(id, {
        key: id,
        name: id,
        origin: origin(id, ec2Arn("security-group", id)),
        vpc: vpcId ? known(vpcId) : failed(raw.securityGroups.failure),
        ingress: [],
        egress: [],
        rulesComplete: failed(raw.securityGroups.failure),
        egressManagement: { mode: "aws-default" },
        isDefault: false,
      });
    }
  }

  // ---------------------------------------------------------------- network ACLs
  for (const a of acls) {
    const id = a.NetworkAclId!;
    const o = origin(id, ec2Arn("network-acl", id));
    const entries: NetworkAclEntry[] = (a.Entries ?? [])
      .filter((e) => e.RuleNumber !== 32767)
      .map((e) => {
        const protocol = normalizeProtocol(e.Protocol ?? "all");
        const cidr = e.CidrBlock
          ? { kind: "ipv4" as const, cidr: e.CidrBlock }
          : { kind: "ipv6" as const, cidr: e.Ipv6CidrBlock ?? "::/0" };
        const ports =
          (protocol === "tcp" || protocol === "udp") && e.PortRange ? { from: e.PortRange.From ?? 0, to: e.PortRange.To ?? 65535 } : null;
        return {
          ruleNumber: known(e.RuleNumber ?? 0),
          egress: Boolean(e.Egress),
          protocol: known(protocol),
          action: known(e.RuleAction === "deny" ? ("deny" as const) : ("allow" as const)),
          cidr: known(cidr),
          portRange: known(ports),
          origin: o,
        };
      });
    const acl: NetworkAcl = {
      key: id,
      name: named(id, a.Tags),
      origin: o,
      vpc: known(a.VpcId!),
      entries,
      entriesComplete: true,
      isDefault: Boolean(a.IsDefault),
    };
    world.networkAcls.set(id, acl);
  }

  // ---------------------------------------------------------------- endpoints
  const eniAddresses = new Map<string, string[]>();
  if (raw.endpointInterfaces?.ok)
    for (const n of raw.endpointInterfaces.value)
      eniAddresses.set(
        n.NetworkInterfaceId!,
        (n.PrivateIpAddresses ?? []).map((x) => x.PrivateIpAddress ?? n.PrivateIpAddress ?? "").filter(Boolean),
      );
  if (raw.endpoints.ok) {
    for (const e of raw.endpoints.value) {
      const id = e.VpcEndpointId!;
      let policy: Value<unknown | null> = known(null);
      if (e.PolicyDocument) {
        try {
          policy = known(JSON.parse(e.PolicyDocument));
        } catch {
          policy = unknown("unsupported", `the policy of ${id} is not valid JSON`);
        }
      }
      const eniIds = e.NetworkInterfaceIds ?? [];
      const addresses =
        e.VpcEndpointType === "Interface" && raw.endpointInterfaces?.ok && eniIds.every((x) => eniAddresses.has(x))
          ? { networkInterfaceAddresses: known(eniIds.flatMap((x) => eniAddresses.get(x) ?? [])) }
          : {};
      const endpoint: VpcEndpoint = {
        key: id,
        name: named(id, e.Tags),
        origin: origin(id, ec2Arn("vpc-endpoint", id)),
        vpc: known(e.VpcId!),
        serviceName: known(e.ServiceName ?? ""),
        endpointType: known((e.VpcEndpointType ?? DEFAULT_ENDPOINT_TYPE) as VpcEndpoint["endpointType"] extends Value<infer T> ? T : never),
        privateDnsEnabled: known(Boolean(e.PrivateDnsEnabled)),
        subnets: known((e.SubnetIds ?? []).map((s) => known(s))),
        securityGroups: known((e.Groups ?? []).map((g) => known(g.GroupId!))),
        routeTables: known((e.RouteTableIds ?? []).map((r) => known(r))),
        policy,
        state: known(e.State ?? "unknown"),
        ...addresses,
      };
      world.vpcEndpoints.set(id, endpoint);
    }
  } else {
    // Endpoints we could not list may exist in every VPC: a stand-in per VPC keeps paths honest (unknown, not failed).
    for (const vpcId of vpcIds) {
      const key = `${vpcId}#endpoints`;
      world.vpcEndpoints.set(key, {
        key,
        name: `the endpoints of ${vpcId}`,
        origin: origin(key),
        vpc: known(vpcId),
        serviceName: failed(raw.endpoints.failure),
        endpointType: failed(raw.endpoints.failure),
        privateDnsEnabled: failed(raw.endpoints.failure),
        subnets: failed(raw.endpoints.failure),
        securityGroups: failed(raw.endpoints.failure),
        routeTables: failed(raw.endpoints.failure),
        policy: failed(raw.endpoints.failure),
      });
    }
  }

  // ---------------------------------------------------------------- private hosted zones
  for (const [vpcId, outcome] of raw.hostedZones) {
    if (!outcome.ok) {
      world.notes.push({
        level: "warning",
        code: "hosted-zones-unknown",
        message: `private hosted zones of ${vpcId} are not known (${failed(outcome.failure).reason.message}); centralised endpoints are not seen`,
      });
      // A stand-in zone of unknown name on the VPC: it may answer for ssm or ssmmessages, so no path is certain.
      const key = `${vpcId}#hosted-zones`;
      world.hostedZones.set(key, {
        key,
        name: `the private hosted zones of ${vpcId}`,
        origin: origin(key),
        zoneName: failed(outcome.failure),
        vpcs: known([known(vpcId)]),
      });
      continue;
    }
    for (const z of outcome.value) {
      const id = z.HostedZoneId!;
      const existing = world.hostedZones.get(id);
      const vpcs = [...(existing ? (existing.vpcs.kind === "known" ? existing.vpcs.value : []) : []), known(vpcId)];
      const zone: HostedZone = {
        key: id,
        name: `${id} (${z.Name})`,
        origin: origin(id, `arn:${partition}:route53:::hostedzone/${id}`),
        zoneName: known((z.Name ?? "").replace(/\.$/, "").toLowerCase()),
        vpcs: known(vpcs),
        // A zone shared from a hub account names that account: where the endpoints behind it are.
        ...(z.Owner?.OwningAccount ? { ownerAccount: z.Owner.OwningAccount } : {}),
      };
      world.hostedZones.set(id, zone);
    }
  }

  // ---------------------------------------------------------------- IAM
  for (const [arn, outcome] of raw.profiles) {
    const name = arn.slice(arn.lastIndexOf("/") + 1);
    const profile: InstanceProfile = {
      key: arn,
      name,
      origin: origin(name, arn),
      roles: outcome.ok ? known((outcome.value.Roles ?? []).map((r) => known(r.Arn!))) : failed(outcome.failure),
    };
    world.instanceProfiles.set(arn, profile);
    if (!outcome.ok) continue;
    for (const r of outcome.value.Roles ?? []) {
      if (!r.Arn || world.roles.has(r.Arn)) continue;
      world.roles.set(r.Arn, buildRole(r, raw));
    }
  }

  // ---------------------------------------------------------------- Systems Manager preferences
  const documentOrigin = origin(
    SESSION_DOCUMENT_NAME,
    `arn:${partition}:ssm:${region}:${identity.account}:document/${SESSION_DOCUMENT_NAME}`,
  );
  const preferences: Value<SessionPreferences | null> = !raw.sessionDocument.ok
    ? { ...failed(raw.sessionDocument.failure), origin: documentOrigin }
    : raw.sessionDocument.value === null
      ? known(null) // no preferences saved: no logging, no KMS
      : sessionPreferences(raw.sessionDocument.value, documentOrigin);

  // ---------------------------------------------------------------- instances
  const associations = raw.associations?.ok ? raw.associations.value : [];
  for (const i of raw.instances) {
    const id = i.InstanceId!;
    const association = associations.find((a) => a.InstanceId === id);
    const profileArn = i.IamInstanceProfile?.Arn;
    if (!profileArn && association && association.State !== "disassociated")
      world.notes.push({
        level: "info",
        code: "profile-association",
        message: `${id}: the instance profile ${association.IamInstanceProfile?.Arn ?? ""} is ${association.State}`,
      });
    const sgs = i.SecurityGroups ?? [];
    const instance: Instance = {
      key: id,
      name: named(id, i.Tags),
      origin: origin(id, ec2Arn("instance", id)),
      computeKind: "instance",
      image: unknown("outside", `check does not read the image of ${id}; the agent's registration decides`),
      userData: unknown("outside", "check does not read user data"),
      subnets: i.SubnetId ? known([known(i.SubnetId)]) : unknown("outside", `${id} is in no subnet`),
      securityGroups: raw.securityGroups.ok ? known(sgs.map((g) => known(g.GroupId!))) : failed(raw.securityGroups.failure),
      associatePublicIp: known(Boolean(i.PublicIpAddress)),
      ...(i.PrivateIpAddress ? { privateIp: known(i.PrivateIpAddress) } : {}),
      instanceProfile: known(profileArn ?? null),
      metadata: {
        httpEndpoint: known(i.MetadataOptions?.HttpEndpoint === "disabled" ? "disabled" : "enabled"),
        httpTokens: known(i.MetadataOptions?.HttpTokens === "required" ? "required" : "optional"),
      },
      agent: agentStatus(raw, id),
      state: known(i.State?.Name ?? "unknown"),
    };
    world.instances.set(id, instance);
  }

  // ---------------------------------------------------------------- the operator (--principal)
  let operator: World["operator"];
  if (raw.operator) {
    const op = raw.operator;
    const decisionFor = (arn: string): Value<SimulatedDecision> => {
      if (!op.results.ok) return failed(op.results.failure);
      for (const r of op.results.value) {
        for (const rs of r.ResourceSpecificResults ?? [])
          if (rs.EvalResourceName === arn)
            return known(simulated(rs.EvalResourceDecision, rs.MatchedStatements, rs.PermissionsBoundaryDecisionDetail));
        if (r.EvalResourceName === arn) return known(simulated(r.EvalDecision, r.MatchedStatements, r.PermissionsBoundaryDecisionDetail));
      }
      return unknown("outside", `the simulation returned no answer for ${arn}`);
    };
    operator = {
      principal: op.principal,
      origin: origin(op.principal, op.principal),
      instances: new Map([...op.instanceArns].map(([id, arn]) => [id, decisionFor(arn)])),
      document: decisionFor(op.documentArn),
      documentArn: op.documentArn,
    };
  }
  return { ...world, sessionPreferences: preferences, ...(operator ? { operator } : {}) };
}

function routeTargetId(r: EC2.Route): string {
  return (
    r.NatGatewayId ??
    r.GatewayId ??
    r.TransitGatewayId ??
    r.VpcPeeringConnectionId ??
    r.InstanceId ??
    r.NetworkInterfaceId ??
    r.CarrierGatewayId ??
    r.LocalGatewayId ??
    r.CoreNetworkArn ??
    "an unknown target"
  );
}

function permissionRules(
  direction: "ingress" | "egress",
  p: EC2.IpPermission,
  o: Origin,
  lists: Map<string, EC2.ManagedPrefixList>,
  entries: Map<string, Outcome<string[]>>,
  described?: Outcome<EC2.ManagedPrefixList[]>,
): SecurityGroupRule[] {
  const protocol = normalizeProtocol(p.IpProtocol ?? "all");
  const from = protocol === "all" ? -1 : (p.FromPort ?? -1);
  const to = protocol === "all" ? -1 : (p.ToPort ?? -1);
  const rule = (peer: Value<Peer>, description?: string): SecurityGroupRule => ({
    direction,
    protocol: known(protocol),
    fromPort: known(from),
    toPort: known(to),
    peer,
    ...(description ? { description } : {}),
    origin: o,
  });
  const out: SecurityGroupRule[] = [];
  for (const r of p.IpRanges ?? []) if (r.CidrIp) out.push(rule(known({ kind: "cidr", cidr: r.CidrIp }), r.Description));
  for (const r of p.Ipv6Ranges ?? []) if (r.CidrIpv6) out.push(rule(known({ kind: "cidr6", cidr: r.CidrIpv6 }), r.Description));
  for (const g of p.UserIdGroupPairs ?? [])
    if (g.GroupId) out.push(rule(known({ kind: "security-group", group: known(g.GroupId) }), g.Description));
  for (const pl of p.PrefixListIds ?? []) {
    const id = pl.PrefixListId;
    if (!id) continue;
    const cidrs = entries.get(id);
    // A customer-managed list is a set of CIDRs: one rule per entry. An AWS-managed list names a service.
    if (cidrs?.ok)
      for (const c of cidrs.value)
        out.push(rule(known({ kind: c.includes(":") ? "cidr6" : "cidr", cidr: c }), pl.Description ?? `from ${id}`));
    else if (cidrs && !cidrs.ok) out.push(rule(failed(cidrs.failure), pl.Description));
    // Not described: whether it is a customer list (CIDRs) or names an AWS service is not known.
    else if (described && !described.ok) out.push(rule(failed(described.failure), pl.Description));
    else
      out.push(
        rule(
          known({ kind: "prefix-list", id: known(lists.get(id)?.PrefixListName ? `${id} (${lists.get(id)!.PrefixListName})` : id) }),
          pl.Description,
        ),
      );
  }
  return out;
}

function simulated(
  decision: string | undefined,
  statements: IAM.Statement[] | undefined,
  boundary: IAM.PermissionsBoundaryDecisionDetail | undefined,
): SimulatedDecision {
  const d: SimulatedDecision["decision"] =
    decision === "allowed" ? "allowed" : decision === "explicitDeny" ? "explicitDeny" : "implicitDeny";
  const matched = [...new Set((statements ?? []).map((s) => s.SourcePolicyId ?? "").filter(Boolean))];
  return {
    decision: d,
    ...(matched.length > 0 ? { matchedPolicies: matched } : {}),
    ...(boundary?.AllowedByPermissionsBoundary === false ? { allowedByBoundary: false } : {}),
  };
}

function buildRole(r: IAM.Role, raw: Raw): Role {
  const arn = r.Arn!;
  let trust: Value<unknown>;
  try {
    trust = known(JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument ?? "")));
  } catch {
    trust = unknown("unsupported", `the trust policy of ${r.RoleName} is not valid JSON`);
  }
  const attached = raw.attachedPolicies.get(arn);
  const managed: Role["managedPolicies"] = !attached
    ? unknown("outside", "not read")
    : attached.ok
      ? known(
          attached.value.map((p) => {
            const ref: PolicyRef = /^arn:[^:]+:iam::aws:policy\//.test(p.PolicyArn ?? "")
              ? { kind: "aws-managed", arn: p.PolicyArn!, name: p.PolicyName ?? "" }
              : { kind: "external-arn", arn: p.PolicyArn ?? "" };
            return known(ref);
          }),
        )
      : failed(attached.failure);
  const simulation = raw.simulations.get(arn);
  const simulatedMap = new Map<string, Value<SimulatedDecision>>();
  for (const action of AGENT_ACTIONS) {
    if (!simulation) simulatedMap.set(action.toLowerCase(), unknown("outside", "not simulated"));
    else if (!simulation.ok) simulatedMap.set(action.toLowerCase(), failed(simulation.failure));
  }
  if (simulation?.ok)
    for (const e of simulation.value)
      if (e.EvalActionName)
        simulatedMap.set(
          e.EvalActionName.toLowerCase(),
          known(simulated(e.EvalDecision, e.MatchedStatements, e.PermissionsBoundaryDecisionDetail)),
        );
  const boundaryArn = r.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    key: arn,
    name: r.RoleName ?? arn,
    origin: { source: "live", id: r.RoleName ?? arn, arn },
    trustPolicy: trust,
    managedPolicies: managed,
    inlinePolicies: [],
    permissionsBoundary: boundaryArn
      ? known({ kind: "external-arn", arn: boundaryArn })
      : unknown("outside", "not read; iam:SimulatePrincipalPolicy includes the boundary"),
    policiesComplete: false,
    simulated: simulatedMap,
  };
}

function agentStatus(raw: Raw, id: string): AgentStatus {
  if (!raw.agents.ok) {
    const why = failed(raw.agents.failure);
    return { registered: why, pingStatus: why, agentVersion: why };
  }
  const info = raw.agents.value.get(id);
  if (!info) {
    const never = unknown("outside", `${id} is not registered with Systems Manager`);
    return { registered: known(false), pingStatus: known("NotRegistered"), agentVersion: never };
  }
  const platform = [info.PlatformName, info.PlatformVersion].filter(Boolean).join(" ");
  return {
    registered: known(true),
    pingStatus: known(info.PingStatus ?? "Unknown"),
    agentVersion: info.AgentVersion ? known(info.AgentVersion) : unknown("outside", "the agent reported no version"),
    ...(info.LastPingDateTime ? { lastPing: known(new Date(info.LastPingDateTime).toISOString()) } : {}),
    ...(platform ? { platform: known(platform) } : {}),
  };
}

function sessionPreferences(content: string, o: Origin): Value<SessionPreferences | null> {
  let doc: { inputs?: Record<string, unknown> };
  try {
    doc = JSON.parse(content);
  } catch {
    return unknown("unsupported", `${SESSION_DOCUMENT_NAME} is not JSON`, undefined, o);
  }
  const inputs = doc.inputs ?? {};
  const text = (k: string): Value<string | null> => {
    const v = inputs[k];
    return known(typeof v === "string" && v.trim() !== "" ? v : null);
  };
  const flag = (k: string): Value<boolean> | undefined => (typeof inputs[k] === "boolean" ? known(inputs[k] as boolean) : undefined);
  return known(sessionPreferencesFrom({ key: SESSION_DOCUMENT_NAME, name: SESSION_DOCUMENT_NAME, origin: o }, { text, flag }), o);
}
