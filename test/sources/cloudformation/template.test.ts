import { describe, expect, it } from "vitest";
import { load } from "./helpers.js";

describe("resource conditions", () => {
  const text = `
    Parameters:
      Env: {Type: String, Default: prod}
      Maybe: {Type: String}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
      IsDev: !Equals [!Ref Env, dev]
      Unknowable: !Equals [!Ref Maybe, "yes"]
    Resources:
      ProdVpc:
        Type: AWS::EC2::VPC
        Condition: IsProd
        Properties: {CidrBlock: 10.0.0.0/16}
      DevVpc:
        Type: AWS::EC2::VPC
        Condition: IsDev
        Properties: {CidrBlock: 10.1.0.0/16}
      MaybeVpc:
        Type: AWS::EC2::VPC
        Condition: Unknowable
        Properties: {CidrBlock: 10.2.0.0/16}
      DevSubnet:
        Type: AWS::EC2::Subnet
        Properties: {VpcId: !Ref DevVpc, CidrBlock: 10.1.0.0/24}
  `;

  it("drops resources whose condition is false and marks those it cannot decide", () => {
    const world = load(text);
    expect([...world.vpcs.keys()]).toEqual(["ProdVpc", "MaybeVpc"]);
    expect(world.vpcs.get("ProdVpc")!.conditional).toBeUndefined();
    const maybe = world.vpcs.get("MaybeVpc")!;
    expect(maybe.conditional).toMatchObject({ code: "condition", decide: "pass --parameters Maybe=…" });
    expect(world.securityGroups.get("MaybeVpc#default-sg")!.conditional).toEqual(maybe.conditional);
    expect(world.subnets.get("DevSubnet")!.vpc).toMatchObject({ kind: "unknown", reason: { code: "condition" } });
  });

  it("follows --parameters", () => {
    const world = load(text, { parameters: { Env: "dev", Maybe: "no" } });
    expect([...world.vpcs.keys()]).toEqual(["DevVpc"]);
  });
});
