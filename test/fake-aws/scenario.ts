/**
 * Account scenarios for the fake AWS endpoint: a compact YAML description (fixtures/accounts/*.yaml) expanded
 * into the shapes the AWS APIs return (the AWS SDK's output types), with AWS's own defaults filled in: every VPC
 * has a default security group, a main route table and a default network ACL; a security group without egress
 * rules keeps AWS's allow-all egress; an ACL without entries allows everything.
 *
 * `extends: healthy` starts from another scenario: objects merge, lists of items with an id (or name) merge by
 * it (`remove: true` drops one), other lists are replaced.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type * as CWL from "@aws-sdk/client-cloudwatch-logs";
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as IAM from "@aws-sdk/client-iam";
import type * as SSM from "@aws-sdk/client-ssm";
import { parse } from "yaml";

export const ACCOUNTS_DIR = join(import.meta.dirname, "../../fixtures/accounts");

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

export interface Fault {
  /** Operation name without the service prefix: DescribeNetworkAcls, GetDocument, SimulatePrincipalPolicy … */
  operation: string;
  kind: "denied" | "throttle" | "error" | "slow";
  /** How many requests fail this way (default: every one). */
  times?: number;
  /** For "slow": how long the answer takes. */
  delayMs?: number;
}

export interface RoleDef {
  role: IAM.Role;
  managed: IAM.AttachedPolicy[];
  /** Policy documents evaluated for the simulation: inline, customer managed and AWS managed (vendored). */
  documents: { name: string; document: unknown }[];
  boundary?: { name: string; document: unknown };
}

export interface Account {
  account: string;
  region: string;
  callerArn: string;
  pageSize?: number;
  latencyMs?: number;
  vpcs: EC2.Vpc[];
  vpcAttributes: Map<string, { hostnames: boolean; support: boolean }>;
  dhcpOptions: EC2.DhcpOptions[];
  subnets: EC2.Subnet[];
  routeTables: EC2.RouteTable[];
  natGateways: EC2.NatGateway[];
  internetGateways: EC2.InternetGateway[];
  securityGroups: EC2.SecurityGroup[];
  prefixLists: EC2.ManagedPrefixList[];
  prefixListEntries: Map<string, string[]>;
  networkAcls: EC2.NetworkAcl[];
  vpcEndpoints: EC2.VpcEndpoint[];
  networkInterfaces: EC2.NetworkInterface[];
  instances: EC2.Instance[];
  instanceInformation: SSM.InstanceInformation[];
  serviceSettings: Map<string, string>;
  documents: Map<string, string>;
  instanceProfiles: IAM.InstanceProfile[];
  roles: Map<string, RoleDef>;
  principals: Map<string, { documents: { name: string; document: unknown }[] }>;
  /** Private hosted zones; `owner` is the account that owns a zone shared with this account's VPCs (a hub). */
  hostedZones: { id: string; name: string; vpcs: string[]; owner?: string }[];
  /** The region's VPC Block Public Access setting and its exclusions (scenario `blockPublicAccess`). */
  blockPublicAccess: EC2.VpcBlockPublicAccessOptions;
  blockPublicAccessExclusions: EC2.VpcBlockPublicAccessExclusion[];
  /** CloudWatch Logs log groups (scenario `logGroups: [{ name, kmsKeyId? }]`). */
  logGroups: CWL.LogGroup[];
  faults: Fault[];
  /** Access keys the fake answers ExpiredToken for. */
  expiredKeys: string[];
}

// ---------------------------------------------------------------- loading and merging

function keyOf(item: Json): string | undefined {
  if (item && typeof item === "object" && !Array.isArray(item)) {
    const k = item.id ?? item.name ?? item.arn;
    return typeof k === "string" ? k : undefined;
  }
  return undefined;
}

export function merge(base: Json, over: Json): Json {
  if (
    Array.isArray(base) &&
    Array.isArray(over) &&
    over.every((x) => keyOf(x) !== undefined) &&
    base.every((x) => keyOf(x) !== undefined)
  ) {
    const out = base.map((x) => x);
    for (const item of over) {
      const k = keyOf(item);
      const i = out.findIndex((x) => keyOf(x) === k);
      const removed = typeof item === "object" && item !== null && !Array.isArray(item) && item.remove === true;
      if (i >= 0) {
        if (removed) out.splice(i, 1);
        else out[i] = merge(out[i]!, item);
      } else if (!removed) out.push(item);
    }
    return out;
  }
  if (base && over && typeof base === "object" && typeof over === "object" && !Array.isArray(base) && !Array.isArray(over)) {
    const out: { [k: string]: Json } = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? merge(base[k]!, v) : v;
    return out;
  }
  return over;
}

export function loadScenarioSpec(nameOrPath: string): Record<string, Json> {
  const file = nameOrPath.endsWith(".yaml") ? nameOrPath : join(ACCOUNTS_DIR, `${nameOrPath}.yaml`);
  const spec = (parse(readFileSync(file, "utf8")) ?? {}) as Record<string, Json>;
  if (typeof spec.extends === "string") {
    const base = loadScenarioSpec(join(dirname(file), `${spec.extends}.yaml`));
    const { extends: _, ...rest } = spec;
    return merge(base, rest) as Record<string, Json>;
  }
  return spec;
}

export function loadScenario(nameOrPath: string, lookupManaged: (name: string) => unknown): Account {
  return expandScenario(loadScenarioSpec(nameOrPath), lookupManaged);
}

// ---------------------------------------------------------------- expansion

// biome-ignore lint/suspicious/noExplicitAny: scenario YAML is free-form; expandScenario validates what it reads
type Spec = Record<string, any>;

const list = (x: unknown): Spec[] => (Array.isArray(x) ? (x as Spec[]) : []);
const tags = (t: Record<string, string> | undefined, name?: string): EC2.Tag[] => [
  ...(name ? [{ Key: "Name", Value: name }] : []),
  ...Object.entries(t ?? {}).map(([Key, Value]) => ({ Key, Value: String(Value) })),
];

function ports(p: unknown): { from: number; to: number } | undefined {
  if (p === undefined || p === null) return undefined;
  const s = String(p);
  const m = /^(\d+)(?:-(\d+))?$/.exec(s);
  if (!m) throw new Error(`bad port range ${s}`);
  return { from: Number(m[1]), to: Number(m[2] ?? m[1]) };
}

function permission(rule: Spec): EC2.IpPermission {
  const proto = String(rule.proto ?? "-1");
  const range = ports(rule.ports);
  return {
    IpProtocol: proto,
    ...(proto !== "-1" ? { FromPort: range?.from ?? 0, ToPort: range?.to ?? 65535 } : {}),
    IpRanges: rule.cidr ? [{ CidrIp: rule.cidr }] : [],
    Ipv6Ranges: [],
    UserIdGroupPairs: rule.sg ? [{ GroupId: rule.sg }] : [],
    PrefixListIds: rule.prefixList ? [{ PrefixListId: rule.prefixList }] : [],
  };
}

const ALLOW_ALL_EGRESS: EC2.IpPermission = {
  IpProtocol: "-1",
  IpRanges: [{ CidrIp: "0.0.0.0/0" }],
  Ipv6Ranges: [],
  UserIdGroupPairs: [],
  PrefixListIds: [],
};

function trustDocument(trust: unknown): unknown {
  if (trust === undefined || trust === "ec2") return trustFor("ec2.amazonaws.com");
  if (typeof trust === "string") return trustFor(trust);
  return trust;
}

function trustFor(service: string): unknown {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] };
}

export function expandScenario(spec: Spec, lookupManaged: (name: string) => unknown): Account {
  const account = String(spec.account ?? "111122223333");
  const region = String(spec.region ?? "us-east-1");
  const arn = (service: string, resource: string, acct = account) => `arn:aws:${service}:${region}:${acct}:${resource}`;
  const a: Account = {
    account,
    region,
    callerArn: String(spec.callerArn ?? `arn:aws:iam::${account}:user/ssm-doctor`),
    ...(spec.pageSize ? { pageSize: Number(spec.pageSize) } : {}),
    ...(spec.latencyMs ? { latencyMs: Number(spec.latencyMs) } : {}),
    vpcs: [],
    vpcAttributes: new Map(),
    dhcpOptions: [],
    subnets: [],
    routeTables: [],
    natGateways: [],
    internetGateways: [],
    securityGroups: [],
    prefixLists: [],
    prefixListEntries: new Map(),
    networkAcls: [],
    vpcEndpoints: [],
    networkInterfaces: [],
    instances: [],
    instanceInformation: [],
    serviceSettings: new Map(),
    documents: new Map(),
    instanceProfiles: [],
    roles: new Map(),
    principals: new Map(),
    hostedZones: [],
    blockPublicAccess: { InternetGatewayBlockMode: "off", State: "default-state", ExclusionsAllowed: "allowed" },
    blockPublicAccessExclusions: [],
    logGroups: list(spec.logGroups).map((g) => ({
      logGroupName: String(g.name),
      arn: `arn:aws:logs:${region}:${account}:log-group:${String(g.name)}:*`,
      ...(g.kmsKeyId ? { kmsKeyId: String(g.kmsKeyId) } : {}),
    })),
    faults: list(spec.faults) as unknown as Fault[],
    expiredKeys: (spec.expiredKeys as string[] | undefined) ?? ["AKIDEXPIRED"],
  };

  // As in AWS, a VPC without an option set of its own has the region's default one (AmazonProvidedDNS).
  const defaultDopt = `dopt-0de${account.slice(0, 14)}`.slice(0, 22);
  for (const v of list(spec.vpcs)) {
    const dopt = v.dhcp ? `dopt-${String(v.id).replace(/^vpc-/, "")}` : defaultDopt;
    if (!v.dhcp && !a.dhcpOptions.some((d) => d.DhcpOptionsId === defaultDopt))
      a.dhcpOptions.push({
        DhcpOptionsId: defaultDopt,
        OwnerId: account,
        DhcpConfigurations: [
          { Key: "domain-name", Values: [{ Value: region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal` }] },
          { Key: "domain-name-servers", Values: [{ Value: "AmazonProvidedDNS" }] },
        ],
      });
    a.vpcs.push({
      VpcId: v.id,
      CidrBlock: v.cidr,
      CidrBlockAssociationSet: [{ CidrBlock: v.cidr, AssociationId: `vpc-cidr-assoc-${v.id}`, CidrBlockState: { State: "associated" } }],
      DhcpOptionsId: dopt,
      State: "available",
      OwnerId: account,
      IsDefault: false,
      Tags: tags(v.tags, v.name),
    });
    a.vpcAttributes.set(v.id, { hostnames: v.dnsHostnames ?? true, support: v.dnsSupport ?? true });
    if (v.dhcp)
      a.dhcpOptions.push({
        DhcpOptionsId: dopt,
        OwnerId: account,
        DhcpConfigurations: [{ Key: "domain-name-servers", Values: (v.dhcp as string[]).map((Value) => ({ Value })) }],
      });
  }

  for (const s of list(spec.subnets)) {
    a.subnets.push({
      SubnetId: s.id,
      VpcId: s.vpc,
      CidrBlock: s.cidr,
      AvailabilityZone: s.az ?? `${region}a`,
      MapPublicIpOnLaunch: Boolean(s.publicIp),
      State: "available",
      SubnetArn: arn("ec2", `subnet/${s.id}`),
      OwnerId: account,
      Tags: tags(s.tags, s.name),
    });
  }

  for (const rt of list(spec.routeTables)) {
    const routes: EC2.Route[] = [];
    const vpc = a.vpcs.find((v) => v.VpcId === rt.vpc);
    routes.push({ DestinationCidrBlock: vpc?.CidrBlock ?? "10.0.0.0/16", GatewayId: "local", State: "active", Origin: "CreateRouteTable" });
    for (const r of list(rt.routes)) {
      const t = String(r.target);
      const target: EC2.Route = t.startsWith("nat-")
        ? { NatGatewayId: t }
        : t.startsWith("tgw-")
          ? { TransitGatewayId: t }
          : t.startsWith("pcx-")
            ? { VpcPeeringConnectionId: t }
            : t.startsWith("eni-")
              ? { NetworkInterfaceId: t }
              : { GatewayId: t };
      routes.push({
        DestinationCidrBlock: r.dest ?? "0.0.0.0/0",
        ...target,
        State: r.blackhole ? "blackhole" : "active",
        Origin: "CreateRoute",
      });
    }
    a.routeTables.push({
      RouteTableId: rt.id,
      VpcId: rt.vpc,
      OwnerId: account,
      Routes: routes,
      Associations: [
        ...(rt.main ? [{ Main: true, RouteTableAssociationId: `rtbassoc-main-${rt.id}`, RouteTableId: rt.id }] : []),
        ...((rt.subnets as string[] | undefined) ?? []).map((SubnetId) => ({
          Main: false,
          SubnetId,
          RouteTableId: rt.id,
          RouteTableAssociationId: `rtbassoc-${SubnetId}`,
        })),
      ],
      Tags: tags(rt.tags, rt.name),
    });
  }

  for (const n of list(spec.natGateways))
    a.natGateways.push({
      NatGatewayId: n.id,
      SubnetId: n.subnet,
      VpcId: a.subnets.find((s) => s.SubnetId === n.subnet)?.VpcId,
      State: n.state ?? "available",
      ConnectivityType: n.connectivity ?? "public",
      Tags: tags(n.tags, n.name),
    });
  for (const g of list(spec.internetGateways))
    a.internetGateways.push({
      InternetGatewayId: g.id,
      OwnerId: account,
      Attachments: g.vpc ? [{ VpcId: g.vpc, State: "available" as EC2.AttachmentStatus }] : [],
      Tags: tags(g.tags, g.name),
    });

  for (const g of list(spec.securityGroups))
    a.securityGroups.push({
      GroupId: g.id,
      GroupName: g.name ?? g.id,
      Description: g.description ?? `${g.name ?? g.id}`,
      VpcId: g.vpc,
      OwnerId: account,
      SecurityGroupArn: arn("ec2", `security-group/${g.id}`),
      IpPermissions: list(g.ingress).map(permission),
      IpPermissionsEgress: g.egress === undefined ? [ALLOW_ALL_EGRESS] : list(g.egress).map(permission),
      Tags: tags(g.tags),
    });
  for (const p of list(spec.prefixLists)) {
    a.prefixLists.push({
      PrefixListId: p.id,
      PrefixListName: p.name ?? p.id,
      OwnerId: p.owner ?? account,
      AddressFamily: "IPv4",
      State: "create-complete",
      MaxEntries: 10,
    });
    a.prefixListEntries.set(p.id, (p.cidrs as string[] | undefined) ?? []);
  }

  const aclEntries = (entries: Spec[] | undefined, egress: boolean): EC2.NetworkAclEntry[] => [
    ...(entries ?? [{ rule: 100, proto: "-1", cidr: "0.0.0.0/0", action: "allow" }]).map((e) => {
      const range = ports(e.ports);
      return {
        RuleNumber: Number(e.rule),
        Protocol: String(e.proto ?? "-1") === "tcp" ? "6" : String(e.proto ?? "-1"),
        RuleAction: (e.action ?? "allow") as EC2.RuleAction,
        Egress: egress,
        CidrBlock: e.cidr ?? "0.0.0.0/0",
        ...(range ? { PortRange: { From: range.from, To: range.to } } : {}),
      };
    }),
    { RuleNumber: 32767, Protocol: "-1", RuleAction: "deny", Egress: egress, CidrBlock: "0.0.0.0/0" },
  ];
  for (const n of list(spec.networkAcls))
    a.networkAcls.push({
      NetworkAclId: n.id,
      VpcId: n.vpc,
      IsDefault: Boolean(n.default),
      OwnerId: account,
      Entries: [...aclEntries(n.inbound, false), ...aclEntries(n.outbound, true)],
      Associations: ((n.subnets as string[] | undefined) ?? []).map((SubnetId) => ({
        SubnetId,
        NetworkAclId: n.id,
        NetworkAclAssociationId: `aclassoc-${SubnetId}`,
      })),
      Tags: tags(n.tags, n.name),
    });

  // AWS's per-VPC defaults the scenario did not spell out.
  for (const v of a.vpcs) {
    const id = v.VpcId!;
    const short = id.replace(/^vpc-/, "");
    if (!a.securityGroups.some((g) => g.VpcId === id && g.GroupName === "default")) {
      const gid = `sg-d${short}`.slice(0, 20);
      a.securityGroups.push({
        GroupId: gid,
        GroupName: "default",
        Description: "default VPC security group",
        VpcId: id,
        OwnerId: account,
        SecurityGroupArn: arn("ec2", `security-group/${gid}`),
        IpPermissions: [{ IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: gid }], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] }],
        IpPermissionsEgress: [ALLOW_ALL_EGRESS],
      });
    }
    if (!a.routeTables.some((rt) => rt.VpcId === id && rt.Associations?.some((x) => x.Main))) {
      const rid = `rtb-m${short}`.slice(0, 21);
      a.routeTables.push({
        RouteTableId: rid,
        VpcId: id,
        OwnerId: account,
        Routes: [{ DestinationCidrBlock: v.CidrBlock, GatewayId: "local", State: "active", Origin: "CreateRouteTable" }],
        Associations: [{ Main: true, RouteTableId: rid, RouteTableAssociationId: `rtbassoc-main-${rid}` }],
      });
    }
    const defaultAcl = a.networkAcls.find((n) => n.VpcId === id && n.IsDefault);
    const associated = new Set(a.networkAcls.flatMap((n) => (n.Associations ?? []).map((x) => x.SubnetId)));
    const loose = a.subnets.filter((s) => s.VpcId === id && !associated.has(s.SubnetId));
    const looseAssoc = loose.map((s) => ({ SubnetId: s.SubnetId, NetworkAclAssociationId: `aclassoc-${s.SubnetId}` }));
    if (defaultAcl)
      defaultAcl.Associations = [
        ...(defaultAcl.Associations ?? []),
        ...looseAssoc.map((x) => ({ ...x, NetworkAclId: defaultAcl.NetworkAclId })),
      ];
    else {
      const nid = `acl-d${short}`.slice(0, 21);
      a.networkAcls.push({
        NetworkAclId: nid,
        VpcId: id,
        IsDefault: true,
        OwnerId: account,
        Entries: [...aclEntries(undefined, false), ...aclEntries(undefined, true)],
        Associations: looseAssoc.map((x) => ({ ...x, NetworkAclId: nid })),
      });
    }
  }

  for (const e of list(spec.endpoints)) {
    const service = String(e.service);
    const serviceName = service.startsWith("com.amazonaws.") ? service : `com.amazonaws.${region}.${service}`;
    const type = e.type ?? (service.endsWith("s3") ? "Gateway" : "Interface");
    const subnets = type === "Interface" ? ((e.subnets as string[] | undefined) ?? []) : [];
    const enis = subnets.map((subnetId, i) => {
      const subnet = a.subnets.find((s) => s.SubnetId === subnetId);
      const base = (subnet?.CidrBlock ?? "10.0.0.0/24").split("/")[0]!.split(".").slice(0, 3).join(".");
      const ip = `${base}.${200 + ((a.networkInterfaces.length + i) % 50)}`;
      const eni: EC2.NetworkInterface = {
        NetworkInterfaceId: `eni-${String(e.id).replace(/^vpce-/, "")}${i}`.slice(0, 21),
        SubnetId: subnetId,
        VpcId: e.vpc,
        PrivateIpAddress: ip,
        PrivateIpAddresses: [{ PrivateIpAddress: ip, Primary: true }],
        InterfaceType: "vpc_endpoint",
        Status: "in-use",
        Groups: ((e.groups as string[] | undefined) ?? []).map((GroupId) => ({ GroupId })),
      };
      return eni;
    });
    a.networkInterfaces.push(...enis);
    a.vpcEndpoints.push({
      VpcEndpointId: e.id,
      VpcEndpointType: type,
      VpcId: e.vpc,
      ServiceName: serviceName,
      State: e.state ?? "Available",
      PolicyDocument: JSON.stringify(e.policy ?? { Statement: [{ Effect: "Allow", Principal: "*", Action: "*", Resource: "*" }] }),
      RouteTableIds: (e.routeTables as string[] | undefined) ?? [],
      SubnetIds: subnets,
      Groups: type === "Interface" ? ((e.groups as string[] | undefined) ?? []).map((GroupId) => ({ GroupId, GroupName: GroupId })) : [],
      PrivateDnsEnabled: type === "Interface" ? Boolean(e.privateDns ?? true) : false,
      ...(e.dnsRecordIpType ? { DnsOptions: { DnsRecordIpType: String(e.dnsRecordIpType) as EC2.DnsRecordIpType } } : {}),
      NetworkInterfaceIds: enis.map((n) => n.NetworkInterfaceId!),
      OwnerId: account,
      Tags: tags(e.tags, e.name),
    });
  }

  // IAM
  const policies = new Map(list(spec.policies).map((p) => [String(p.name), p.document as unknown]));
  const managedDoc = (name: string): { name: string; document: unknown; arn: string } => {
    if (policies.has(name)) return { name, document: policies.get(name), arn: `arn:aws:iam::${account}:policy/${name}` };
    const doc = lookupManaged(name);
    if (doc === undefined) throw new Error(`scenario: no policy ${name} (neither in policies nor a vendored AWS managed policy)`);
    const path = name === "AmazonEC2RoleforSSM" ? "service-role/" : "";
    return { name, document: doc, arn: `arn:aws:iam::aws:policy/${path}${name}` };
  };
  for (const r of list(spec.roles)) {
    const name = String(r.name);
    const managed = ((r.managed as string[] | undefined) ?? []).map(managedDoc);
    const inline = list(r.inline).map((p) => ({ name: String(p.name), document: p.document as unknown }));
    const boundary = r.boundary
      ? typeof r.boundary === "string"
        ? managedDoc(r.boundary)
        : { name: `${name}-boundary`, document: r.boundary as unknown, arn: `arn:aws:iam::${account}:policy/${name}-boundary` }
      : undefined;
    a.roles.set(name, {
      role: {
        RoleName: name,
        RoleId: `AROA${name
          .toUpperCase()
          .replace(/[^A-Z0-9]/g, "")
          .padEnd(17, "X")
          .slice(0, 17)}`,
        Arn: `arn:aws:iam::${account}:role/${name}`,
        Path: "/",
        CreateDate: new Date("2024-01-01T00:00:00Z"),
        AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trustDocument(r.trust))),
        ...(boundary
          ? { PermissionsBoundary: { PermissionsBoundaryType: "PermissionsBoundaryPolicy", PermissionsBoundaryArn: boundary.arn } }
          : {}),
      },
      managed: managed.map((m) => ({ PolicyName: m.name, PolicyArn: m.arn })),
      documents: [...inline, ...managed.map((m) => ({ name: m.name, document: m.document }))],
      ...(boundary ? { boundary: { name: boundary.name, document: boundary.document } } : {}),
    });
  }
  for (const p of list(spec.instanceProfiles)) {
    const name = String(p.name);
    a.instanceProfiles.push({
      InstanceProfileName: name,
      InstanceProfileId: `AIPA${name
        .toUpperCase()
        .replace(/[^A-Z0-9]/g, "")
        .padEnd(17, "X")
        .slice(0, 17)}`,
      Arn: `arn:aws:iam::${account}:instance-profile/${name}`,
      Path: "/",
      CreateDate: new Date("2024-01-01T00:00:00Z"),
      Roles: ((p.roles as string[] | undefined) ?? []).map((r) => {
        const def = a.roles.get(r);
        if (!def) throw new Error(`scenario: instance profile ${name} names no role ${r}`);
        return def.role;
      }),
    });
  }
  for (const p of list(spec.principals))
    a.principals.set(String(p.arn), {
      documents: [
        ...list(p.policies).map((d, i) => ({ name: `policy-${i}`, document: d as unknown })),
        ...((p.managed as string[] | undefined) ?? []).map(managedDoc),
      ],
    });

  // Instances and their agents.
  for (const i of list(spec.instances)) {
    const subnet = a.subnets.find((s) => s.SubnetId === i.subnet);
    const profile = i.profile ? a.instanceProfiles.find((p) => p.InstanceProfileName === i.profile) : undefined;
    if (i.profile && !profile) throw new Error(`scenario: instance ${i.id} names no instance profile ${i.profile}`);
    const state = String(i.state ?? "running");
    a.instances.push({
      InstanceId: i.id,
      ImageId: i.image ?? "ami-0123456789abcdef0",
      InstanceType: i.type ?? "t3.micro",
      State: { Name: state as EC2.InstanceStateName, Code: state === "running" ? 16 : 80 },
      SubnetId: i.subnet,
      VpcId: subnet?.VpcId,
      PrivateIpAddress: i.privateIp,
      ...(i.publicIp ? { PublicIpAddress: i.publicIp } : {}),
      SecurityGroups: ((i.groups as string[] | undefined) ?? []).map((GroupId) => ({ GroupId, GroupName: GroupId })),
      ...(profile ? { IamInstanceProfile: { Arn: profile.Arn, Id: profile.InstanceProfileId } } : {}),
      MetadataOptions: { HttpEndpoint: i.imds ?? "enabled", HttpTokens: i.tokens ?? "required", State: "applied" },
      // platform: windows gives what EC2 says of a Windows instance; anything else is Linux.
      ...(i.platform === "windows" ? { Platform: "Windows" as const, PlatformDetails: "Windows" } : { PlatformDetails: "Linux/UNIX" }),
      Placement: { AvailabilityZone: subnet?.AvailabilityZone },
      LaunchTime: new Date("2025-01-01T00:00:00Z"),
      Tags: tags(i.tags, i.name),
    });
    const agent = i.agent === undefined ? {} : i.agent;
    if (agent !== null)
      a.instanceInformation.push({
        InstanceId: i.id,
        PingStatus: agent.ping ?? "Online",
        LastPingDateTime: new Date(agent.lastPing ?? "2026-06-01T12:00:00Z"),
        AgentVersion: agent.version ?? "3.3.2299.0",
        IsLatestVersion: false,
        PlatformType: i.platform === "windows" ? "Windows" : i.type?.startsWith("mac") ? "MacOS" : "Linux",
        PlatformName: agent.platform ?? "Amazon Linux",
        PlatformVersion: agent.platformVersion ?? "2023",
        ResourceType: "EC2Instance",
        IPAddress: i.privateIp,
        ComputerName: `ip-${String(i.privateIp ?? "10-0-0-1").replace(/\./g, "-")}.ec2.internal`,
        ...(profile ? { IamRole: profile.Roles?.[0]?.RoleName } : {}),
      });
  }

  if (spec.dhmcRole) a.serviceSettings.set("/ssm/managed-instance/default-ec2-instance-management-role", String(spec.dhmcRole));
  if (spec.sessionPreferences)
    a.documents.set(
      "SSM-SessionManagerRunShell",
      JSON.stringify({
        schemaVersion: "1.0",
        description: "Session Manager preferences",
        sessionType: "Standard_Stream",
        inputs: spec.sessionPreferences,
      }),
    );
  for (const z of list(spec.hostedZones))
    a.hostedZones.push({
      id: z.id,
      name: z.name,
      vpcs: (z.vpcs as string[] | undefined) ?? [],
      ...(z.owner ? { owner: String(z.owner) } : {}),
    });
  // blockPublicAccess: { mode, state?, exclusionsAllowed?, exclusions: [{ id, vpc | subnet, mode, state? }] }
  const bpa = spec.blockPublicAccess as Record<string, unknown> | undefined;
  if (bpa) {
    a.blockPublicAccess = {
      InternetGatewayBlockMode: String(bpa.mode ?? "off") as EC2.InternetGatewayBlockMode,
      State: String(bpa.state ?? "update-complete") as EC2.VpcBlockPublicAccessState,
      ExclusionsAllowed: (bpa.exclusionsAllowed === false ? "not-allowed" : "allowed") as EC2.VpcBlockPublicAccessExclusionsAllowed,
    };
    for (const e of list(bpa.exclusions)) {
      const [kind, id] = e.subnet ? ["subnet", String(e.subnet)] : ["vpc", String(e.vpc)];
      a.blockPublicAccessExclusions.push({
        ExclusionId: String(e.id),
        InternetGatewayExclusionMode: String(e.mode ?? "allow-egress") as EC2.InternetGatewayExclusionMode,
        ResourceArn: `arn:aws:ec2:${a.region}:${a.account}:${kind}/${id}`,
        State: String(e.state ?? "create-complete") as EC2.VpcBlockPublicAccessExclusionState,
      });
    }
    // DescribeVpcs answers the region's mode on every VPC.
    for (const v of a.vpcs) v.BlockPublicAccessStates = { InternetGatewayBlockMode: a.blockPublicAccess.InternetGatewayBlockMode };
  }
  return a;
}
