/**
 * DHCP options with DNS servers of the VPC's own (src/analysis/paths/dns.ts, customDnsServers): they must
 * forward amazonaws.com to the VPC resolver, which the input cannot show, so the check is unknown, never failed.
 */
import { describe, expect, it } from "vitest";
import { customDnsServers } from "../../../src/analysis/paths.js";
import { undecided } from "../../../src/analysis/verdict.js";
import { known, unknown, type Value, type World } from "../../../src/model/index.js";
import { origin } from "../helpers.js";
import { smallWorld, update } from "./small-world.js";

function withOptions(servers: Value<string[]> | undefined): World {
  const world = smallWorld();
  update(world.vpcs, "vpc", { dhcpOptions: known("dopt") });
  if (servers) world.dhcpOptions.set("dopt", { key: "dopt", name: "dopt", origin: origin("dopt"), domainNameServers: servers });
  return world;
}

const check = (world: World) => customDnsServers(world, world.vpcs.get("vpc")!);

describe("customDnsServers", () => {
  it("has nothing to say about the default option set, nor about options that list AmazonProvidedDNS (any case)", () => {
    expect(check(smallWorld())).toBeUndefined();
    expect(check(withOptions(known(["10.0.0.2", "amazonprovideddns"])))).toBeUndefined();
  });

  it("is unknown for DNS servers of the VPC's own, naming them and how to decide", () => {
    expect(check(withOptions(known(["10.0.0.10", "10.0.0.11"])))).toEqual(
      undecided(
        [
          {
            code: "outside",
            message: "the VPC uses the DNS servers 10.0.0.10, 10.0.0.11, which must forward amazonaws.com to the VPC resolver",
            decide: "check the conditional forwarder on those DNS servers",
          },
        ],
        [{ code: "custom-dns-servers", args: { options: "dopt", servers: ["10.0.0.10", "10.0.0.11"] }, origin: origin("dopt") }],
      ),
    );
  });

  it("takes the Amazon-provided DNS by its addresses too: the link-local ones, and the VPC range's base plus two", () => {
    for (const server of ["169.254.169.253", "fd00:ec2::253", "10.0.0.2"]) expect(check(withOptions(known([server])))).toBeUndefined();
    // The base of another range plus two, or the base plus three, is a server of the VPC's own.
    for (const server of ["10.1.0.2", "10.0.0.3"]) expect(check(withOptions(known([server])))?.verdict).toBe("unknown");
  });

  it("is unknown when the options, their servers, or which options the VPC uses are not known", () => {
    expect(check(withOptions(undefined))).toEqual(
      undecided([{ code: "outside", message: "DHCP options dopt are not defined in this input" }]),
    );
    const servers = unknown("computed", "servers later");
    expect(check(withOptions(servers))).toEqual(undecided([servers.reason]));
    const world = smallWorld();
    const options = unknown("parameter", "DhcpOptionsId is a parameter");
    update(world.vpcs, "vpc", { dhcpOptions: options });
    expect(check(world)).toEqual(undecided([options.reason]));
  });
});
