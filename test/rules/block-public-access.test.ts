/**
 * VPC Block Public Access (VPC User Guide, "Block public access to VPCs and subnets"): block-bidirectional stops all
 * traffic through internet gateways, block-ingress all but NAT gateways'; an exclusion of the subnet whose traffic
 * meets the gateway (or its VPC) lifts it, allow-egress under block-bidirectional only. Before, the setting was not
 * read and both an instance with a public address and one behind a NAT passed under it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";
import { lintPlan } from "../helpers/terraform.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");
const NAT = readFileSync(join(FIXTURES, "cloudformation/no-route-to-internet/good-nat-gateway.yaml"), "utf8");
const PUBLIC = readFileSync(join(FIXTURES, "cloudformation/no-route-to-internet/good-igw-eip.yaml"), "utf8");

const options = (mode: string) => `  rBlockPublicAccess:
    Type: AWS::EC2::VPCBlockPublicAccessOptions
    Properties:
      InternetGatewayBlockMode: ${mode}
`;
const exclusion = (scope: string, mode: string) => `  rExclusion:
    Type: AWS::EC2::VPCBlockPublicAccessExclusion
    Properties:
      ${scope}
      InternetGatewayExclusionMode: ${mode}
`;
const status = (text: string) => lintText("bpa.yaml", text, { region: "us-east-1" }).instances.map((i) => i.status);
const sd207 = (text: string) =>
  lintText("bpa.yaml", text, { region: "us-east-1" })
    .findings.filter((f) => f.ruleId === "SD207")
    .map((f) => [f.messageId, f.verdict, f.subject.key]);

describe("VPC Block Public Access", () => {
  it("off changes nothing; block-bidirectional stops both an instance's own address and a NAT gateway", () => {
    expect(status(PUBLIC + options("off"))).toEqual(["pass"]);
    expect(status(NAT + options("off"))).toEqual(["pass"]);
    for (const base of [PUBLIC, NAT]) {
      expect(status(base + options("block-bidirectional"))).toEqual(["fail"]);
      expect(sd207(base + options("block-bidirectional"))).toEqual([["blockPublicAccess", "fail", "rBlockPublicAccess"]]);
    }
  });

  it("block-ingress stops an instance's own address, not a NAT gateway", () => {
    expect(status(PUBLIC + options("block-ingress"))).toEqual(["fail"]);
    expect(status(NAT + options("block-ingress"))).toEqual(["pass"]);
  });

  it("an exclusion of the subnet or VPC whose traffic meets the gateway lifts the block, as its mode allows", () => {
    const natSubnet = "SubnetId: !Ref rPublicSubnet";
    expect(status(NAT + options("block-bidirectional") + exclusion(natSubnet, "allow-egress"))).toEqual(["pass"]);
    expect(status(NAT + options("block-bidirectional") + exclusion("VpcId: !Ref rVpc", "allow-bidirectional"))).toEqual(["pass"]);
    // The instance's own subnet is not where the NAT gateway's traffic meets the gateway.
    expect(status(NAT + options("block-bidirectional") + exclusion("SubnetId: !Ref rPrivateSubnet", "allow-egress"))).toEqual(["fail"]);
    // allow-egress counts under block-bidirectional only.
    expect(status(PUBLIC + options("block-ingress") + exclusion("VpcId: !Ref rVpc", "allow-egress"))).toEqual(["fail"]);
    expect(status(PUBLIC + options("block-ingress") + exclusion("VpcId: !Ref rVpc", "allow-bidirectional"))).toEqual(["pass"]);
  });

  it("a mode or exclusion the template leaves open is unknown, never a pass", () => {
    const parameter = "Parameters:\n  Mode:\n    Type: String\n";
    expect(status(NAT.replace("Parameters:\n", parameter) + options("!Ref Mode"))).toEqual(["unknown"]);
    const excluded = parameter + "  ExcludedSubnet:\n    Type: AWS::EC2::Subnet::Id\n";
    expect(
      status(
        NAT.replace("Parameters:\n", excluded) +
          options("block-bidirectional") +
          exclusion("SubnetId: !Ref ExcludedSubnet", "allow-egress"),
      ),
    ).toEqual(["unknown"]);
  });

  it("in plans: the setting fails SD207 on its mode line; an allow-egress exclusion of the NAT gateway's subnet passes", () => {
    const dir = join(FIXTURES, "terraform/block-public-access");
    const blocked = lintPlan(join(dir, "plan.json"), { tfRoot: dir });
    expect(blocked.findings.map((f) => [f.ruleId, f.subject.key, f.location.region?.startLine])).toEqual([
      ["SD207", "aws_vpc_block_public_access_options.bpa", 90],
    ]);
    const excluded = lintPlan(join(FIXTURES, "terraform/block-public-access-nat-excluded/plan.json"));
    expect(excluded.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
