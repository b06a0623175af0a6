/**
 * Route 53 Resolver rules: the resolver answers a query by the most specific domain among its rules and private
 * hosted zones (an interface endpoint's private DNS is a zone of the service's own name), a rule winning a tie. A
 * FORWARD rule sends the name to DNS servers whose answer no input shows. Before, rules were not read at all: a rule
 * for ssm.<region>.amazonaws.com, or "." in a VPC reaching the services through the internet, passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { coverage } from "../../src/analysis/paths/resolver-rules.js";
import { lintText } from "../helpers/lint.js";
import { lintPlan } from "../helpers/terraform.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");
const read = (name: string) => readFileSync(join(FIXTURES, "cloudformation/custom-dns-servers", name), "utf8");
const EVERYTHING = read("resolver-rule-forwards-everything.yaml");
const SERVICE_NAME = read("resolver-rule-service-name.yaml");
const lint = (text: string, region = "us-east-1") => lintText("rules.yaml", text, { region });
const sd403 = (text: string, region?: string) => lint(text, region).findings.filter((f) => f.ruleId === "SD403");

describe("which service names a rule's domain covers", () => {
  it("counts the labels of the name it covers, and covers nothing else", () => {
    expect(coverage("ssm.us-east-1.amazonaws.com", "ssm", "us-east-1")).toBe(4);
    expect(coverage("us-east-1.amazonaws.com", "ssm", "us-east-1")).toBe(3);
    expect(coverage("amazonaws.com", "ssm", "us-east-1")).toBe(2);
    expect(coverage("com", "ssm", "us-east-1")).toBe(1);
    expect(coverage(".", "ssm", "us-east-1")).toBe(0);
    for (const other of [
      "ssmmessages.us-east-1.amazonaws.com",
      "ssm.eu-west-1.amazonaws.com",
      "eu-west-1.amazonaws.com",
      "example.com",
      "x.ssm.us-east-1.amazonaws.com",
    ])
      expect(coverage(other, "ssm", "us-east-1"), other).toBeUndefined();
  });

  it("without the region, a rule for some region's name may cover it", () => {
    expect(coverage("ssm.eu-west-1.amazonaws.com", "ssm", undefined)).toBe(4);
    expect(coverage("eu-west-1.amazonaws.com", "ssm", undefined)).toBe(3);
    expect(coverage("ssmmessages.eu-west-1.amazonaws.com", "ssm", undefined)).toBeUndefined();
  });
});

describe("a forwarding rule in a template", () => {
  it('"." on a VPC that reaches the services through the internet: the public path is not verified (SD403)', () => {
    const result = lint(EVERYTHING);
    expect(result.findings.filter((f) => f.verdict === "fail").map((f) => `${f.ruleId} ${f.severity}`)).toEqual(["SD403 warning"]);
    const finding = sd403(EVERYTHING)[0]!;
    expect(finding.args).toMatchObject({
      domain: 'every name (".")',
      servers: "10.200.0.2:53, 10.200.1.2:53",
      services: "ssm, ssmmessages",
    });
    const paths = result.analysis.instances[0]!.placements[0]!.paths.filter((p) => p.service === "ssm" || p.service === "ssmmessages");
    expect(paths.map((p) => p.verdict)).toEqual(["unknown", "unknown"]);
  });

  it("a rule for the service's own name outranks its endpoint's private DNS; the other endpoint is untouched", () => {
    const result = lint(SERVICE_NAME);
    const paths = result.analysis.instances[0]!.placements[0]!.paths;
    expect(paths.find((p) => p.service === "ssm")!.verdict).toBe("unknown");
    expect(paths.find((p) => p.service === "ssmmessages")!.verdict).toBe("pass");
    expect(sd403(SERVICE_NAME).map((f) => [f.args.domain, f.args.services])).toEqual([["ssm.us-east-1.amazonaws.com", "ssm"]]);
  });

  it("a rule for a parent domain loses to the endpoints' private DNS", () => {
    for (const domain of ["amazonaws.com", "us-east-1.amazonaws.com", '"."']) {
      const text = SERVICE_NAME.replace("DomainName: ssm.us-east-1.amazonaws.com  # expect: SD403", `DomainName: ${domain}`);
      expect(text).toContain(`DomainName: ${domain}`);
      const result = lint(text);
      expect(
        result.instances.map((i) => i.status),
        domain,
      ).toEqual(["pass"]);
      expect(sd403(text), domain).toEqual([]);
    }
  });

  it("a more specific SYSTEM rule keeps the names with the VPC resolver; a rule of another domain or region changes nothing", () => {
    const system = `${EVERYTHING}  KeepAws:
    Type: AWS::Route53Resolver::ResolverRule
    Properties: { DomainName: us-east-1.amazonaws.com, RuleType: SYSTEM }
  KeepAwsAssociation:
    Type: AWS::Route53Resolver::ResolverRuleAssociation
    Properties: { ResolverRuleId: !Ref KeepAws, VPCId: !Ref Vpc }
`;
    expect(lint(system).instances.map((i) => i.status)).toEqual(["pass"]);
    expect(sd403(system)).toEqual([]);
    for (const domain of ["corp.example.com", "ssm.eu-west-1.amazonaws.com"]) {
      const text = EVERYTHING.replace('DomainName: "."  # expect: SD403', `DomainName: ${domain}`);
      expect(
        lint(text).instances.map((i) => i.status),
        domain,
      ).toEqual(["pass"]);
    }
  });

  it("a rule no VPC of the instance is associated with changes nothing", () => {
    const text = EVERYTHING.replace(/ {2}ForwardEverythingAssociation:[\s\S]*$/, "");
    expect(text).not.toContain("ForwardEverythingAssociation");
    expect(lint(text).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("an association of a rule from outside the template (a shared rule's id) leaves the names unknown, never passed", () => {
    const text = EVERYTHING.replace(
      /ResolverRuleId:\n\s+Fn::GetAtt:\n\s+- ForwardEverything\n\s+- ResolverRuleId/,
      "ResolverRuleId:\n        Ref: SharedRuleId",
    ).replace("Parameters:\n", "Parameters:\n  SharedRuleId:\n    Type: String\n");
    expect(text).toContain("Ref: SharedRuleId");
    const result = lint(text);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const notes = sd403(text).filter((f) => f.verdict === "unknown");
    expect(notes.map((f) => f.subject.key)).toEqual(["ForwardEverythingAssociation"]);
    expect(notes[0]!.unknowns.map((u) => u.message)).toContainEqual(
      expect.stringContaining("may send ssm.us-east-1.amazonaws.com to DNS servers outside the VPC resolver"),
    );
  });
});

describe("a forwarding rule in a plan", () => {
  it("a rule for ssm's own name warns on its domain line; a rule for amazonaws.com beside it changes nothing", () => {
    const dir = join(FIXTURES, "terraform/resolver-rule-forwards");
    const result = lintPlan(join(dir, "plan.json"), { tfRoot: dir });
    const warnings = result.findings.filter((f) => f.ruleId === "SD403");
    expect(warnings.map((f) => [f.subject.key, f.verdict, f.location.region?.startLine])).toEqual([
      ["aws_route53_resolver_rule.ssm", "fail", 109],
    ]);
  });

  it("a shared rule associated by id leaves the instance unknown", () => {
    const result = lintPlan(join(FIXTURES, "terraform/resolver-rule-shared/plan.json"));
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.ruleId === "SD403").map((f) => [f.subject.key, f.verdict])).toEqual([
      ["aws_route53_resolver_rule_association.shared", "unknown"],
    ]);
  });
});
