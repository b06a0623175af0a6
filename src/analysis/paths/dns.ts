/**
 * DNS hops: the VPC resolver (enableDnsSupport), an interface endpoint's private DNS (enableDnsHostnames,
 * private DNS on the endpoint), and DHCP options that hand out DNS servers of their own.
 */
import {
  type DhcpOptions,
  isKnown,
  type Known,
  knownValue,
  type Ref,
  type UnknownReason,
  type Value,
  type Vpc,
  type VpcEndpoint,
  type World,
} from "../../model/index.js";
import { firstAddress, parseIpv4, parseIpv4Cidr } from "../cidr.js";
import { type Check, type Evidence, fail, pass, undecided } from "../verdict.js";
import { type Hop, type HopId, hop } from "./hops.js";

/** Does `<svc>.<region>.amazonaws.com` resolve to this interface endpoint from inside the VPC? */
export function endpointDnsHops(world: World, vpc: Vpc, endpoint: VpcEndpoint): Hop[] {
  const hostnames = vpc.enableDnsHostnames;
  const privateDns = endpoint.privateDnsEnabled;
  const hops: Hop[] = [
    vpcDnsSupportHop(vpc),
    requiredSettingHop("vpc-dns-hostnames", hostnames, vpc.key, (off) => ({
      code: "vpc-attribute-false",
      args: { vpc: vpc.name, attribute: "enableDnsHostnames", defaulted: off.provenance === "default" },
      origin: off.origin ?? vpc.origin,
    })),
    ipv6OnlyRecords(endpoint) ??
      requiredSettingHop("endpoint-private-dns", privateDns, endpoint.key, (off) => ({
        code: "endpoint-private-dns-off",
        args: { endpoint: endpoint.name, defaulted: off.provenance === "default" },
        origin: off.origin ?? endpoint.origin,
      })),
  ];
  const custom = customDnsServers(world, vpc);
  if (custom) hops.push(hop("custom-dns", custom, knownValue(vpc.dhcpOptions) ?? vpc.key));
  return hops;
}

/**
 * An endpoint whose private DNS publishes AAAA records only (DnsRecordIpType ipv6): the name answers an IPv4 lookup
 * with no address, so the agent reaches it over IPv6 or not at all. ssm-doctor follows the IPv4 way: not known.
 */
function ipv6OnlyRecords(endpoint: VpcEndpoint): Hop | undefined {
  const type = endpoint.dnsRecordIpType;
  if (!type || !isKnown(endpoint.privateDnsEnabled) || !endpoint.privateDnsEnabled.value) return undefined;
  if (isKnown(type) && type.value !== "ipv6") return undefined;
  const reason: UnknownReason = isKnown(type)
    ? {
        code: "unsupported",
        message: `${endpoint.name} publishes its private DNS name with IPv6 (AAAA) records only, and ssm-doctor checks the IPv4 way`,
        decide: "set DnsRecordIpType to ipv4 or dualstack, or make sure the instance has an IPv6 address and rules that allow it",
      }
    : type.reason;
  return hop("endpoint-private-dns", undecided([reason]), endpoint.key);
}

/** A setting that must be on: passes when it is, fails with the evidence `off` gives when it is not, unknown when not known. */
function requiredSettingHop(id: HopId, setting: Value<boolean>, subject: Ref, off: (setting: Known<boolean>) => Evidence): Hop {
  if (!isKnown(setting)) return hop(id, undecided([setting.reason]), subject);
  return hop(id, setting.value ? pass() : fail([off(setting)]), subject);
}

/** A DHCP option set without AmazonProvidedDNS: the resolver must forward amazonaws.com; we cannot see it. */
export function customDnsServers(world: World, vpc: Vpc): Check | undefined {
  const servers = resolverServers(world, vpc);
  if (servers.kind === "amazon") return undefined;
  if (servers.kind === "unknown") return undecided([servers.reason]);
  const list = servers.servers.join(", ");
  return undecided(
    [
      {
        code: "outside",
        message: `the VPC uses the DNS servers ${list}, which must forward amazonaws.com to the VPC resolver`,
        decide: "check the conditional forwarder on those DNS servers",
      },
    ],
    [{ code: "custom-dns-servers", args: { options: servers.options.name, servers: servers.servers }, origin: servers.options.origin }],
  );
}

/**
 * The VPC resolver answers only with enableDnsSupport on; when the DHCP options hand out the Amazon-provided
 * DNS (the default option set, or one that lists AmazonProvidedDNS) nothing resolves without it, whichever way
 * the traffic goes. DNS servers of the VPC's own resolve public names themselves (SD403 warns about them).
 */
export function resolverHop(world: World, vpc: Vpc): Hop | undefined {
  const support = vpc.enableDnsSupport;
  if (isKnown(support) && support.value) return undefined;
  const servers = resolverServers(world, vpc);
  if (servers.kind === "custom") return undefined;
  if (!isKnown(support)) return hop("vpc-dns-support", undecided([support.reason]), vpc.key);
  if (servers.kind === "unknown")
    return hop(
      "vpc-dns-support",
      undecided(
        [
          {
            code: servers.reason.code,
            message: `${vpc.name} has enableDnsSupport false, and whether its DHCP options name DNS servers of their own is not known (${servers.reason.message})`,
            ...(servers.reason.decide ? { decide: servers.reason.decide } : {}),
          },
        ],
        [{ code: "vpc-attribute-false", args: { vpc: vpc.name, attribute: "enableDnsSupport" }, origin: support.origin ?? vpc.origin }],
      ),
      vpc.key,
    );
  return vpcDnsSupportHop(vpc);
}

/** Whether the VPC's instances ask the Amazon-provided DNS (the VPC resolver) or servers of their own. */
function resolverServers(
  world: World,
  vpc: Vpc,
): { kind: "amazon" } | { kind: "custom"; options: DhcpOptions; servers: string[] } | { kind: "unknown"; reason: UnknownReason } {
  const ref = vpc.dhcpOptions;
  if (!isKnown(ref)) return { kind: "unknown", reason: ref.reason };
  if (ref.value === null) return { kind: "amazon" };
  const options = world.dhcpOptions.get(ref.value);
  if (!options) return { kind: "unknown", reason: { code: "outside", message: `DHCP options ${ref.value} are not defined in this input` } };
  const servers = options.domainNameServers;
  if (!isKnown(servers)) return { kind: "unknown", reason: servers.reason };
  // The instance asks the servers in the order listed, and the next only when one does not answer: the first decides
  // (a custom server first answers amazonaws.com its own way, whether the VPC resolver follows it or not).
  const first = servers.value[0];
  if (first !== undefined && isAmazonResolver(first, vpc)) return { kind: "amazon" };
  return { kind: "custom", options, servers: servers.value };
}

/** The Route 53 Resolver's link-local addresses, which every VPC's instances can ask. */
const RESOLVER_LINK_LOCAL = new Set(["169.254.169.253", "fd00:ec2::253"]);

/**
 * Whether a DHCP option set's DNS server is the Amazon-provided one: by name, by its link-local address, or as the
 * address at the base of the VPC's primary IPv4 range plus two (10.0.0.2 in 10.0.0.0/16).
 */
function isAmazonResolver(server: string, vpc: Vpc): boolean {
  const s = server.trim().toLowerCase();
  if (s === "amazonprovideddns" || RESOLVER_LINK_LOCAL.has(s)) return true;
  const address = parseIpv4(s);
  const primary = knownValue(vpc.cidrBlocks)?.[0];
  const range = primary === undefined ? undefined : parseIpv4Cidr(primary);
  return address !== undefined && range !== undefined && address === firstAddress(range) + 2;
}

/** The VPC resolver itself, always shown: private hosted zones are answered by it alone. */
export function vpcDnsSupportHop(vpc: Vpc): Hop {
  return requiredSettingHop("vpc-dns-support", vpc.enableDnsSupport, vpc.key, (off) => ({
    code: "vpc-attribute-false",
    args: { vpc: vpc.name, attribute: "enableDnsSupport" },
    origin: off.origin ?? vpc.origin,
  }));
}
