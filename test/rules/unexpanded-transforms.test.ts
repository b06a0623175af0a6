/**
 * What a template does not expand here may change what it leaves unset: a template-wide macro or AWS::Include any
 * property of any resource; Fn::ForEach or an Fn::Transform in Resources adds resources that may add egress rules to
 * a group (removing the default one) or policies to a role. Before, each gave a warning note and the verdicts passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/seed-000/good.yaml"), "utf8");
const lint = (text: string) => lintText("transform.yaml", text, { region: "us-east-1" });
const withTransform = (transform: string) => {
  const text = GOOD.replace(/^Resources:\n/m, `Transform: ${transform}\nResources:\n`);
  expect(text).toContain(`Transform: ${transform}\n`);
  return text;
};
const withResources = (entry: string) => {
  const text = GOOD.replace(/^Resources:\n/m, `Resources:\n${entry}`);
  expect(text).not.toBe(GOOD);
  return text;
};

describe("constructs ssm-doctor does not expand", () => {
  it("a template-wide macro: what the template leaves unset is not known", () => {
    const result = lint(withTransform("MyCompanyMacro"));
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    expect(JSON.stringify(result.findings)).toContain("the transform MyCompanyMacro, which ssm-doctor does not expand, may set");
  });

  it("the SAM transform changes only AWS::Serverless resources: the verdict stands", () => {
    expect(lint(withTransform("AWS::Serverless-2016-10-31")).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it.each([
    [
      "Fn::ForEach",
      "  Fn::ForEach::Rules:\n    - Port\n    - ['22']\n    - Rule${Port}:\n        Type: AWS::EC2::SecurityGroupEgress\n        Properties: {}\n",
    ],
    ["Fn::Transform", "  Fn::Transform:\n    Name: AWS::Include\n    Parameters: { Location: s3://bucket/resources.yaml }\n"],
  ])("%s among the resources: a role's policies it may add are not known", (name, entry) => {
    const result = lint(withResources(entry));
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    expect(JSON.stringify(result.findings)).toMatch(
      /which ssm-doctor does not expand, may add resources that stand for (Policies|ManagedPolicyArns) of/,
    );
    expect(JSON.stringify(result.findings)).toContain(name === "Fn::ForEach" ? "Fn::ForEach::Rules" : "the Fn::Transform in Resources");
  });
});
