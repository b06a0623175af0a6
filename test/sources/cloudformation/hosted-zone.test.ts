import { describe, expect, it } from "vitest";
import { items, load, v } from "./helpers.js";

describe("private hosted zones", () => {
  it("reads private zones only, names lower-cased without the trailing dot", () => {
    const world = load(`
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: {CidrBlock: 10.0.0.0/16}
        Private:
          Type: AWS::Route53::HostedZone
          Properties:
            Name: SSM.us-east-1.AmazonAWS.com.
            VPCs: [{VPCId: !Ref Vpc, VPCRegion: us-east-1}]
        Public:
          Type: AWS::Route53::HostedZone
          Properties: {Name: example.com}
    `);
    expect([...world.hostedZones.keys()]).toEqual(["Private"]);
    const zone = world.hostedZones.get("Private")!;
    expect(v(zone.zoneName)).toBe("ssm.us-east-1.amazonaws.com");
    expect(items(zone.vpcs)).toEqual(["Vpc"]);
  });
});
