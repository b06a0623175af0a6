import { describe, expect, it } from "vitest";
import { load, NETWORK_TEMPLATE, v } from "./helpers.js";

describe("VPCs and their synthesized defaults", () => {
  const world = load(NETWORK_TEMPLATE);

  it("reads the VPC with documented defaults", () => {
    const vpc = world.vpcs.get("Vpc")!;
    expect(v(vpc.cidrBlocks)).toEqual(["10.0.0.0/16"]);
    expect(vpc.enableDnsSupport).toEqual({ kind: "known", value: true, provenance: "default" });
    expect(vpc.enableDnsHostnames).toEqual({ kind: "known", value: false, provenance: "default" });
    expect(vpc.dhcpOptions).toEqual({ kind: "known", value: null, provenance: "default" });
    expect([vpc.defaultSecurityGroup, vpc.mainRouteTable, vpc.defaultNetworkAcl]).toEqual([
      "Vpc#default-sg",
      "Vpc#main-rtb",
      "Vpc#default-acl",
    ]);
  });

  it("synthesizes the default security group, main route table and default ACL", () => {
    const vpc = world.vpcs.get("Vpc")!;
    const sg = world.securityGroups.get("Vpc#default-sg")!;
    expect(sg).toMatchObject({ isDefault: true, name: "default security group of Vpc", egressManagement: { mode: "aws-default" } });
    expect(sg.origin).toEqual(vpc.origin);
    expect(v(sg.rulesComplete)).toBe(true);
    expect(v(sg.ingress[0]!.peer)).toEqual({
      kind: "security-group",
      group: { kind: "known", value: "Vpc#default-sg", provenance: "default" },
    });
    expect(v(sg.ingress[0]!.protocol)).toBe("all");
    expect(v(sg.egress[0]!.peer)).toEqual({ kind: "cidr", cidr: "0.0.0.0/0" });
    expect(world.routeTables.get("Vpc#main-rtb")).toMatchObject({ isMain: true, routes: [], routesComplete: true });
    const acl = world.networkAcls.get("Vpc#default-acl")!;
    expect(acl).toMatchObject({ isDefault: true, entriesComplete: true });
    expect(acl.entries.map((e) => [v(e.ruleNumber), e.egress, v(e.protocol), v(e.action), v(e.cidr).cidr])).toEqual([
      [100, false, "all", "allow", "0.0.0.0/0"],
      [100, true, "all", "allow", "0.0.0.0/0"],
    ]);
  });

  it("adds CIDRs from AWS::EC2::VPCCidrBlock and reads DHCP options", () => {
    const w = load(`
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: true, EnableDnsSupport: "false"}
        Extra:
          Type: AWS::EC2::VPCCidrBlock
          Properties: {VpcId: !Ref Vpc, CidrBlock: 100.64.0.0/16}
        Ipv6:
          Type: AWS::EC2::VPCCidrBlock
          Properties: {VpcId: !Ref Vpc, AmazonProvidedIpv6CidrBlock: true}
        Dhcp:
          Type: AWS::EC2::DHCPOptions
          Properties: {DomainNameServers: [10.0.0.2, 10.0.0.3]}
        DefaultDhcp:
          Type: AWS::EC2::DHCPOptions
          Properties: {DomainName: corp.example}
        DhcpAssoc:
          Type: AWS::EC2::VPCDHCPOptionsAssociation
          Properties: {VpcId: !Ref Vpc, DhcpOptionsId: !Ref Dhcp}
    `);
    const vpc = w.vpcs.get("Vpc")!;
    expect(v(vpc.cidrBlocks)).toEqual(["10.0.0.0/16", "100.64.0.0/16"]);
    expect(vpc.enableDnsHostnames).toMatchObject({ value: true, provenance: "explicit" });
    expect(v(vpc.enableDnsSupport)).toBe(false);
    const yaml11 = load(
      "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16, EnableDnsHostnames: yes, EnableDnsSupport: Off}\n",
    );
    expect([v(yaml11.vpcs.get("Vpc")!.enableDnsHostnames), v(yaml11.vpcs.get("Vpc")!.enableDnsSupport)]).toEqual([true, false]);
    expect(v(vpc.dhcpOptions)).toBe("Dhcp");
    expect(v(w.dhcpOptions.get("Dhcp")!.domainNameServers)).toEqual(["10.0.0.2", "10.0.0.3"]);
    expect(w.dhcpOptions.get("DefaultDhcp")!.domainNameServers).toEqual({
      kind: "known",
      value: ["AmazonProvidedDNS"],
      provenance: "default",
    });
  });
});
