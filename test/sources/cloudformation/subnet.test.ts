import { describe, expect, it } from "vitest";
import { load, NETWORK_TEMPLATE, v } from "./helpers.js";

describe("subnets", () => {
  const world = load(NETWORK_TEMPLATE);

  it("reads explicit values and associations", () => {
    const pub = world.subnets.get("Public")!;
    expect(v(pub.vpc)).toBe("Vpc");
    expect(v(pub.mapPublicIpOnLaunch)).toBe(true);
    expect(pub.availabilityZone).toMatchObject({ kind: "unknown", reason: { code: "computed" } });
    expect(pub.routeTable).toMatchObject({ kind: "known", value: "PublicRt", provenance: "explicit" });
    expect(pub.networkAcl).toEqual({ kind: "known", value: "Vpc#default-acl", provenance: "default" });
    const priv = world.subnets.get("Private")!;
    expect(v(priv.cidrBlock)).toBe("10.0.1.0/24");
    expect(v(priv.availabilityZone)).toBe("eu-west-1b");
    expect(priv.mapPublicIpOnLaunch).toEqual({ kind: "known", value: false, provenance: "default" });
    expect(v(priv.networkAcl)).toBe("Acl");
  });

  it("falls back to the VPC's main table, and to unknown outside when the VPC is a parameter", () => {
    const w = load(`
      Parameters:
        ExistingVpc: {Type: "AWS::EC2::VPC::Id"}
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16}
        Inside:
          Type: AWS::EC2::Subnet
          Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
        Outside:
          Type: AWS::EC2::Subnet
          Properties: {VpcId: !Ref ExistingVpc, CidrBlock: 10.9.0.0/24}
    `);
    expect(w.subnets.get("Inside")!.routeTable).toEqual({ kind: "known", value: "Vpc#main-rtb", provenance: "default" });
    const outside = w.subnets.get("Outside")!;
    expect(outside.vpc).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "VpcId is the parameter ExistingVpc: an existing VPC, not in this template" },
    });
    expect(outside.routeTable).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(outside.networkAcl).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(load(NETWORK_TEMPLATE, { parameters: { ExistingVpc: "vpc-0abc" } }).subnets.get("Outside")!.vpc).toMatchObject({
      kind: "unknown",
      reason: { code: "outside", message: "VpcId is vpc-0abc, a VPC that is not in this template" },
    });
  });
});
