/**
 * Matching a change's findings with its base's (src/engine/baseline.ts) and the words of the review, in
 * process: states, pairing of inputs, renamed keys, causes, and values from the input printed as data.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareRuns, pairFiles } from "../../src/engine/baseline.js";
import { changeText } from "../../src/report/baseline-text.js";
import { compareCloudFormation } from "../../src/sources/cloudformation/changes.js";
import { compareTerraformPlans } from "../../src/sources/terraform/changes.js";
import { lintFile, lintText } from "../helpers/lint.js";

const ROOT = join(import.meta.dirname, "../..");
const KEPT = "fixtures/diff/cloudformation/egress-kept.yaml";
const DROPPED = "fixtures/diff/cloudformation/egress-dropped.yaml";

describe("compareRuns", () => {
  it("the same finding with other arguments is updated; one only in the base is absent; one only in the change is new", () => {
    const base = lintFile(DROPPED);
    // The same input again: unchanged. The instance renamed: SD301 keeps its identity (rule, the group, attribute)
    // but its message names another instance: updated.
    const text = readFileSync(join(ROOT, DROPPED), "utf8");
    const renamedInstance = lintText(DROPPED, text.replaceAll("rEc2Instance:", "rAppServer:"));
    const same = compareRuns({ file: "a", result: base }, { file: "b", result: lintFile(DROPPED) });
    expect([...same.states.values()]).toEqual(["unchanged"]);
    const updated = compareRuns({ file: "a", result: base }, { file: "b", result: renamedInstance });
    expect([...updated.states.values()]).toEqual(["updated"]);
    const fixed = compareRuns({ file: "a", result: base }, { file: "b", result: lintFile(KEPT) });
    expect(fixed.states.size).toBe(0);
    expect(fixed.absent.map((f) => f.ruleId)).toEqual(["SD301"]);
    const fresh = compareRuns(undefined, { file: "b", result: base });
    expect([...fresh.states.values()]).toEqual(["new"]);
    expect(fresh.baselineFile).toBeUndefined();
  });

  it("a key the change renamed (CDK construct path kept) matches the base's finding", () => {
    const text = readFileSync(join(ROOT, DROPPED), "utf8");
    const base = lintText("a.yaml", text);
    const change = lintText("b.yaml", text.replaceAll("rSecurityGroupEc2Instance", "AppSgC0FFEE01"));
    const plain = compareRuns({ file: "a", result: base }, { file: "b", result: change });
    expect([...plain.states.values()]).toEqual(["new"]);
    expect(plain.absent).toHaveLength(1);
    const renamed = compareRuns(
      { file: "a", result: base },
      { file: "b", result: change },
      { changes: [], renamed: new Map([["rSecurityGroupEc2Instance", "AppSgC0FFEE01"]]), notes: [] },
    );
    expect([...renamed.states.values()]).toEqual(["updated"]); // the message names the new id
    expect(renamed.absent).toHaveLength(0);
  });

  it("ties the removed rule to the hop it broke (CloudFormation, through @aws-cdk/cloudformation-diff)", async () => {
    const comparison = await compareCloudFormation(
      { file: KEPT, text: readFileSync(join(ROOT, KEPT), "utf8") },
      { file: DROPPED, text: readFileSync(join(ROOT, DROPPED), "utf8") },
    );
    const review = compareRuns({ file: KEPT, result: lintFile(KEPT) }, { file: DROPPED, result: lintFile(DROPPED) }, comparison);
    const causes = [...review.causes.values()].flat();
    expect(causes).toHaveLength(1);
    expect(causes[0]).toMatchObject({
      tie: "hop",
      hop: "instance-sg-egress",
      instances: ["rEc2Instance"],
      services: ["ssm", "ssmmessages"],
    });
    expect(causes[0]!.change.origin?.region?.startLine).toBe(137);
  });

  it("reads a moved block's previous_address as a rename (Terraform)", () => {
    const text = readFileSync(join(ROOT, "fixtures/terraform/seed-003-before/plan.json"), "utf8");
    const plan = JSON.parse(text);
    for (const rc of plan.resource_changes) {
      if (rc.address === "aws_security_group.sg-ec2") {
        rc.previous_address = rc.address;
        rc.address = "aws_security_group.instance";
        rc.name = "instance";
      }
    }
    const comparison = compareTerraformPlans({ file: "a.json", text }, { file: "b.json", text: JSON.stringify(plan) });
    expect([...comparison.renamed]).toEqual([["aws_security_group.sg-ec2", "aws_security_group.instance"]]);
    expect(comparison.changes.filter((c) => c.resource.startsWith("aws_security_group."))).toEqual([]);
  });
});

describe("pairFiles", () => {
  const named = (name: string) => ({ name, file: name, result: lintFile(KEPT) });
  it("pairs one with one whatever their names, else by name; the rest are new or removed", () => {
    expect(pairFiles([named("a")], [named("b")]).map((p) => [p.base?.name, p.change?.name])).toEqual([["a", "b"]]);
    expect(pairFiles([named("x"), named("y")], [named("y"), named("z")]).map((p) => [p.base?.name, p.change?.name])).toEqual([
      ["y", "y"],
      [undefined, "z"],
      ["x", undefined],
    ]);
  });
});

describe("changeText", () => {
  it("prints values from the input as data: line breaks and control characters escaped", () => {
    const text = changeText({
      resource: "Sg\nInjected",
      resourceType: "AWS::EC2::SecurityGroup",
      property: "GroupDescription",
      action: "modified",
      category: "security-group",
      before: "a\u001b[31mred",
      after: "b\r\nc",
    });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character must not reach the terminal
    expect(text).not.toMatch(/[\n\r\u001b]/);
    expect(text).toContain("Sg\\u000aInjected");
  });
});

describe("the bundle", () => {
  it("keeps @aws-cdk/cloudformation-diff out of dist/: loaded by dynamic import only", () => {
    // dist/cli.js and the chunks it imports lazily, as one text.
    const bundle = readdirSync(join(ROOT, "dist"))
      .filter((name) => name.endsWith(".js"))
      .map((name) => readFileSync(join(ROOT, "dist", name), "utf8"))
      .join("\n");
    expect(bundle).toMatch(/import\(["']@aws-cdk\/cloudformation-diff["']\)/);
    expect(bundle).not.toMatch(/from ?["']@aws-cdk\//);
    expect(bundle).not.toContain("loadAwsServiceSpec");
  });
});
