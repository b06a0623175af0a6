import { describe, expect, it } from "vitest";
import { DEPLOYMENT_REGION } from "../../../src/model/index.js";
import { splitCidr } from "../../../src/sources/cloudformation/evaluate.js";
import type { Evaluated } from "../../../src/sources/cloudformation/types.js";
import { dedent, evaluate } from "./helpers.js";

/** The text of a known scalar, or the unknown's code. */
function text(ev: Evaluated): string {
  if (ev.kind === "scalar") return String(ev.value);
  if (ev.kind === "unknown") return `unknown:${ev.reason.code}`;
  return ev.kind;
}

function reason(ev: Evaluated) {
  if (ev.kind !== "unknown") throw new Error(`expected unknown, got ${ev.kind}`);
  return ev.reason;
}

function list(ev: Evaluated): string[] {
  if (ev.kind !== "list") throw new Error(`expected a list, got ${ev.kind}`);
  return ev.items.map(text);
}

const PARAMETERS = `
  Parameters:
    WithDefault:
      Type: String
      Default: hello
    NoDefault:
      Type: String
    Subnets:
      Type: List<AWS::EC2::Subnet::Id>
      Default: subnet-1, subnet-2
    Ami:
      Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
      Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
    Env:
      Type: String
      Default: prod
`;

describe("Ref", () => {
  it("parameters: --parameters value, else Default, else unknown 'parameter'", () => {
    expect(text(evaluate("!Ref WithDefault", PARAMETERS))).toBe("hello");
    expect(text(evaluate("!Ref WithDefault", PARAMETERS, { parameters: { WithDefault: "given" } }))).toBe("given");
    const missing = reason(evaluate("!Ref NoDefault", PARAMETERS));
    expect(missing).toEqual({
      code: "parameter",
      message: "P uses the parameter NoDefault, which has no default",
      decide: "pass --parameters NoDefault=…",
    });
    expect(text(evaluate("!Ref NoDefault", PARAMETERS, { parameters: { NoDefault: "x" } }))).toBe("x");
  });

  it("list parameters are lists", () => {
    expect(list(evaluate("!Ref Subnets", PARAMETERS))).toEqual(["subnet-1", "subnet-2"]);
  });

  it("SSM parameter types say which SSM parameter they read", () => {
    const ev = evaluate("!Ref Ami", PARAMETERS);
    expect(ev.kind === "unknown" && ev.extra?.ssmParameter).toBe("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  });

  it("resources are model references", () => {
    const ev = evaluate("!Ref Vpc", "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n");
    expect(ev).toMatchObject({ kind: "ref", id: "Vpc", type: "AWS::EC2::VPC" });
  });

  it("an unknown name is unresolved", () => {
    expect(reason(evaluate("!Ref Nowhere")).code).toBe("unresolved");
  });
});

describe("pseudo parameters", () => {
  it("AWS::Region is the option, else unknown outside strings and the DEPLOYMENT_REGION token inside them", () => {
    expect(text(evaluate("!Ref AWS::Region", "", { region: "eu-west-1" }))).toBe("eu-west-1");
    expect(reason(evaluate("!Ref AWS::Region"))).toMatchObject({ code: "parameter", decide: "pass --region" });
    expect(text(evaluate("!Sub com.amazonaws.${AWS::Region}.ssm"))).toBe(`com.amazonaws.${DEPLOYMENT_REGION}.ssm`);
    expect(text(evaluate('!Join [".", [com, amazonaws, !Ref "AWS::Region", ssm]]'))).toBe(`com.amazonaws.${DEPLOYMENT_REGION}.ssm`);
    expect(text(evaluate("!Sub com.amazonaws.${AWS::Region}.ssm", "", { region: "us-east-2" }))).toBe("com.amazonaws.us-east-2.ssm");
  });

  it("AWS::Partition and AWS::URLSuffix follow the region", () => {
    expect(text(evaluate("!Ref AWS::Partition"))).toBe("aws");
    expect(text(evaluate("!Ref AWS::Partition", "", { region: "cn-north-1" }))).toBe("aws-cn");
    expect(text(evaluate("!Ref AWS::Partition", "", { region: "us-gov-west-1" }))).toBe("aws-us-gov");
    expect(text(evaluate("!Ref AWS::URLSuffix"))).toBe("amazonaws.com");
    expect(text(evaluate("!Sub ec2.${AWS::URLSuffix}"))).toBe("ec2.amazonaws.com");
  });

  it("AWS::AccountId is the option, else unknown; AWS::StackName is unknown; AWS::NoValue is absent", () => {
    expect(text(evaluate("!Ref AWS::AccountId", "", { accountId: "123456789012" }))).toBe("123456789012");
    expect(reason(evaluate("!Ref AWS::AccountId")).code).toBe("unresolved");
    expect(reason(evaluate("!Sub ${AWS::StackName}-x")).code).toBe("unresolved");
    expect(evaluate("!Ref AWS::NoValue").kind).toBe("none");
    expect(list(evaluate("[a, !Ref AWS::NoValue, b]"))).toEqual(["a", "b"]);
  });
});

describe("Fn::GetAtt", () => {
  const RESOURCES = `
    Resources:
      Vpc:
        Type: AWS::EC2::VPC
        Properties:
          CidrBlock: 10.1.0.0/16
      Subnet:
        Type: AWS::EC2::Subnet
        Properties:
          VpcId: !Ref Vpc
          AvailabilityZone: eu-west-1a
      Role:
        Type: AWS::IAM::Role
      Bucket:
        Type: AWS::S3::Bucket
  `;

  it("attributes that are properties evaluate the property", () => {
    expect(text(evaluate("!GetAtt Vpc.CidrBlock", RESOURCES))).toBe("10.1.0.0/16");
    expect(text(evaluate("!GetAtt [Subnet, AvailabilityZone]", RESOURCES))).toBe("eu-west-1a");
    expect(evaluate("!GetAtt Subnet.VpcId", RESOURCES)).toMatchObject({ kind: "ref", id: "Vpc" });
  });

  it("attributes that name a resource are references (VPC default group → the synthesized key)", () => {
    expect(evaluate("!GetAtt Vpc.DefaultSecurityGroup", RESOURCES)).toMatchObject({
      kind: "ref",
      id: "Vpc#default-sg",
      type: "AWS::EC2::SecurityGroup",
    });
    expect(evaluate("!GetAtt Role.Arn", RESOURCES)).toMatchObject({ kind: "ref", id: "Role", type: "AWS::IAM::Role" });
    expect(evaluate('{"Fn::GetAtt": ["Vpc", "VpcId"]}', RESOURCES)).toMatchObject({ kind: "ref", id: "Vpc" });
  });

  it("other attributes: computed for modelled types, unsupported for others", () => {
    expect(reason(evaluate("!GetAtt Vpc.Ipv6CidrBlocks", RESOURCES)).code).toBe("computed");
    expect(reason(evaluate("!GetAtt Bucket.Arn", RESOURCES)).code).toBe("unsupported");
    expect(reason(evaluate("!Sub arn:aws:s3:::${Bucket}/*", RESOURCES)).code).toBe("unsupported");
  });
});

describe("Fn::Sub", () => {
  it("substitutes parameters, resources attributes, variables, and keeps ${!Literal}", () => {
    const sections = `${dedent(PARAMETERS)}\nResources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.2.0.0/16}\n`;
    expect(text(evaluate('!Sub "${WithDefault}-${Vpc.CidrBlock}-${!Literal}"', sections))).toBe("hello-10.2.0.0/16-${Literal}");
    expect(text(evaluate('!Sub ["${a}/${b}", {a: x, b: !Ref WithDefault}]', sections))).toBe("x/hello");
    expect(text(evaluate('{"Fn::Sub": "plain"}'))).toBe("plain");
  });

  it("an unknown part makes the whole string unknown", () => {
    expect(reason(evaluate("!Sub ${NoDefault}-x", PARAMETERS)).code).toBe("parameter");
  });
});

describe("Fn::Join, Fn::Select, Fn::Split, Fn::Base64, Fn::Length, Fn::ToJsonString", () => {
  it("evaluates list functions", () => {
    expect(text(evaluate('!Join [",", [a, b, c]]'))).toBe("a,b,c");
    expect(text(evaluate('!Join ["-", !Ref Subnets]', PARAMETERS))).toBe("subnet-1-subnet-2");
    expect(text(evaluate("!Select [1, [a, b, c]]"))).toBe("b");
    expect(text(evaluate('!Select ["0", !Ref Subnets]', PARAMETERS))).toBe("subnet-1");
    expect(list(evaluate('!Split [",", "a,b,c"]'))).toEqual(["a", "b", "c"]);
    expect(text(evaluate('!Select [2, !Split [".", "10.0.1.0"]]'))).toBe("1");
    expect(text(evaluate("!Base64 hello"))).toBe("hello");
    expect(text(evaluate("!Length [a, b, c]"))).toBe("3");
    expect(text(evaluate("!ToJsonString {a: [1, 2]}"))).toBe('{"a":[1,2]}');
  });

  it("selecting a known item of a list with unknown items is known", () => {
    expect(text(evaluate("!Select [0, [a, !Ref NoDefault]]", PARAMETERS))).toBe("a");
    expect(reason(evaluate("!Select [1, [a, !Ref NoDefault]]", PARAMETERS)).code).toBe("parameter");
    expect(reason(evaluate("!Select [5, [a]]")).code).toBe("unresolved");
  });

  it("Fn::GetAZs is unknown, and so is what is selected from it", () => {
    expect(reason(evaluate('!Select [0, !GetAZs ""]')).code).toBe("computed");
  });

  it("Fn::ImportValue is outside; Fn::Transform is unsupported", () => {
    expect(reason(evaluate("!ImportValue shared-vpc-id"))).toMatchObject({ code: "outside" });
    expect(reason(evaluate("!Transform {Name: AWS::Include}")).code).toBe("unsupported");
  });
});

describe("Fn::Cidr", () => {
  it("splits IPv4 blocks", () => {
    expect(list(evaluate('!Cidr ["10.0.0.0/16", 3, 8]'))).toEqual(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]);
    expect(text(evaluate('!Select [1, !Cidr ["10.0.0.0/16", 4, 12]]'))).toBe("10.0.16.0/20");
    expect(splitCidr("192.168.1.77/24", 2, 7)).toEqual(["192.168.1.0/25", "192.168.1.128/25"]);
    expect(splitCidr("10.0.0.0/24", 4, 8)).toBeUndefined();
    expect(reason(evaluate('!Cidr ["fd00::/56", 2, 64]')).code).toBe("unsupported");
  });
});

describe("Fn::FindInMap", () => {
  const MAPPINGS = `
    Mappings:
      AWSRegionArch2AMI:
        us-east-1: {HVM64: ami-1111, HVMG2: ami-2222}
        eu-west-1: {HVM64: ami-3333, HVMG2: ami-4444}
      Sizes:
        prod: {Count: 3}
  `;

  it("looks up known keys, with DefaultValue for missing ones", () => {
    expect(text(evaluate("!FindInMap [AWSRegionArch2AMI, !Ref AWS::Region, HVM64]", MAPPINGS, { region: "eu-west-1" }))).toBe("ami-3333");
    expect(text(evaluate("!FindInMap [Sizes, prod, Count]", MAPPINGS))).toBe("3");
    expect(text(evaluate("!FindInMap [Sizes, dev, Count, {DefaultValue: 1}]", MAPPINGS))).toBe("1");
    expect(reason(evaluate("!FindInMap [Sizes, dev, Count]", MAPPINGS)).code).toBe("unresolved");
  });

  it("with an unknown key gives the column's candidates and names the mapping", () => {
    const ev = evaluate("!FindInMap [AWSRegionArch2AMI, !Ref AWS::Region, HVM64]", MAPPINGS);
    expect(ev.kind === "unknown" && ev.extra?.mapping).toEqual({
      description: "AWSRegionArch2AMI mapping (HVM64)",
      candidates: ["ami-1111", "ami-3333"],
    });
    expect(reason(ev)).toMatchObject({ code: "parameter", decide: "pass --region" });
    const both = evaluate("!FindInMap [AWSRegionArch2AMI, !Ref AWS::Region, !Ref NoDefault]", `${dedent(MAPPINGS)}\n${dedent(PARAMETERS)}`);
    expect(both.kind === "unknown" && both.extra?.mapping?.description).toBe("AWSRegionArch2AMI mapping (HVM64, HVMG2)");
  });
});

describe("conditions and Fn::If", () => {
  const CONDITIONS = `${dedent(PARAMETERS)}\n${dedent(`
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
      IsDev: !Not [!Condition IsProd]
      HasName: !Not [!Equals [!Ref NoDefault, ""]]
      ProdAndNamed: !And [!Condition IsProd, !Condition HasName]
      DevOrNamed: !Or [!Condition IsDev, !Condition HasName]
      ProdOrNamed: !Or [!Condition IsProd, !Condition HasName]
      DevAndNamed: !And [!Condition IsDev, !Condition HasName]
      InUsEast: !Equals [!Ref AWS::Region, us-east-1]
      Loop1: !Condition Loop2
      Loop2: !Condition Loop1
  `)}`;

  it("evaluates true and false from parameter defaults and values", () => {
    expect(text(evaluate("!If [IsProd, big, small]", CONDITIONS))).toBe("big");
    expect(text(evaluate("!If [IsDev, big, small]", CONDITIONS))).toBe("small");
    expect(text(evaluate("!If [IsProd, big, small]", CONDITIONS, { parameters: { Env: "dev" } }))).toBe("small");
    expect(evaluate("!If [IsDev, x, !Ref AWS::NoValue]", CONDITIONS).kind).toBe("none");
  });

  it("an unresolvable condition makes Fn::If unknown 'condition', never a silent branch", () => {
    const r = reason(evaluate("!If [HasName, a, b]", CONDITIONS));
    expect(r.code).toBe("condition");
    expect(r.message).toContain("HasName");
    expect(r.decide).toBe("pass --parameters NoDefault=…");
    expect(reason(evaluate("!If [InUsEast, a, b]", CONDITIONS)).decide).toBe("pass --region");
    expect(text(evaluate("!If [InUsEast, a, b]", CONDITIONS, { region: "us-east-1" }))).toBe("a");
  });

  it("uses three-valued logic in And/Or", () => {
    expect(text(evaluate("!If [DevAndNamed, a, b]", CONDITIONS))).toBe("b"); // false ∧ unknown = false
    expect(text(evaluate("!If [ProdOrNamed, a, b]", CONDITIONS))).toBe("a"); // true ∨ unknown = true
    expect(reason(evaluate("!If [ProdAndNamed, a, b]", CONDITIONS)).code).toBe("condition");
    expect(reason(evaluate("!If [DevOrNamed, a, b]", CONDITIONS)).code).toBe("condition");
  });

  it("circular conditions end as unknown", () => {
    expect(reason(evaluate("!If [Loop1, a, b]", CONDITIONS)).message).toContain("refers to itself");
    expect(reason(evaluate("!If [Missing, a, b]", CONDITIONS)).message).toContain("no condition named Missing");
  });

  it("compares parameter values as text, including booleans written either way", () => {
    const sections = `
      Parameters:
        Flag: {Type: String, Default: "true"}
      Conditions:
        On: !Equals [!Ref Flag, true]
    `;
    expect(text(evaluate("!If [On, yes, no]", sections))).toBe("yes");
  });
});

describe("cycles and depth", () => {
  it("GetAtt cycles between properties end as unknown", () => {
    const sections = `
      Resources:
        A:
          Type: AWS::EC2::Subnet
          Properties:
            CidrBlock: !GetAtt B.CidrBlock
        B:
          Type: AWS::EC2::Subnet
          Properties:
            CidrBlock: !GetAtt A.CidrBlock
    `;
    expect(reason(evaluate("!GetAtt A.CidrBlock", sections)).message).toContain("circular");
  });

  it("a Sub that refers to itself through variables does not loop", () => {
    expect(text(evaluate('!Sub ["${x}", {x: "${x}"}]'))).toBe("${x}");
  });
});

describe("lenient text for user data", () => {
  it("keeps unknown parts as placeholders", async () => {
    const { Template } = await import("../../../src/sources/cloudformation/template.js");
    const { parseTemplate } = await import("../../../src/sources/cloudformation/parse.js");
    const t = new Template("t.yaml", parseTemplate("t.yaml", "Parameters:\n  Key: {Type: String}\nResources:\n  R:\n    Type: X\n"), {});
    const ev = t.evaluator.evaluate({ "Fn::Sub": "yum install -y amazon-ssm-agent ${Key} ${AWS::Region}" }, "/x", {
      label: "UserData",
      lenient: true,
    });
    expect(text(ev)).toBe("yum install -y amazon-ssm-agent ${Key} ${AWS::Region}");
  });
});
