/**
 * A fix names the elements it is about (FindingDraft.references): for an Auto Scaling group placed in several
 * subnets, the subnet of the paths the finding is about, not whichever subnet the group lists first.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const BASE = join(import.meta.dirname, "../../fixtures/cloudformation/no-path-to-service/bad-igw-only-on-public-subnet.yaml");

describe("SD201's fix for an Auto Scaling group in a public and a private subnet", () => {
  // The fixture's instance made an Auto Scaling group in both subnets, the public one listed first: from the public
  // subnet the agent reaches the services through the internet gateway; from the private one it cannot.
  const text = readFileSync(BASE, "utf8").replace(
    / {2}rEc2Instance:\n {4}Type: AWS::EC2::Instance\n {4}Properties:\n[\s\S]*$/,
    `  rLaunchTemplate:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        ImageId: !Ref pLatestAmiId
        InstanceType: t3.micro
        IamInstanceProfile:
          Arn: !GetAtt rEc2InstanceProfile.Arn
        SecurityGroupIds:
          - !Ref rSecurityGroupEc2Instance
  rGroup:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      VPCZoneIdentifier:
        - !Ref rPublicSubnet
        - !Ref rPrivateSubnet
      LaunchTemplate:
        LaunchTemplateId: !Ref rLaunchTemplate
        Version: !GetAtt rLaunchTemplate.LatestVersionNumber
`,
  );

  it("puts the endpoint in the private subnet, whose paths have no way out", () => {
    expect(text).toContain("VPCZoneIdentifier");
    const result = lintText("asg.yaml", text);
    const finding = result.findings.find((f) => f.ruleId === "SD201" && f.verdict === "fail");
    expect(finding?.subject.key).toBe("rPrivateRouteTable");
    expect(finding?.references.subnet).toEqual({ key: "rPrivateSubnet", name: "rPrivateSubnet" });
  });
});
