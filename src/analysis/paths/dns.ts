/**
 * DNS hops: the VPC resolver (enableDnsSupport), an interface endpoint's private DNS (enableDnsHostnames,
 * private DNS on the endpoint), and DHCP options that hand out DNS servers of their own.
 */
import { isKnown, knownValue, type UnknownReason, type Vpc, type VpcEndpoint, type World } from "../../model/index.js";
import { type Check, fail, pass, undecided } from "../verdict.js";
import { type Hop, hop } from "./hops.js";

/** Does `<svc>.<region>.amazonaws.com` resolve to this interface endpoint from inside the VPC? */
export function endpointDnsHops(world: World, vpc: Vpc, endpoint: VpcEndpoint): Hop[] {
  const hops: Hop[] = [vpcDnsSupportHop(vpc)];
  const hostnames = vpc.enableDnsHostnames;
  hops.push(
    hop(
      "vpc-dns-hostnames",
      !isKnown(hostnames)
        ? undecided([hostnames.reason])
        : hostnames.value
          ? pass()
          : fail([
              {
                code: "vpc-attribute-false",
                args: { vpc: vpc.name, attribute: "enableDnsHostnames", defaulted: hostnames.provenance === "default" },
                origin: hostnames.origin ?? vpc.origin,
              },
            ]),
      vpc.key,
    ),
  );
  const privateDns = endpoint.privateDnsEnabled;
  hops.push(
    hop(
      "endpoint-private-dns",
      !isKnown(privateDns)
        ? undecided([privateDns.reason])
        : privateDns.value
          ? pass()
          : fail([
              {
                code: "endpoint-private-dns-off",
                args: { endpoint: endpoint.name, defaulted: privateDns.provenance === "default" },
                origin: privateDns.origin ?? endpoint.origin,
              },
            ]),
      endpoint.key,
    ),
  );
  const custom = customDnsServers(world, vpc);
  if (custom) hops.push(hop("custom-dns", custom, knownValue(vpc.dhcpOptions) ?? vpc.key));
  return hops;
}

/** A DHCP option set without AmazonProvidedDNS: the resolver must forward amazonaws.com; we cannot see it. */
export function customDnsServers(world: World, vpc: Vpc): Check | undefined {
  const ref = vpc.dhcpOptions;
  if (!isKnown(ref)) return undecided([ref.reason]);
  if (ref.value === null) return undefined;
  const options = world.dhcpOptions.get(ref.value);
  if (!options) return undecided([{ code: "outside", message: `DHCP options ${ref.value} are not defined in this input` }]);
  const servers = options.domainNameServers;
  if (!isKnown(servers)) return undecided([servers.reason]);
  if (servers.value.some((s) => s.toLowerCase() === "amazonprovideddns")) return undefined;
  return undecided(
    [
      {
        code: "outside",
        message: `the VPC uses the DNS servers ${servers.value.join(", ")}, which must forward amazonaws.com to the VPC resolver`,
        decide: "check the conditional forwarder on those DNS servers",
      },
    ],
    [{ code: "custom-dns-servers", args: { options: options.name, servers: servers.value.join(", ") }, origin: options.origin }],
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
  return hop(
    "vpc-dns-support",
    fail([{ code: "vpc-attribute-false", args: { vpc: vpc.name, attribute: "enableDnsSupport" }, origin: support.origin ?? vpc.origin }]),
    vpc.key,
  );
}

/** Whether the VPC's instances ask the Amazon-provided DNS (the VPC resolver) or servers of their own. */
function resolverServers(world: World, vpc: Vpc): { kind: "amazon" } | { kind: "custom" } | { kind: "unknown"; reason: UnknownReason } {
  const ref = vpc.dhcpOptions;
  if (!isKnown(ref)) return { kind: "unknown", reason: ref.reason };
  if (ref.value === null) return { kind: "amazon" };
  const options = world.dhcpOptions.get(ref.value);
  if (!options) return { kind: "unknown", reason: { code: "outside", message: `DHCP options ${ref.value} are not defined in this input` } };
  const servers = options.domainNameServers;
  if (!isKnown(servers)) return { kind: "unknown", reason: servers.reason };
  return servers.value.some((s) => s.toLowerCase() === "amazonprovideddns") ? { kind: "amazon" } : { kind: "custom" };
}

/** The VPC resolver itself, always shown: private hosted zones are answered by it alone. */
export function vpcDnsSupportHop(vpc: Vpc): Hop {
  const support = vpc.enableDnsSupport;
  return hop(
    "vpc-dns-support",
    !isKnown(support)
      ? undecided([support.reason])
      : support.value
        ? pass()
        : fail([
            { code: "vpc-attribute-false", args: { vpc: vpc.name, attribute: "enableDnsSupport" }, origin: support.origin ?? vpc.origin },
          ]),
    vpc.key,
  );
}
