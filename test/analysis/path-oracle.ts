/**
 * A small, independent reference for the path analysis: random worlds described as plain data (a
 * `WorldSpec`), built into the model with the model's own constructors, and a brute-force simulation of
 * one TCP connection from the instance's agent to `<svc>.us-east-1.amazonaws.com:443`, packet by packet,
 * rule by rule. It shares no code with `src/analysis`: CIDRs, routes, security groups and network ACLs
 * are evaluated here from scratch, on concrete addresses and ports.
 *
 * What a world leaves open is enumerated, never guessed:
 * - fixed but not known: the instance's private IP when the input names none (any usable address of its
 *   subnet), an endpoint network interface's address when only its subnet is known, the public address
 *   of the service (inside or outside the one public block the generators use), the hub's address behind
 *   a private hosted zone, and the contents of a prefix list (empty or everything: security groups are
 *   monotone in it, so the two extremes bound every other content).
 * - fixed but not known, too: the instance's operating system when its image does not say (a literal AMI id):
 *   Linux or Windows, whose ephemeral ports differ.
 * - varying from one connection to the next: the instance's ephemeral port (Linux 32768-60999, Windows
 *   49152-65535), the NAT gateway's translated port (1024-65535, AWS VPC user guide, "Ephemeral ports"), and
 *   which of the endpoint's network interfaces DNS hands out. A connection must work for every one of these.
 * Ports are drawn from a fixed set of edges, so a sample port in each piece between edges stands for every
 * port of that piece; addresses are enumerated one by one (subnets are /28).
 */
import fc from "fast-check";
import {
  assumedAgentVersion,
  defaulted,
  defaultNetworkAclKey,
  defaultSecurityGroupKey,
  emptyWorld,
  type Instance,
  known,
  mainRouteTableKey,
  type Route,
  type RouteTarget,
  unknown,
  type VpcEndpoint,
  type World,
} from "../../src/model/index.js";
import { acl, entry, group, list, origin, rule } from "./helpers.js";

export const REGION = "us-east-1";
const VPC = "vpc";
const VPC_CIDR = "10.0.0.0/24";
export type Service = "ssm" | "ssmmessages";
export const SERVICES: readonly Service[] = ["ssm", "ssmmessages"];

// ------------------------------------------------------------------ the world as data

export type PortSpec = readonly [number, number];
export type SgPeerSpec = { cidr: string } | { group: number } | { prefixList: string };
export interface SgRuleSpec {
  protocol: "tcp" | "udp" | "all";
  ports: PortSpec;
  peer: SgPeerSpec;
}
/** Index 0 is the VPC's default security group. */
export interface GroupSpec {
  egress: SgRuleSpec[];
  ingress: SgRuleSpec[];
}
export interface AclEntrySpec {
  n: number;
  egress: boolean;
  action: "allow" | "deny";
  protocol: "tcp" | "udp" | "all" | "icmp";
  /** null = every port. */
  ports: PortSpec | null;
  cidr: string;
}
/** Index 0 is the VPC's default network ACL. */
export interface AclSpec {
  entries: AclEntrySpec[];
}
export type TargetSpec = "igw" | "nat" | "tgw" | "peering";
export interface RouteSpec {
  dest: string;
  target: TargetSpec;
}
/** Index 0 is the main route table; the local route for the VPC CIDR is implicit. */
export interface RouteTableSpec {
  routes: RouteSpec[];
}
export interface SubnetSpec {
  routeTable: number;
  acl: number;
  mapPublicIp: boolean;
}
export interface EndpointSpec {
  service: Service;
  type: "Interface" | "Gateway";
  region: string;
  privateDns: boolean;
  subnets: number[];
  /** Empty: AWS attaches the VPC's default security group. */
  groups: number[];
  /** Host offset of the network interface in each of its subnets, when the input knows it (live). */
  eniOffset: number | null;
}
export interface InstanceSpec {
  subnet: number;
  groups: number[];
  /** Host offset of the private IP in its subnet; null = not given. */
  ipOffset: number | null;
  /** null = the subnet's MapPublicIpOnLaunch decides. */
  publicIp: boolean | null;
  /** The image's system: an AWS public image parameter of Linux or Windows; null = a literal AMI id (either). */
  os: "linux" | "windows" | null;
}
export interface WorldSpec {
  dnsSupport: boolean;
  dnsHostnames: boolean;
  /** An explicit DHCP option set naming AmazonProvidedDNS (as live mode reads it) instead of none. */
  amazonDhcpOptions: boolean;
  subnets: SubnetSpec[];
  routeTables: RouteTableSpec[];
  acls: AclSpec[];
  groups: GroupSpec[];
  igwAttached: boolean;
  nat: { subnet: number; connectivity: "public" | "private" } | null;
  endpoints: EndpointSpec[];
  instances: InstanceSpec[];
  /** Private hosted zones `<svc>.us-east-1.amazonaws.com` associated with the VPC (centralised endpoints). */
  hostedZones: Service[];
}

// ------------------------------------------------------------------ addresses

function ipv4(s: string): number {
  return s.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}
function formatIp(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}
function cidrContains(cidr: string, address: number): boolean {
  const [base, bits] = cidr.split("/");
  const prefix = Number(bits ?? 32);
  const size = 2 ** (32 - prefix);
  const first = ipv4(base!) - (ipv4(base!) % size);
  return address >= first && address < first + size;
}
function prefixOf(cidr: string): number {
  return Number(cidr.split("/")[1] ?? 32);
}
const subnetCidr = (i: number) => `10.0.0.${16 * i}/28`;
const hostAddress = (subnet: number, offset: number) => ipv4("10.0.0.0") + 16 * subnet + offset;
/** AWS reserves the first four addresses and the last one of every subnet. */
const USABLE_OFFSETS = [4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
const PUBLIC_BLOCK = "52.0.0.0/8";
/** One public service address inside the public block the generators use and one outside it. */
const SERVICE_ADDRESSES = [ipv4("52.94.1.1"), ipv4("3.5.1.1")];
/** The hub's endpoint addresses behind a private hosted zone: somewhere outside the VPC. */
const HUB_ADDRESSES = [ipv4("10.1.0.10"), ipv4("192.168.0.10")];

// Port edges of every generated rule; each sample below hits every piece between edges in its range.
const PORT_FROMS = [0, 22, 443, 444, 1024, 32768, 49152, 61000] as const;
const PORT_TOS = [22, 442, 443, 1023, 32767, 49151, 60999, 65535] as const;
/** A port of every piece between the edges, per system: Linux 32768-60999, Windows 49152-65535. */
const EPHEMERAL_SAMPLES = { linux: [32768, 40000, 49151, 49152, 60999], windows: [49152, 60999, 61000, 65535] } as const;
const IMAGES = {
  linux: { kind: "ssm-parameter", name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" },
  windows: { kind: "ssm-parameter", name: "/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base" },
  unknown: { kind: "ami-id", id: "ami-0123456789abcdef0" },
} as const;
const NAT_PORT_SAMPLE = [1024, 20000, 32767, 32768, 49151, 49152, 60999, 61000, 65535];

// ------------------------------------------------------------------ generators

export type Mode = "exact" | "open" | "hub";

const port443: fc.Arbitrary<PortSpec> = fc.constant([443, 443] as const);
const anyPorts: fc.Arbitrary<PortSpec> = fc
  .tuple(fc.constantFrom(...PORT_FROMS), fc.constantFrom(...PORT_TOS))
  .filter(([a, b]) => a <= b)
  .map(([a, b]) => [a, b] as const);
const ruleStylePorts: fc.Arbitrary<PortSpec> = fc.oneof(
  { weight: 4, arbitrary: port443 },
  { weight: 1, arbitrary: fc.constant([0, 65535] as const) },
  { weight: 2, arbitrary: anyPorts },
);
const returnStylePorts: fc.Arbitrary<PortSpec> = fc.oneof(
  fc.constantFrom<PortSpec>([1024, 65535], [32768, 65535], [49152, 65535], [32768, 60999], [443, 443]),
  anyPorts,
);

/** CIDRs rules and routes draw from; "open" adds a public block, which leaves the service's address undecided. */
function cidrPool(mode: Mode): fc.Arbitrary<string> {
  const inside = fc.oneof(
    fc.constantFrom("0.0.0.0/0", "0.0.0.0/0", VPC_CIDR, "10.0.0.0/16", "172.16.0.0/12"),
    fc.integer({ min: 0, max: 3 }).map(subnetCidr),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.boolean()).map(([s, upper]) => `10.0.0.${16 * s + (upper ? 8 : 0)}/29`),
    fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom(4, 5, 9)).map(([s, o]) => `${formatIp(hostAddress(s, o))}/32`),
  );
  // The hub's addresses must fall all inside or all outside every rule's CIDR (see HUB_ADDRESSES).
  if (mode === "hub") return fc.oneof({ weight: 5, arbitrary: inside }, { weight: 1, arbitrary: fc.constant(PUBLIC_BLOCK) });
  if (mode === "exact") return fc.oneof({ weight: 6, arbitrary: inside }, { weight: 1, arbitrary: fc.constant("10.0.0.0/8") });
  return fc.oneof({ weight: 6, arbitrary: inside }, { weight: 1, arbitrary: fc.constantFrom(PUBLIC_BLOCK, "10.0.0.0/8") });
}

function sgRule(mode: Mode): fc.Arbitrary<SgRuleSpec> {
  const peers: fc.Arbitrary<SgPeerSpec>[] = [
    cidrPool(mode).map((cidr) => ({ cidr })),
    cidrPool(mode).map((cidr) => ({ cidr })),
    fc.integer({ min: 0, max: 3 }).map((group) => ({ group })),
  ];
  if (mode !== "exact") peers.push(fc.constant({ prefixList: "pl-0123" }));
  return fc.record({
    protocol: fc.constantFrom<SgRuleSpec["protocol"]>("tcp", "tcp", "tcp", "all", "udp"),
    ports: ruleStylePorts,
    peer: fc.oneof(...peers),
  });
}

/** Mostly a group that lets HTTPS out and in somewhere, plus anything. */
function groupSpec(mode: Mode): fc.Arbitrary<GroupSpec> {
  const https = fc.record({
    protocol: fc.constantFrom<SgRuleSpec["protocol"]>("tcp", "all"),
    ports: port443,
    peer: fc.oneof(
      fc.constant({ cidr: "0.0.0.0/0" }),
      fc.constant({ cidr: "0.0.0.0/0" }),
      fc.constant({ cidr: VPC_CIDR }),
      fc.integer({ min: 0, max: 3 }).map((group) => ({ group })),
    ),
  });
  const rules = (usual: boolean) =>
    usual
      ? fc.tuple(https, fc.array(sgRule(mode), { maxLength: 2 })).map(([h, rest]) => [h, ...rest])
      : fc.array(sgRule(mode), { maxLength: 3 });
  return fc.record({
    egress: fc.boolean().chain((usual) => rules(usual)),
    ingress: fc.boolean().chain((usual) => rules(usual)),
  });
}

/** AWS's default group: members talk to each other, all egress. */
const DEFAULT_GROUP: GroupSpec = {
  ingress: [{ protocol: "all", ports: [0, 65535], peer: { group: 0 } }],
  egress: [{ protocol: "all", ports: [0, 65535], peer: { cidr: "0.0.0.0/0" } }],
};

function aclEntry(mode: Mode): fc.Arbitrary<AclEntrySpec> {
  return fc
    .record({
      n: fc.constantFrom(50, 90, 100, 110, 120, 200),
      egress: fc.boolean(),
      action: fc.constantFrom<"allow" | "deny">("allow", "allow", "deny"),
      protocol: fc.constantFrom<AclEntrySpec["protocol"]>("tcp", "tcp", "all", "all", "udp", "icmp"),
      ports: fc.oneof(
        { weight: 3, arbitrary: ruleStylePorts },
        { weight: 3, arbitrary: returnStylePorts },
        { weight: 1, arbitrary: fc.constant(null) },
      ),
      cidr: cidrPool(mode),
    })
    .map((e) => (e.protocol === "all" || e.protocol === "icmp" ? { ...e, ports: null } : e));
}

const OPEN_ACL: AclEntrySpec[] = [
  { n: 100, egress: false, action: "allow", protocol: "all", ports: null, cidr: "0.0.0.0/0" },
  { n: 100, egress: true, action: "allow", protocol: "all", ports: null, cidr: "0.0.0.0/0" },
];

/** The usual hand-written ACL: HTTPS both ways, a range of return ports both ways, sometimes a deny in front. */
function hardenedAcl(mode: Mode): fc.Arbitrary<AclSpec> {
  const returns = fc.constantFrom<PortSpec>([1024, 65535], [32768, 65535], [49152, 65535], [32768, 60999]);
  return fc
    .record({
      httpsFrom: fc.constantFrom("0.0.0.0/0", VPC_CIDR),
      inReturn: returns,
      outReturn: returns,
      outReturnTo: fc.constantFrom("0.0.0.0/0", VPC_CIDR),
      extra: fc.array(aclEntry(mode), { maxLength: 2 }),
    })
    .map(({ httpsFrom, inReturn, outReturn, outReturnTo, extra }) => ({
      entries: [
        ...extra,
        { n: 100, egress: false, action: "allow" as const, protocol: "tcp" as const, ports: [443, 443] as const, cidr: httpsFrom },
        { n: 110, egress: false, action: "allow" as const, protocol: "tcp" as const, ports: inReturn, cidr: "0.0.0.0/0" },
        { n: 100, egress: true, action: "allow" as const, protocol: "tcp" as const, ports: [443, 443] as const, cidr: "0.0.0.0/0" },
        { n: 110, egress: true, action: "allow" as const, protocol: "tcp" as const, ports: outReturn, cidr: outReturnTo },
      ],
    }));
}

function aclSpec(mode: Mode): fc.Arbitrary<AclSpec> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant({ entries: OPEN_ACL }) },
    { weight: 4, arbitrary: hardenedAcl(mode) },
    { weight: 2, arbitrary: fc.array(aclEntry(mode), { maxLength: 3 }).map((extra) => ({ entries: [...extra, ...OPEN_ACL] })) },
    { weight: 1, arbitrary: fc.array(aclEntry(mode), { maxLength: 5 }).map((entries) => ({ entries })) },
  );
}

function routeSpec(mode: Mode): fc.Arbitrary<RouteSpec> {
  const dests =
    mode === "exact"
      ? ["0.0.0.0/0", "0.0.0.0/0", "10.1.0.0/16", "10.0.0.0/16"]
      : ["0.0.0.0/0", "0.0.0.0/0", PUBLIC_BLOCK, "10.1.0.0/16", "192.168.0.0/16", "10.0.0.0/16"];
  const targets: TargetSpec[] =
    mode === "exact"
      ? ["igw", "nat", "nat"]
      : mode === "hub"
        ? ["tgw", "tgw", "peering", "nat", "igw"]
        : ["igw", "nat", "nat", "tgw", "peering"];
  return fc.record({ dest: fc.constantFrom(...dests), target: fc.constantFrom(...targets) });
}

/** Mostly a working default route (through the NAT or the internet gateway), sometimes anything. */
function routeTableSpec(mode: Mode): fc.Arbitrary<RouteTableSpec> {
  const usual = fc
    .tuple(
      fc.constantFrom<TargetSpec>(...(mode === "hub" ? (["tgw", "peering", "nat"] as const) : (["nat", "nat", "igw"] as const))),
      fc.array(routeSpec(mode), { maxLength: 2 }),
    )
    .map(([target, rest]) => ({ routes: [{ dest: "0.0.0.0/0", target }, ...rest] }));
  return fc.oneof(
    { weight: 3, arbitrary: usual },
    { weight: 1, arbitrary: fc.record({ routes: fc.array(routeSpec(mode), { maxLength: 3 }) }) },
  );
}

function endpointSpec(mode: Mode, service: Service): fc.Arbitrary<EndpointSpec> {
  return fc.record({
    service: fc.constant(service),
    type: fc.constantFrom<EndpointSpec["type"]>("Interface", "Interface", "Interface", "Gateway"),
    region: fc.constantFrom(REGION, REGION, REGION, "us-west-2"),
    privateDns: fc.constantFrom(true, true, true, false),
    subnets: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: mode === "exact" ? 1 : 2 }),
    groups: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
    eniOffset: mode === "exact" ? fc.constantFrom(...USABLE_OFFSETS) : fc.option(fc.constantFrom(4, 5, 9, 12), { nil: null }),
  });
}

function instanceSpec(mode: Mode): fc.Arbitrary<InstanceSpec> {
  return fc.record({
    subnet: fc.integer({ min: 0, max: 3 }),
    groups: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }),
    ipOffset: mode === "exact" ? fc.constantFrom(4, 5, 9, 12) : fc.option(fc.constantFrom(4, 5, 9, 12), { nil: null }),
    publicIp: fc.constantFrom<boolean | null>(null, null, true, false),
    os: mode === "exact" ? fc.constantFrom<"linux" | "windows">("linux", "linux", "windows") : fc.constantFrom("linux", "windows", null),
  });
}

const uniqueIndexes = (xs: number[], size: number) => [...new Set(xs.map((x) => x % size))];

/** Indexes are drawn freely and folded onto what exists, so every part shrinks on its own. */
function normalize(raw: WorldSpec, mode: Mode): WorldSpec {
  const subnets = raw.subnets.length;
  const groups = raw.groups.length;
  const nat = raw.nat ? { ...raw.nat, subnet: raw.nat.subnet % subnets } : null;
  const foldPeer = (r: SgRuleSpec): SgRuleSpec => ("group" in r.peer ? { ...r, peer: { group: r.peer.group % groups } } : r);
  const routeTables = raw.routeTables.map((t) => {
    const seen = new Set<string>();
    const routes: RouteSpec[] = [];
    for (const r of t.routes) {
      if (seen.has(r.dest)) continue; // one route per destination, as AWS has it
      seen.add(r.dest);
      routes.push(r.target === "nat" && !nat ? { ...r, target: mode === "exact" ? "igw" : "tgw" } : r);
    }
    return { routes };
  });
  const acls = raw.acls.map((a) => {
    const seen = new Set<string>();
    return { entries: a.entries.filter((e) => !seen.has(`${e.egress}|${e.n}`) && seen.add(`${e.egress}|${e.n}`)) };
  });
  // A VPC takes one endpoint with private DNS per service name: AWS refuses a second one.
  const named = new Set<string>();
  const endpoints = raw.endpoints.map((e) => {
    const takesName = e.type === "Interface" && e.privateDns && e.region === REGION;
    const clash = takesName && named.has(e.service);
    if (takesName) named.add(e.service);
    return {
      ...e,
      privateDns: e.privateDns && !clash,
      subnets: uniqueIndexes(e.subnets, subnets),
      groups: uniqueIndexes(e.groups, groups),
    };
  });
  return {
    ...raw,
    subnets: raw.subnets.map((s) => ({ ...s, routeTable: s.routeTable % routeTables.length, acl: s.acl % acls.length })),
    routeTables,
    acls,
    groups: raw.groups.map((g) => ({ egress: g.egress.map(foldPeer), ingress: g.ingress.map(foldPeer) })),
    nat,
    endpoints,
    instances: raw.instances.map((i) => ({ ...i, subnet: i.subnet % subnets, groups: uniqueIndexes(i.groups, groups) })),
  };
}

/**
 * A world of one VPC (10.0.0.0/24, /28 subnets). "exact": everything the analysis needs is known (private
 * IPs, endpoint addresses, one subnet per endpoint, no prefix list, no public block, no transit gateway);
 * "open": anything goes; "hub": private hosted zones for both services instead of endpoints.
 */
export function worldSpec(mode: Mode): fc.Arbitrary<WorldSpec> {
  return fc.oneof(anyWorld(mode), textbookWorld(mode));
}

function endpointsFor(mode: Mode): fc.Arbitrary<EndpointSpec[]> {
  return mode === "hub"
    ? fc.constant<EndpointSpec[]>([])
    : fc.tuple(...SERVICES.map((s) => fc.array(endpointSpec(mode, s), { maxLength: 2 }))).map((lists) => lists.flat());
}

const groupsFor = (mode: Mode): fc.Arbitrary<GroupSpec[]> =>
  fc
    .tuple(
      fc.oneof({ weight: 3, arbitrary: fc.constant(DEFAULT_GROUP) }, { weight: 1, arbitrary: groupSpec(mode) }),
      fc.array(groupSpec(mode), { maxLength: 3 }),
    )
    .map(([d, rest]) => [d, ...rest]);

const hubFields = (mode: Mode) => ({
  dnsSupport: fc.constantFrom(true, true, true, true, true, true, true, false),
  dnsHostnames: mode === "hub" ? fc.constant(true) : fc.constantFrom(true, true, false),
  amazonDhcpOptions: mode === "hub" ? fc.boolean() : fc.constant(false),
  hostedZones: fc.constant<Service[]>(mode === "hub" ? [...SERVICES] : []),
});

/** Any shape: subnets, tables, ACLs and groups drawn freely. */
function anyWorld(mode: Mode): fc.Arbitrary<WorldSpec> {
  return fc
    .record({
      ...hubFields(mode),
      subnets: fc.array(fc.record({ routeTable: fc.nat(), acl: fc.nat(), mapPublicIp: fc.constantFrom(false, false, true) }), {
        minLength: 1,
        maxLength: 4,
      }),
      routeTables: fc.array(routeTableSpec(mode), { minLength: 1, maxLength: 3 }),
      acls: fc.array(aclSpec(mode), { minLength: 1, maxLength: 3 }),
      groups: groupsFor(mode),
      igwAttached: fc.constantFrom(true, true, true, true, true, false),
      nat: fc.option(
        fc.record({
          subnet: fc.nat(),
          connectivity: fc.constantFrom<"public" | "private">("public", "public", "public", "public", "public", "private"),
        }),
        { nil: null, freq: 3 },
      ),
      endpoints: endpointsFor(mode),
      instances: fc.array(instanceSpec(mode), { minLength: 1, maxLength: 2 }),
    })
    .map((raw) => normalize(raw, mode));
}

/**
 * The textbook layout, where single broken hops hide: private subnets 0 and 2 on the main table (through
 * the NAT gateway, or the hub), a public subnet 1 routed to the internet gateway holding the NAT gateway;
 * ACLs, groups, endpoints and instances drawn as anywhere else.
 */
function textbookWorld(mode: Mode): fc.Arbitrary<WorldSpec> {
  return fc
    .record({
      ...hubFields(mode),
      acls: fc.array(aclSpec(mode), { minLength: 3, maxLength: 3 }),
      privateTable: routeTableSpec(mode),
      extraTable: routeTableSpec(mode),
      secondPrivateOnExtra: fc.boolean(),
      groups: groupsFor(mode),
      endpoints: endpointsFor(mode),
      instances: fc.array(instanceSpec(mode), { minLength: 1, maxLength: 2 }),
    })
    .map(({ acls, privateTable, extraTable, secondPrivateOnExtra, instances, ...rest }) =>
      normalize(
        {
          ...rest,
          subnets: [
            { routeTable: 0, acl: 0, mapPublicIp: false },
            { routeTable: 1, acl: 1, mapPublicIp: true },
            { routeTable: secondPrivateOnExtra ? 2 : 0, acl: 2, mapPublicIp: false },
          ],
          routeTables: [privateTable, { routes: [{ dest: "0.0.0.0/0", target: "igw" }] }, extraTable],
          acls,
          igwAttached: true,
          nat: { subnet: 1, connectivity: "public" },
          // Instances live in the private subnets.
          instances: instances.map((i) => ({ ...i, subnet: i.subnet % 2 === 0 ? 0 : 2 })),
        },
        mode,
      ),
    );
}

// ------------------------------------------------------------------ building the model

const keys = {
  subnet: (i: number) => `subnet-${i}`,
  routeTable: (i: number) => (i === 0 ? mainRouteTableKey(VPC) : `rtb-${i}`),
  acl: (i: number) => (i === 0 ? defaultNetworkAclKey(VPC) : `acl-${i}`),
  group: (i: number) => (i === 0 ? defaultSecurityGroupKey(VPC) : `sg-${i}`),
  endpoint: (i: number) => `vpce-${i}`,
  instance: (i: number) => `i-${i}`,
};
export const instanceKey = keys.instance;

function routeTarget(t: TargetSpec): RouteTarget {
  switch (t) {
    case "igw":
      return { kind: "internet-gateway", gateway: known("igw") };
    case "nat":
      return { kind: "nat-gateway", gateway: known("nat") };
    case "tgw":
      return { kind: "transit-gateway", id: "tgw-0abc" };
    case "peering":
      return { kind: "peering", id: "pcx-0abc" };
  }
}

function sgPeer(p: SgPeerSpec): string {
  if ("cidr" in p) return p.cidr;
  if ("group" in p) return `sg:${keys.group(p.group)}`;
  return `pl:${p.prefixList}`;
}

/** The model world the spec describes, built as the sources build it. */
export function buildWorld(spec: WorldSpec): World {
  const world = emptyWorld("cloudformation", ["oracle.yaml"], {
    region: known(REGION),
    dhmc: defaulted({ enabled: false }),
    agentVersion: assumedAgentVersion(undefined),
  });
  world.vpcs.set(VPC, {
    key: VPC,
    name: VPC,
    origin: origin(VPC),
    cidrBlocks: known([VPC_CIDR]),
    enableDnsSupport: known(spec.dnsSupport),
    enableDnsHostnames: known(spec.dnsHostnames),
    dhcpOptions: known(spec.amazonDhcpOptions ? "dopt" : null),
    defaultSecurityGroup: keys.group(0),
    mainRouteTable: keys.routeTable(0),
    defaultNetworkAcl: keys.acl(0),
  });
  if (spec.amazonDhcpOptions) {
    world.dhcpOptions.set("dopt", { key: "dopt", name: "dopt", origin: origin("dopt"), domainNameServers: known(["AmazonProvidedDNS"]) });
  }
  spec.subnets.forEach((s, i) => {
    world.subnets.set(keys.subnet(i), {
      key: keys.subnet(i),
      name: keys.subnet(i),
      origin: origin(keys.subnet(i)),
      vpc: known(VPC),
      cidrBlock: known(subnetCidr(i)),
      availabilityZone: known(`${REGION}a`),
      mapPublicIpOnLaunch: known(s.mapPublicIp),
      routeTable: known(keys.routeTable(s.routeTable)),
      networkAcl: known(keys.acl(s.acl)),
    });
  });
  spec.routeTables.forEach((t, i) => {
    const routes: Route[] = t.routes.map((r, j) => ({
      destination: known({ kind: "ipv4" as const, cidr: r.dest }),
      target: known(routeTarget(r.target)),
      origin: origin(`${keys.routeTable(i)}-route-${j}`),
    }));
    world.routeTables.set(keys.routeTable(i), {
      key: keys.routeTable(i),
      name: keys.routeTable(i),
      origin: origin(keys.routeTable(i)),
      vpc: known(VPC),
      routes,
      routesComplete: true,
      isMain: i === 0,
    });
  });
  world.internetGateways.set("igw", { key: "igw", name: "igw", origin: origin("igw"), vpc: known(spec.igwAttached ? VPC : null) });
  if (spec.nat) {
    world.natGateways.set("nat", {
      key: "nat",
      name: "nat",
      origin: origin("nat"),
      subnet: known(keys.subnet(spec.nat.subnet)),
      connectivity: known(spec.nat.connectivity),
    });
  }
  spec.acls.forEach((a, i) => {
    const entries = a.entries.map((e) => entry(e.n, e.egress, e.action, e.cidr, e.protocol, e.ports ? [e.ports[0], e.ports[1]] : null));
    world.networkAcls.set(
      keys.acl(i),
      acl(entries, { key: keys.acl(i), name: keys.acl(i), origin: origin(keys.acl(i)), vpc: known(VPC), isDefault: i === 0 }),
    );
  });
  spec.groups.forEach((g, i) => {
    const rules = [
      ...g.egress.map((r) => rule("egress", r.protocol, r.ports[0], r.ports[1], sgPeer(r.peer))),
      ...g.ingress.map((r) => rule("ingress", r.protocol, r.ports[0], r.ports[1], sgPeer(r.peer))),
    ];
    world.securityGroups.set(keys.group(i), group(keys.group(i), rules, { vpc: known(VPC), isDefault: i === 0 }));
  });
  spec.endpoints.forEach((e, i) => {
    const endpoint: VpcEndpoint = {
      key: keys.endpoint(i),
      name: keys.endpoint(i),
      origin: origin(keys.endpoint(i)),
      vpc: known(VPC),
      serviceName: known(`com.amazonaws.${e.region}.${e.service}`),
      endpointType: known(e.type),
      privateDnsEnabled: known(e.privateDns),
      subnets: list(e.subnets.map(keys.subnet)),
      securityGroups: list(e.groups.map(keys.group)),
      routeTables: known([]),
      policy: known(null),
      ...(e.eniOffset === null ? {} : { networkInterfaceAddresses: known(e.subnets.map((s) => formatIp(hostAddress(s, e.eniOffset!)))) }),
    };
    world.vpcEndpoints.set(endpoint.key, endpoint);
  });
  spec.instances.forEach((s, i) => {
    const instance: Instance = {
      key: keys.instance(i),
      name: keys.instance(i),
      origin: origin(keys.instance(i)),
      computeKind: "instance",
      image: known(IMAGES[s.os ?? "unknown"]),
      userData: known(null),
      subnets: list([keys.subnet(s.subnet)]),
      securityGroups: list(s.groups.map(keys.group)),
      associatePublicIp: known(s.publicIp),
      ...(s.ipOffset === null ? {} : { privateIp: known(formatIp(hostAddress(s.subnet, s.ipOffset))) }),
      instanceProfile: known(null),
      metadata: { httpEndpoint: known("enabled"), httpTokens: known("required") },
    };
    world.instances.set(instance.key, instance);
  });
  for (const service of spec.hostedZones) {
    const key = `phz-${service}`;
    world.hostedZones.set(key, {
      key,
      name: key,
      origin: origin(key),
      zoneName: known(`${service}.${REGION}.amazonaws.com`),
      vpcs: list([VPC]),
    });
  }
  return world;
}

// ------------------------------------------------------------------ the reference simulation

/** One simulated connection: it works, it is dropped, or it leaves the described world. */
export type Outcome = "ok" | "outside" | "bad";
const RANK: Record<Outcome, number> = { ok: 0, outside: 1, bad: 2 };
const worse = (a: Run, b: Run): Run => (RANK[b.outcome] > RANK[a.outcome] ? b : a);

interface Run {
  outcome: Outcome;
  /** The packet and the rule that decided, for a readable counterexample. */
  why: string;
}
const OK: Run = { outcome: "ok", why: "connected" };

interface Packet {
  /** The remote address as the ACL or group sees it (destination going out, source coming in). */
  remote: number;
  port: number;
}

/** Specs are values: a changed ACL is a new object, so its entries are sorted once. */
const sortedEntries = new WeakMap<AclSpec, Map<boolean, AclEntrySpec[]>>();
function entriesInOrder(acl: AclSpec, egress: boolean): AclEntrySpec[] {
  let byDirection = sortedEntries.get(acl);
  if (!byDirection) {
    byDirection = new Map([false, true].map((d) => [d, acl.entries.filter((e) => e.egress === d).sort((a, b) => a.n - b.n)]));
    sortedEntries.set(acl, byDirection);
  }
  return byDirection.get(egress)!;
}

function aclAllows(spec: WorldSpec, aclIndex: number, egress: boolean, p: Packet): boolean {
  for (const e of entriesInOrder(spec.acls[aclIndex]!, egress)) {
    if (e.protocol !== "all" && e.protocol !== "tcp") continue;
    if (e.protocol === "tcp" && e.ports && (p.port < e.ports[0] || p.port > e.ports[1])) continue;
    if (!cidrContains(e.cidr, p.remote)) continue;
    return e.action === "allow";
  }
  return false; // the implicit final deny
}

function groupsAllow(
  spec: WorldSpec,
  groups: number[],
  direction: "egress" | "ingress",
  p: Packet,
  peerGroups: number[],
  prefixListFull: boolean,
): boolean {
  return groups.some((g) =>
    spec.groups[g]![direction].some((r) => {
      if (r.protocol === "udp") return false;
      if (r.protocol === "tcp" && (p.port < r.ports[0] || p.port > r.ports[1])) return false;
      if ("cidr" in r.peer) return cidrContains(r.peer.cidr, p.remote);
      if ("group" in r.peer) return peerGroups.includes(r.peer.group);
      return prefixListFull;
    }),
  );
}

type Hop = TargetSpec | "local" | "none";
function routeFor(spec: WorldSpec, table: number, address: number): Hop {
  let best: { prefix: number; target: Hop } = { prefix: -1, target: "none" };
  if (cidrContains(VPC_CIDR, address)) best = { prefix: prefixOf(VPC_CIDR), target: "local" };
  for (const r of spec.routeTables[table]!.routes) {
    if (cidrContains(r.dest, address) && prefixOf(r.dest) > best.prefix) best = { prefix: prefixOf(r.dest), target: r.target };
  }
  return best.target;
}

type Resolution = { kind: "none" } | { kind: "endpoint"; endpoint: EndpointSpec } | { kind: "public" } | { kind: "hub" };

/** What `<svc>.us-east-1.amazonaws.com` resolves to inside the VPC. */
export function resolveName(spec: WorldSpec, service: Service): Resolution {
  if (!spec.dnsSupport) return { kind: "none" }; // no VPC resolver: nothing resolves
  if (spec.hostedZones.includes(service)) return { kind: "hub" };
  const endpoint = spec.endpoints.find((e) => e.service === service && e.type === "Interface" && e.region === REGION && e.privateDns);
  if (endpoint && spec.dnsHostnames) return { kind: "endpoint", endpoint };
  return { kind: "public" };
}

interface Client {
  instance: InstanceSpec;
  ip: number;
  acl: number;
  routeTable: number;
  prefixListFull: boolean;
}

function leg(spec: WorldSpec, aclIndex: number, egress: boolean, p: Packet, what: string): Run | undefined {
  if (aclAllows(spec, aclIndex, egress, p)) return undefined;
  return {
    outcome: "bad",
    why: `${what}: acl ${keys.acl(aclIndex)} ${egress ? "outbound" : "inbound"} drops port ${p.port} ${egress ? "to" : "from"} ${formatIp(p.remote)}`,
  };
}

/** SYN from the client's ephemeral port to an endpoint interface on 443, and the reply. */
function viaEndpoint(spec: WorldSpec, c: Client, endpoint: EndpointSpec, eniSubnet: number, eni: number, eph: number): Run {
  const endpointGroups = endpoint.groups.length > 0 ? endpoint.groups : [0];
  if (routeFor(spec, c.routeTable, eni) !== "local") return { outcome: "bad", why: `no local route to ${formatIp(eni)}` };
  if (!groupsAllow(spec, c.instance.groups, "egress", { remote: eni, port: 443 }, endpointGroups, c.prefixListFull))
    return { outcome: "bad", why: `instance groups allow no tcp 443 to ${formatIp(eni)}` };
  const crosses = eniSubnet !== c.instance.subnet;
  const eniAcl = spec.subnets[eniSubnet]!.acl;
  const drop =
    (crosses && leg(spec, c.acl, true, { remote: eni, port: 443 }, "SYN leaving the instance subnet")) ||
    (crosses && leg(spec, eniAcl, false, { remote: c.ip, port: 443 }, "SYN entering the endpoint subnet"));
  if (drop) return drop;
  if (!groupsAllow(spec, endpointGroups, "ingress", { remote: c.ip, port: 443 }, c.instance.groups, c.prefixListFull))
    return { outcome: "bad", why: `endpoint groups admit no tcp 443 from ${formatIp(c.ip)}` };
  const back =
    (crosses && leg(spec, eniAcl, true, { remote: c.ip, port: eph }, "reply leaving the endpoint subnet")) ||
    (crosses && leg(spec, c.acl, false, { remote: eni, port: eph }, "reply entering the instance subnet"));
  return back || OK;
}

/** SYN to a public service address through the instance's route, and the reply. */
function viaInternet(spec: WorldSpec, c: Client, service: number, eph: number, natPort: number): Run {
  const hop = routeFor(spec, c.routeTable, service);
  if (hop === "none" || hop === "local") return { outcome: "bad", why: `no route to ${formatIp(service)}` };
  if (!groupsAllow(spec, c.instance.groups, "egress", { remote: service, port: 443 }, [], c.prefixListFull))
    return { outcome: "bad", why: `instance groups allow no tcp 443 to ${formatIp(service)}` };
  const out = { remote: service, port: 443 };
  const back = { remote: service, port: eph };
  if (hop === "tgw" || hop === "peering") {
    const drop =
      leg(spec, c.acl, true, out, "SYN leaving the instance subnet") || leg(spec, c.acl, false, back, "reply entering the instance subnet");
    return drop || { outcome: "outside", why: `${formatIp(service)} routes to the ${hop}` };
  }
  if (hop === "igw") {
    if (!spec.igwAttached) return { outcome: "bad", why: "the internet gateway is detached" };
    const publicIp = c.instance.publicIp ?? spec.subnets[c.instance.subnet]!.mapPublicIp;
    if (!publicIp) return { outcome: "bad", why: "the instance has no public IP" };
    return (
      leg(spec, c.acl, true, out, "SYN leaving the instance subnet") ||
      leg(spec, c.acl, false, back, "reply entering the instance subnet") ||
      OK
    );
  }
  // NAT gateway
  const nat = spec.nat!;
  if (nat.connectivity === "private") return { outcome: "bad", why: "the NAT gateway is private" };
  const crosses = nat.subnet !== c.instance.subnet;
  const natAcl = spec.subnets[nat.subnet]!.acl;
  const toNat =
    (crosses && leg(spec, c.acl, true, out, "SYN leaving the instance subnet")) ||
    (crosses && leg(spec, natAcl, false, { remote: c.ip, port: 443 }, "SYN entering the NAT subnet"));
  if (toNat) return toNat;
  const natHop = routeFor(spec, spec.subnets[nat.subnet]!.routeTable, service);
  if (natHop === "nat" || natHop === "none" || natHop === "local")
    return { outcome: "bad", why: `the NAT subnet routes ${formatIp(service)} to ${natHop}` };
  const beyond =
    leg(spec, natAcl, true, out, "translated SYN leaving the NAT subnet") ||
    leg(spec, natAcl, false, { remote: service, port: natPort }, "reply entering the NAT subnet");
  if (beyond) return beyond;
  const home =
    (crosses && leg(spec, natAcl, true, { remote: c.ip, port: eph }, "reply leaving the NAT subnet")) ||
    (crosses && leg(spec, c.acl, false, back, "reply entering the instance subnet"));
  if (home) return home;
  if (natHop === "tgw" || natHop === "peering")
    return { outcome: "outside", why: `the NAT subnet routes ${formatIp(service)} to the ${natHop}` };
  if (!spec.igwAttached) return { outcome: "bad", why: "the internet gateway is detached" };
  return OK;
}

/** SYN to the hub's endpoint behind a private hosted zone: everything up to the transit gateway or peering. */
function viaHub(spec: WorldSpec, c: Client, hub: number, eph: number): Run {
  const hop = routeFor(spec, c.routeTable, hub);
  if (hop !== "tgw" && hop !== "peering") return { outcome: "bad", why: `${formatIp(hub)} routes to ${hop}` };
  if (!groupsAllow(spec, c.instance.groups, "egress", { remote: hub, port: 443 }, [], c.prefixListFull))
    return { outcome: "bad", why: `instance groups allow no tcp 443 to ${formatIp(hub)}` };
  return (
    leg(spec, c.acl, true, { remote: hub, port: 443 }, "SYN leaving the instance subnet") ||
    leg(spec, c.acl, false, { remote: hub, port: eph }, "reply entering the instance subnet") || {
      outcome: "outside",
      why: "the hub's endpoint side is in another VPC",
    }
  );
}

export type OracleVerdict = "pass" | "fail" | "undetermined";
export interface OracleResult {
  verdict: OracleVerdict;
  /** One run per outcome seen, with why. */
  runs: Run[];
}

/** The worst run over everything that varies from one connection to the next (a drop ends the search). */
function worstOf(runs: Iterable<Run>): Run {
  let w = OK;
  for (const r of runs) {
    w = worse(w, r);
    if (w.outcome === "bad") break;
  }
  return w;
}

function* lazily<T, R>(items: readonly T[], f: (t: T) => R): Generator<R> {
  for (const t of items) yield f(t);
}

function* product<T>(lists: T[][]): Generator<T[]> {
  if (lists.length === 0) {
    yield [];
    return;
  }
  const [head, ...rest] = lists;
  for (const h of head!) for (const tail of product(rest)) yield [h, ...tail];
}

/**
 * Every fixed-but-unknown choice gives one run: the worst over what varies. The verdict is pass when every
 * choice connects, fail when none does, undetermined otherwise (or when a run leaves the world).
 */
export function oracle(spec: WorldSpec, instanceIndex: number, service: Service): OracleResult {
  const instance = spec.instances[instanceIndex]!;
  const subnet = spec.subnets[instance.subnet]!;
  const ips =
    instance.ipOffset === null
      ? USABLE_OFFSETS.map((o) => hostAddress(instance.subnet, o))
      : [hostAddress(instance.subnet, instance.ipOffset)];
  const usesPrefixList = spec.groups.some((g) => [...g.egress, ...g.ingress].some((r) => "prefixList" in r.peer));
  const prefixListChoices = usesPrefixList ? [false, true] : [false];
  const resolution = resolveName(spec, service);
  const seen = new Map<Outcome, Run>();
  const record = (r: Run) => {
    if (!seen.has(r.outcome)) seen.set(r.outcome, r);
  };
  for (const os of instance.os === null ? (["linux", "windows"] as const) : [instance.os]) {
    const EPHEMERAL_SAMPLE = EPHEMERAL_SAMPLES[os];
    for (const ip of ips) {
      for (const prefixListFull of prefixListChoices) {
        const c: Client = { instance, ip, acl: subnet.acl, routeTable: subnet.routeTable, prefixListFull };
        switch (resolution.kind) {
          case "none":
            record({ outcome: "bad", why: "enableDnsSupport is off: the name does not resolve" });
            break;
          case "endpoint": {
            // Per interface: the runs its unknown address may give; across interfaces every choice combines.
            const e = resolution.endpoint;
            const perInterface = e.subnets.map((s) => {
              const addresses = e.eniOffset === null ? USABLE_OFFSETS.map((o) => hostAddress(s, o)) : [hostAddress(s, e.eniOffset)];
              return addresses.map((eni) => worstOf(lazily(EPHEMERAL_SAMPLE, (eph) => viaEndpoint(spec, c, e, s, eni, eph))));
            });
            const distinct = perInterface.map((runs) => [...new Map(runs.map((r) => [r.outcome, r])).values()]);
            for (const combination of product(distinct)) record(worstOf(combination));
            break;
          }
          case "public":
            for (const address of SERVICE_ADDRESSES) {
              const runs = function* () {
                for (const eph of EPHEMERAL_SAMPLE)
                  for (const natPort of NAT_PORT_SAMPLE) yield viaInternet(spec, c, address, eph, natPort);
              };
              record(worstOf(runs()));
            }
            break;
          case "hub":
            for (const address of HUB_ADDRESSES) record(worstOf(lazily(EPHEMERAL_SAMPLE, (eph) => viaHub(spec, c, address, eph))));
            break;
        }
      }
    }
  }
  const runs = [...seen.values()];
  const verdict: OracleVerdict = seen.size === 1 && seen.has("ok") ? "pass" : seen.size === 1 && seen.has("bad") ? "fail" : "undetermined";
  return { verdict, runs };
}

// ------------------------------------------------------------------ a readable world

function describeSgRule(r: SgRuleSpec, direction: "egress" | "ingress"): string {
  const what = r.protocol === "all" ? "all" : `${r.protocol} ${r.ports[0] === r.ports[1] ? r.ports[0] : `${r.ports[0]}-${r.ports[1]}`}`;
  const peer = "cidr" in r.peer ? r.peer.cidr : "group" in r.peer ? keys.group(r.peer.group) : r.peer.prefixList;
  return `${what} ${direction === "egress" ? "to" : "from"} ${peer}`;
}

function describeAclEntry(e: AclEntrySpec): string {
  const ports = e.ports ? ` ${e.ports[0] === e.ports[1] ? e.ports[0] : `${e.ports[0]}-${e.ports[1]}`}` : "";
  return `${e.n} ${e.action} ${e.protocol}${ports} ${e.egress ? "to" : "from"} ${e.cidr}`;
}

/** The world as a few lines a person can read and rebuild. */
export function describeWorld(spec: WorldSpec): string {
  const lines: string[] = [];
  lines.push(
    `vpc ${VPC_CIDR} enableDnsSupport=${spec.dnsSupport} enableDnsHostnames=${spec.dnsHostnames}${spec.amazonDhcpOptions ? " dhcp=AmazonProvidedDNS" : ""}`,
  );
  lines.push(
    ...spec.subnets.map(
      (s, i) =>
        `${keys.subnet(i)} ${subnetCidr(i)} routes=${keys.routeTable(s.routeTable)} acl=${keys.acl(s.acl)} mapPublicIp=${s.mapPublicIp}`,
    ),
  );
  lines.push(
    ...spec.routeTables.map(
      (t, i) => `${keys.routeTable(i)}: local ${VPC_CIDR}${t.routes.map((r) => `; ${r.dest} -> ${r.target}`).join("")}`,
    ),
  );
  spec.acls.forEach((a, i) => {
    const side = (egress: boolean) =>
      a.entries
        .filter((e) => e.egress === egress)
        .sort((x, y) => x.n - y.n)
        .map(describeAclEntry)
        .join(", ") || "-";
    lines.push(`${keys.acl(i)}: in [${side(false)}] out [${side(true)}]`);
  });
  lines.push(
    ...spec.groups.map(
      (g, i) =>
        `${keys.group(i)}: egress [${g.egress.map((r) => describeSgRule(r, "egress")).join(", ")}] ingress [${g.ingress.map((r) => describeSgRule(r, "ingress")).join(", ")}]`,
    ),
  );
  lines.push(
    `igw ${spec.igwAttached ? "attached" : "detached"}${spec.nat ? `; nat (${spec.nat.connectivity}) in ${keys.subnet(spec.nat.subnet)}` : "; no nat"}`,
  );
  lines.push(
    ...spec.endpoints.map(
      (e, i) =>
        `${keys.endpoint(i)}: com.amazonaws.${e.region}.${e.service} ${e.type} privateDns=${e.privateDns} subnets=[${e.subnets.map(keys.subnet).join(", ")}] groups=[${(e.groups.length > 0 ? e.groups : [0]).map(keys.group).join(", ")}${e.groups.length === 0 ? " (default)" : ""}] eni=${e.eniOffset === null ? "?" : e.subnets.map((s) => formatIp(hostAddress(s, e.eniOffset!))).join(", ")}`,
    ),
  );
  lines.push(
    ...spec.instances.map(
      (s, i) =>
        `${keys.instance(i)}: ${keys.subnet(s.subnet)} ip=${s.ipOffset === null ? "?" : formatIp(hostAddress(s.subnet, s.ipOffset))} groups=[${s.groups.map(keys.group).join(", ")}] publicIp=${s.publicIp ?? "subnet"} os=${s.os ?? "?"}`,
    ),
  );
  if (spec.hostedZones.length > 0)
    lines.push(`private hosted zones: ${spec.hostedZones.map((s) => `${s}.${REGION}.amazonaws.com`).join(", ")}`);
  return lines.join("\n");
}

export function describeRuns(result: OracleResult): string {
  return result.runs.map((r) => `${r.outcome}: ${r.why}`).join("; ");
}

// ------------------------------------------------------------------ taking knowledge away

const HIDDEN = unknown("computed", "blurred by the property test");

/**
 * Every attribute the path analysis reads, as a way to make it unknown in a built world (one function per
 * attribute). The world a spec describes stays one completion of the blurred world, so any verdict the
 * analysis still gives must be the reference's.
 */
export interface Blurring {
  /** "rtb-1 route 0 target", for the counterexample. */
  what: string;
  apply: (w: World) => void;
}

export function blurrings(world: World): Blurring[] {
  const out: Blurring[] = [];
  const set = <T extends object>(pick: (w: World) => Map<string, T>, key: string, what: string, change: (t: T) => T) =>
    out.push({
      what: `${key} ${what}`,
      apply: (w) => {
        const map = pick(w);
        const element = map.get(key);
        if (element) map.set(key, change(element));
      },
    });
  for (const key of world.vpcs.keys()) {
    for (const field of ["enableDnsSupport", "enableDnsHostnames"] as const)
      set(
        (w) => w.vpcs,
        key,
        field,
        (v) => ({ ...v, [field]: HIDDEN }),
      );
  }
  for (const key of world.subnets.keys()) {
    for (const field of ["cidrBlock", "routeTable", "networkAcl", "mapPublicIpOnLaunch"] as const)
      set(
        (w) => w.subnets,
        key,
        field,
        (s) => ({ ...s, [field]: HIDDEN }),
      );
  }
  for (const [key, table] of world.routeTables) {
    set(
      (w) => w.routeTables,
      key,
      "routesComplete=false",
      (t) => ({ ...t, routesComplete: false }),
    );
    table.routes.forEach((_, i) => {
      for (const field of ["destination", "target"] as const)
        set(
          (w) => w.routeTables,
          key,
          `route ${i} ${field}`,
          (t) => ({
            ...t,
            routes: t.routes.map((r, j) => (j === i ? { ...r, [field]: HIDDEN } : r)),
          }),
        );
    });
  }
  for (const [key, acl] of world.networkAcls) {
    set(
      (w) => w.networkAcls,
      key,
      "entriesComplete=false",
      (a) => ({ ...a, entriesComplete: false }),
    );
    acl.entries.forEach((_, i) => {
      for (const field of ["ruleNumber", "action", "cidr", "portRange", "protocol"] as const)
        set(
          (w) => w.networkAcls,
          key,
          `entry ${i} ${field}`,
          (a) => ({
            ...a,
            entries: a.entries.map((e, j) => (j === i ? { ...e, [field]: HIDDEN } : e)),
          }),
        );
    });
  }
  for (const [key, group] of world.securityGroups) {
    set(
      (w) => w.securityGroups,
      key,
      "rulesComplete",
      (g) => ({ ...g, rulesComplete: HIDDEN }),
    );
    for (const direction of ["egress", "ingress"] as const) {
      group[direction].forEach((_, i) => {
        for (const field of ["protocol", "fromPort", "toPort", "peer"] as const)
          set(
            (w) => w.securityGroups,
            key,
            `${direction} ${i} ${field}`,
            (g) => ({
              ...g,
              [direction]: g[direction].map((r, j) => (j === i ? { ...r, [field]: HIDDEN } : r)),
            }),
          );
      });
    }
  }
  for (const key of world.natGateways.keys()) {
    for (const field of ["subnet", "connectivity"] as const)
      set(
        (w) => w.natGateways,
        key,
        field,
        (n) => ({ ...n, [field]: HIDDEN }),
      );
  }
  for (const key of world.internetGateways.keys())
    set(
      (w) => w.internetGateways,
      key,
      "vpc",
      (g) => ({ ...g, vpc: HIDDEN }),
    );
  for (const key of world.vpcEndpoints.keys()) {
    for (const field of ["serviceName", "endpointType", "privateDnsEnabled", "subnets", "securityGroups", "vpc"] as const)
      set(
        (w) => w.vpcEndpoints,
        key,
        field,
        (e) => ({ ...e, [field]: HIDDEN }),
      );
  }
  for (const key of world.instances.keys()) {
    for (const field of ["subnets", "securityGroups", "associatePublicIp"] as const)
      set(
        (w) => w.instances,
        key,
        field,
        (i) => ({ ...i, [field]: HIDDEN }),
      );
    set(
      (w) => w.instances,
      key,
      "privateIp",
      (i) => {
        const { privateIp: _, ...rest } = i;
        return rest;
      },
    );
  }
  return out;
}
