/**
 * What SD503 says when a role's permissions cannot be decided: each reason once (the agent's actions share the
 * role's policies), and a permissions boundary outside the input called a boundary, not an attached policy.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";
import { lintPlan } from "../helpers/terraform.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/seed-000/good.yaml"), "utf8");
const BOUNDARY = "arn:aws:iam::123456789012:policy/DeveloperBoundary";

describe("a role whose permissions boundary is outside the template", () => {
  const text = GOOD.replace(
    "      Path: /\n      ManagedPolicyArns:",
    `      Path: /\n      PermissionsBoundary: ${BOUNDARY}\n      ManagedPolicyArns:`,
  );

  it("is unknown, with one reason that names the boundary", () => {
    expect(text).toContain("PermissionsBoundary");
    const result = lintText("boundary.yaml", text, { region: "us-east-1" });
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const finding = result.findings.find((f) => f.ruleId === "SD503");
    expect(finding?.verdict).toBe("unknown");
    expect(finding?.unknowns.map((u) => u.message)).toEqual([
      `policy DeveloperBoundary: the permissions boundary of rEc2InstanceRole, policy ${BOUNDARY}, is outside the input`,
    ]);
  });
});

describe("a role that attachments picked by count.index may name", () => {
  it("gives each reason once, not once per action", () => {
    const result = lintPlan(join(import.meta.dirname, "../../fixtures/terraform/count-indexed-attachments/plan.json"));
    const unknowns = result.findings.filter((f) => f.ruleId === "SD503").flatMap((f) => f.unknowns.map((u) => u.message));
    expect(unknowns.length).toBeGreaterThan(0);
    expect(new Set(unknowns).size).toBe(unknowns.length);
  });
});
