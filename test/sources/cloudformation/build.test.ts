import { describe, expect, it } from "vitest";
import { analyzeWorld } from "../../../src/analysis/world-analysis.js";
import { LATEST_KNOWN_AGENT_VERSION } from "../../../src/model/index.js";
import { load, v } from "./helpers.js";

describe("suppressions, notes and world-level values", () => {
  it("reads Metadata ssm-doctor ignore entries", () => {
    const world = load(`
      Resources:
        Sg:
          Type: AWS::EC2::SecurityGroup
          Metadata:
            ssm-doctor:
              ignore:
                - id: SD301
                  reason: egress is handled by a proxy
          Properties: {GroupDescription: x}
    `);
    expect(world.securityGroups.get("Sg")!.suppressions).toEqual([
      {
        ruleId: "SD301",
        reason: "egress is handled by a proxy",
        origin: expect.objectContaining({ pointer: "/Resources/Sg/Metadata/ssm-doctor/ignore/0" }),
      },
    ]);
  });

  it("notes the SAM transform and ignores AWS::Serverless resources", () => {
    const world = load(`
      Transform: AWS::Serverless-2016-10-31
      Resources:
        Fn:
          Type: AWS::Serverless::Function
          Properties: {Handler: index.handler}
    `);
    expect(world.notes).toEqual([expect.objectContaining({ level: "warning", code: "sam-transform" })]);
    expect(world.notes[0]!.message).toContain("does not expand");
  });

  it("notes Rain modules and directives without failing", () => {
    const world = load(`
      Resources:
        Network:
          Type: !Rain::Module ./vpc.yaml
        Instance:
          Type: AWS::EC2::Instance
          Properties:
            ImageId: ami-12345678
            UserData:
              Fn::Base64:
                Fn::Sub: !Rain::Embed setup.sh
    `);
    expect(world.notes.map((n) => n.code)).toEqual(["rain-module", "rain-module"]);
    expect(world.instances.get("Instance")!.userData).toMatchObject({ kind: "unknown", reason: { code: "unsupported" } });
  });

  it("region is the option, else unknown; DHMC is unknown outside unless the caller says", () => {
    const text = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n";
    expect(load(text).assumptions.region).toMatchObject({ kind: "unknown", reason: { code: "parameter", decide: "pass --region" } });
    expect(v(load(text, { region: "eu-west-1" }).assumptions.region)).toBe("eu-west-1");
    expect(load(text).assumptions.dhmc).toMatchObject({ kind: "unknown", reason: { code: "outside" } });
    expect(v(load(text, { dhmc: { kind: "known", value: { enabled: true }, provenance: "explicit" } }).assumptions.dhmc)).toEqual({
      enabled: true,
    });
  });

  it("the agent version is the stated one, else the latest known as a default; the analysis assumes it", () => {
    const text = "Resources:\n  Box:\n    Type: AWS::EC2::Instance\n    Properties:\n      ImageId: ami-0abc\n";
    expect(load(text).assumptions.agentVersion).toEqual({ kind: "known", value: LATEST_KNOWN_AGENT_VERSION, provenance: "default" });
    const stated = load(text, { agentVersion: "3.2.582.0" });
    expect(stated.assumptions.agentVersion).toEqual({ kind: "known", value: "3.2.582.0", provenance: "explicit" });
    expect(analyzeWorld(stated).instances[0]?.agentVersion).toEqual({ version: "3.2.582.0", assumed: true });
    expect(analyzeWorld(stated).instances[0]?.requirements.map((r) => r.service)).toContain("ec2messages");
  });
});
