/**
 * aws_iam_role_policy_attachments_exclusive / aws_iam_role_policies_exclusive own a role's managed or inline policies:
 * what they do not list is removed on every apply. Before, they were not read and a role that ends without the
 * agent's permissions passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initHclParser } from "../../src/sources/terraform-config/load.js";
import { lintConfigurationText, lintPlan } from "../helpers/terraform.js";

const FIXTURE = join(import.meta.dirname, "../../fixtures/terraform/role-attachments-exclusive");
const BASE = readFileSync(join(import.meta.dirname, "../../fixtures/terraform/good-private-endpoints/main.tf"), "utf8");

beforeAll(async () => {
  await initHclParser();
});

const statusOf = (text: string) => lintConfigurationText(text).instances.map((i) => i.status);

describe("exclusive policy resources", () => {
  it("attachments_exclusive listing nothing detaches the core policy: SD503 on the role, in the plan", () => {
    const result = lintPlan(join(FIXTURE, "plan.json"), { tfRoot: FIXTURE });
    expect(result.findings.map((f) => [f.ruleId, f.subject.key])).toEqual([["SD503", "aws_iam_role.instance"]]);
  });

  it("listing the core policy keeps it; an unknown list leaves the role open", () => {
    const exclusive = (arns: string) =>
      `${BASE}\nresource "aws_iam_role_policy_attachments_exclusive" "instance" {\n  role_name   = aws_iam_role.instance.name\n  policy_arns = ${arns}\n}\n`;
    expect(statusOf(exclusive('["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]'))).toEqual(["pass"]);
    expect(statusOf(`${exclusive("var.arns")}\nvariable "arns" {\n  type = list(string)\n}\n`)).toEqual(["unknown"]);
  });

  it("policies_exclusive keeps only the inline policies it names", () => {
    const inline = BASE.replace(
      /resource "aws_iam_role_policy_attachment" "core" \{[^}]*\}/,
      'resource "aws_iam_role_policy" "agent" {\n  name   = "agent"\n  role   = aws_iam_role.instance.id\n  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = ["ssm:UpdateInstanceInformation", "ssmmessages:*"], Resource = "*" }] })\n}',
    );
    expect(inline).toContain('resource "aws_iam_role_policy" "agent"');
    expect(statusOf(inline)).toEqual(["pass"]);
    const exclusive = (names: string) =>
      `${inline}\nresource "aws_iam_role_policies_exclusive" "instance" {\n  role_name    = aws_iam_role.instance.name\n  policy_names = ${names}\n}\n`;
    expect(statusOf(exclusive('["agent"]'))).toEqual(["pass"]);
    expect(statusOf(exclusive("[]"))).toEqual(["fail"]);
  });

  it("managed_policy_arns on the role, when configured (even []), is exclusive too", () => {
    const role = 'resource "aws_iam_role" "instance" {\n';
    expect(BASE).toContain(role);
    const withArns = (arns: string) => BASE.replace(role, `${role}  managed_policy_arns = ${arns}\n`);
    expect(statusOf(withArns("[]"))).toEqual(["fail"]);
    expect(statusOf(withArns('["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"]'))).toEqual(["pass"]);
    expect(statusOf(BASE)).toEqual(["pass"]);
  });

  it("aws_iam_policy_attachment revokes its policy from every role it does not list", () => {
    const other = `${BASE}\nresource "aws_iam_role" "other" {\n  name               = "other"\n  assume_role_policy = aws_iam_role.instance.assume_role_policy\n}\n`;
    const attachment = (roles: string) =>
      `${other}\nresource "aws_iam_policy_attachment" "core" {\n  name       = "core"\n  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"\n  roles      = ${roles}\n}\n`;
    expect(statusOf(attachment("[aws_iam_role.other.name]"))).toEqual(["fail"]);
    expect(statusOf(attachment("[aws_iam_role.other.name, aws_iam_role.instance.name]"))).toEqual(["pass"]);
  });
});
