/**
 * An Fn::Transform among a resource's properties, or among a property's members, inserts a snippet there when the
 * stack is processed (AWS::Include, a macro): it may set any property the template leaves unset. Before, the key
 * was skipped without a word and the unset properties kept their defaults, so a group whose included snippet
 * removes the default egress passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/seed-000/good.yaml"), "utf8");
const INCLUDE = "Fn::Transform: { Name: AWS::Include, Parameters: { Location: s3://bucket/snippet.yaml } }";

const lint = (text: string) => lintText("include.yaml", text, { region: "us-east-1" });

describe("Fn::Transform beside other keys", () => {
  it("among a resource's properties: the properties it may set are not known", () => {
    // The ssm endpoint sets no PolicyDocument, which the snippet may set.
    const anchor = "      ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm\n";
    expect(GOOD).toContain(anchor);
    const text = GOOD.replace(anchor, `${anchor}      ${INCLUDE}\n`);
    expect(lint(GOOD).instances.map((i) => i.status)).toEqual(["pass"]);
    const result = lint(text);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    expect(JSON.stringify(result.findings)).toContain(
      "use Fn::Transform (a macro or AWS::Include), which ssm-doctor does not expand: it may set",
    );
  });

  it("a snippet that can only add to what the template sets changes nothing", () => {
    // The instance's group sets its egress; more egress rules could only allow more.
    const anchor = "      GroupDescription: SG for EC2 Instance\n";
    expect(GOOD).toContain(anchor);
    expect(lint(GOOD.replace(anchor, `${anchor}      ${INCLUDE}\n`)).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("among a property's members: the members it may set are not known", () => {
    const anchor = "      InstanceType: !Ref pInstanceType\n";
    expect(GOOD).toContain(anchor);
    // HttpTokens is set beside it; HttpEndpoint (disabled would stop the agent) may come from the snippet.
    const text = GOOD.replace(anchor, `${anchor}      MetadataOptions:\n        HttpTokens: required\n        ${INCLUDE}\n`);
    const result = lint(text);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(result.findings)).toContain(
      "Fn::Transform (a macro or AWS::Include), which ssm-doctor does not expand: it may set",
    );
  });
});
