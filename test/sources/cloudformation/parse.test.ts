import { describe, expect, it } from "vitest";
import { loadCloudFormation } from "../../../src/sources/cloudformation/index.js";
import { parseTemplate } from "../../../src/sources/cloudformation/parse.js";
import { INTRINSIC_TAGS } from "../../../src/sources/cloudformation/parse-yaml.js";
import { dedent, FILE, inputError, load, template } from "./helpers.js";

const longForm = (tag: string) => (tag === "Ref" || tag === "Condition" ? tag : `Fn::${tag}`);

function properties(yaml: string) {
  const parsed = parseTemplate(FILE, dedent(yaml));
  // biome-ignore lint/suspicious/noExplicitAny: test access to the parsed tree
  return (parsed.root.Resources as any).R.Properties;
}

describe("short-form tags", () => {
  it.each(INTRINSIC_TAGS)("!%s in scalar, flow and block sequence, flow and block mapping forms", (tag) => {
    const props = properties(`
      Resources:
        R:
          Type: AWS::Test::Thing
          Properties:
            Scalar: !${tag} Some.Value
            FlowSeq: !${tag} [a, b]
            BlockSeq: !${tag}
              - a
              - b
            FlowMap: !${tag} {k: v}
            BlockMap: !${tag}
              k: v
    `);
    const key = longForm(tag);
    expect(props.Scalar).toEqual({ [key]: "Some.Value" });
    expect(props.FlowSeq).toEqual({ [key]: ["a", "b"] });
    expect(props.BlockSeq).toEqual({ [key]: ["a", "b"] });
    expect(props.FlowMap).toEqual({ [key]: { k: "v" } });
    expect(props.BlockMap).toEqual({ [key]: { k: "v" } });
  });

  it("nests tags and keeps tagged scalars as text", () => {
    const props = properties(`
      Resources:
        R:
          Type: AWS::Test::Thing
          Properties:
            A: !Join ["", [!Ref "AWS::Region", !GetAtt Vpc.CidrBlock, !Sub "x-\${AWS::StackName}"]]
            B: !GetAZs ''
            C: !Ref 123
            D: !If [Cond, !Ref AWS::NoValue, !Select [0, !Split [",", "a,b"]]]
    `);
    expect(props.A).toEqual({
      "Fn::Join": ["", [{ Ref: "AWS::Region" }, { "Fn::GetAtt": "Vpc.CidrBlock" }, { "Fn::Sub": "x-${AWS::StackName}" }]],
    });
    expect(props.B).toEqual({ "Fn::GetAZs": "" });
    expect(props.C).toEqual({ Ref: "123" });
    expect(props.D).toEqual({ "Fn::If": ["Cond", { Ref: "AWS::NoValue" }, { "Fn::Select": [0, { "Fn::Split": [",", "a,b"] }] }] });
  });

  it("keeps YAML 1.1-style booleans and leading-zero numbers sensible", () => {
    const props = properties(`
      Resources:
        R:
          Type: AWS::Test::Thing
          Properties:
            A: True
            B: "true"
            C: 012345678901
            D: 2012-10-17
            E: 443
    `);
    expect(props).toEqual({ A: true, B: "true", C: "012345678901", D: "2012-10-17", E: 443 });
  });

  it("records unknown tags instead of failing", () => {
    const parsed = parseTemplate(
      FILE,
      dedent(`
      Resources:
        R:
          Type: AWS::EC2::Instance
          Properties:
            UserData: !Rain::Embed script.sh
    `),
    );
    expect([...parsed.unknownTags.keys()]).toEqual(["!Rain::Embed"]);
    // biome-ignore lint/suspicious/noExplicitAny: test access to the parsed tree
    expect((parsed.root.Resources as any).R.Properties.UserData).toEqual({ "!Rain::Embed": "script.sh" });
  });
});

describe("positions", () => {
  it("gives every origin a pointer and a 1-based region (YAML)", () => {
    const world = load(`
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties:
            CidrBlock: 10.0.0.0/16
            EnableDnsHostnames: true
    `);
    const vpc = world.vpcs.get("Vpc")!;
    expect(vpc.origin).toMatchObject({ source: "cloudformation", file: FILE, pointer: "/Resources/Vpc", id: "Vpc" });
    expect(vpc.origin.region).toEqual({ startLine: 2, startColumn: 3, endLine: 6, endColumn: 31 });
    const hostnames = vpc.enableDnsHostnames;
    expect(hostnames.kind === "known" && hostnames.origin).toMatchObject({
      pointer: "/Resources/Vpc/Properties/EnableDnsHostnames",
      region: { startLine: 6, startColumn: 7, endLine: 6, endColumn: 31 },
    });
    const cidr = vpc.cidrBlocks;
    expect(cidr.kind === "known" && cidr.origin?.region).toEqual({ startLine: 5, startColumn: 7, endLine: 5, endColumn: 29 });
  });

  it("gives list items their own position", () => {
    const world = load(`
      Resources:
        Sg:
          Type: AWS::EC2::SecurityGroup
          Properties:
            GroupDescription: x
            SecurityGroupEgress:
              - IpProtocol: tcp
                FromPort: 443
                ToPort: 443
                CidrIp: 10.0.0.0/8
    `);
    const rule = world.securityGroups.get("Sg")!.egress[0]!;
    expect(rule.origin.pointer).toBe("/Resources/Sg/Properties/SecurityGroupEgress/0");
    expect(rule.origin.region).toMatchObject({ startLine: 7, startColumn: 11 });
    expect(rule.fromPort.kind === "known" && rule.fromPort.origin?.region).toMatchObject({ startLine: 8, startColumn: 11, endColumn: 24 });
  });

  it("gives JSON templates positions too", () => {
    const text =
      '{\n  "Resources": {\n    "Vpc": {\n      "Type": "AWS::EC2::VPC",\n      "Properties": { "CidrBlock": "10.0.0.0/16" }\n    }\n  }\n}\n';
    const world = loadCloudFormation("t.json", text);
    const vpc = world.vpcs.get("Vpc")!;
    expect(vpc.origin.region).toEqual({ startLine: 3, startColumn: 5, endLine: 6, endColumn: 6 });
    const cidr = vpc.cidrBlocks;
    expect(cidr.kind === "known" && cidr.origin?.region).toEqual({ startLine: 5, startColumn: 23, endLine: 5, endColumn: 49 });
    expect(world.locate?.({ source: "cloudformation", file: "t.json", pointer: "/Resources/Vpc/Type" })).toMatchObject({
      startLine: 4,
      startColumn: 7,
    });
  });

  it("keeps the file name as given", () => {
    const world = loadCloudFormation(
      "./a/../b.yaml",
      "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16}\n",
    );
    expect(world.files).toEqual(["./a/../b.yaml"]);
    expect(world.vpcs.get("Vpc")!.origin.file).toBe("./a/../b.yaml");
  });

  it("reads templates that escape pointer characters in keys", () => {
    const t = template(`
      Mappings:
        "a/b~c":
          k: {v: 1}
      Resources:
        R:
          Type: AWS::Test::Thing
    `);
    expect(t.origin("/Mappings/a~1b~0c/k").region).toMatchObject({ startLine: 3, startColumn: 5 });
  });
});

describe("bad input is an InputError with a position", () => {
  it("YAML syntax error carries line and column", () => {
    const error = inputError(() => load("Resources:\n  R:\n    Type: [a, b\n    Properties: {}\n"));
    expect(error.message).toMatch(/^invalid YAML: /);
    expect(error.file).toBe(FILE);
    expect(error.line).toBeGreaterThanOrEqual(3);
    expect(error.column).toBeGreaterThanOrEqual(1);
  });

  it("JSON syntax error carries line and column", () => {
    const error = inputError(() => loadCloudFormation("t.json", '{\n  "Resources": {\n    "R": { "Type": "X" "Properties": {} }\n  }\n}'));
    expect(error.message).toBe("invalid JSON: unexpected '\"', expected ',' or '}'");
    expect([error.line, error.column]).toEqual([3, 24]);
  });

  it("several YAML documents are an error", () => {
    const error = inputError(() => load("Resources: {}\n---\nResources: {}\n"));
    expect(error.message).toBe("invalid YAML: the file holds more than one YAML document; a template is one document");
    expect(error.line).toBe(2);
  });

  it("duplicate keys are an error", () => {
    const error = inputError(() => load("Resources:\n  R:\n    Type: A\n  R:\n    Type: B\n"));
    expect(error.message).toContain("duplicate key 'R'");
    expect(error.line).toBe(4);
  });

  it("a document that is not a mapping", () => {
    expect(inputError(() => load("- a\n- b\n")).message).toBe("not a CloudFormation template: the document is a list, not a mapping");
    expect(inputError(() => load("just text\n")).message).toContain("not a mapping");
  });

  it("no Resources section", () => {
    const error = inputError(() => load("AWSTemplateFormatVersion: '2010-09-09'\nDescription: x\n"));
    expect(error.message).toBe("not a CloudFormation template: no Resources section");
    expect(error.format()).toMatch(/^templates\/test\.yaml:1:1: not a CloudFormation template: no Resources section \(/);
  });

  it("Resources that is not a mapping", () => {
    expect(inputError(() => load("Resources: [a]\n")).message).toBe("not a CloudFormation template: Resources is not a mapping");
  });

  it("an empty file", () => {
    expect(inputError(() => loadCloudFormation("e.yaml", "")).message).toMatch(/^empty file/);
    expect(inputError(() => loadCloudFormation("e.yaml", "\n  \n")).message).toMatch(/^empty file/);
    expect(inputError(() => loadCloudFormation("e.yaml", "# only a comment\n")).message).toContain("not a mapping");
  });

  it("a binary file", () => {
    const binary = String.fromCharCode(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52);
    expect(inputError(() => loadCloudFormation("image.png", binary)).message).toMatch(/^binary file/);
  });

  it("a YAML alias bomb", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`);
    }
    const text = `Metadata:\n${levels.map((l) => `  ${l}`).join("\n")}\nResources:\n  R:\n    Type: AWS::Test::Thing\n    Properties:\n      P: *i\n`;
    const started = performance.now();
    const error = inputError(() => loadCloudFormation("bomb.yaml", text));
    expect(error.message).toMatch(/alias/);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("a few ordinary aliases are fine", () => {
    const world = load(`
      Resources:
        Vpc:
          Type: AWS::EC2::VPC
          Properties: &props
            CidrBlock: 10.0.0.0/16
        Vpc2:
          Type: AWS::EC2::VPC
          Properties: *props
    `);
    expect(world.vpcs.size).toBe(2);
  });

  it("deep nesting", () => {
    const deepYaml = `Resources:\n  R:\n    Type: X\n    Properties:\n      P: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    expect(inputError(() => loadCloudFormation("deep.yaml", deepYaml)).message).toMatch(/nest/);
    const deepJson = `{"Resources": {"R": {"Type": "X", "Properties": {"P": ${"[".repeat(100000)}${"]".repeat(100000)}}}}}`;
    expect(inputError(() => loadCloudFormation("deep.json", deepJson)).message).toMatch(/nest/);
  });

  it("a file far over CloudFormation's size limit", () => {
    const huge = `Resources:\n  R:\n    Type: X\n    Metadata: "${"x".repeat(16_000_001)}"\n`;
    expect(inputError(() => loadCloudFormation("huge.yaml", huge)).message).toMatch(/^file too large/);
  });

  it("JSON with a trailing comma is still read (as YAML, which allows it)", () => {
    const world = loadCloudFormation(
      "t.json",
      '{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"},}}}',
    );
    expect(world.vpcs.size).toBe(1);
  });

  it("truncated input", () => {
    expect(inputError(() => loadCloudFormation("t.json", '{"Resources": {"R": {"Type": "AWS::EC2::VPC", "Prop')).message).toMatch(
      /^invalid JSON/,
    );
    expect(inputError(() => loadCloudFormation("t.yaml", 'Resources:\n  R:\n    Type: "AWS::EC2::VPC')).message).toMatch(/^invalid YAML/);
  });
});
