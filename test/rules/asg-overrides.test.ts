/**
 * An Auto Scaling group's mixed instances policy may launch some instance types from a launch template an override
 * names. Those instances are an element of their own ("group (template)"): before, only the group's own template was
 * read, the override's was "launched by something outside", and the group passed although its m6g instances could
 * never register (fixtures/cloudformation/imds-disabled/bad-asg-override-launch-template.yaml for CloudFormation).
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { runRules } from "../../src/engine/run.js";
import { unknown } from "../../src/model/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../src/sources/terraform-config/load.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/terraform/good-asg-launch-template/main.tf"), "utf8");

beforeAll(async () => {
  await initHclParser();
});

function lint(text: string) {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-asg-override-"));
  writeFileSync(join(dir, "main.tf"), text);
  return runRules(loadTerraformConfiguration(dir, { dhmc: unknown("outside", "static input cannot see DHMC"), env: {} }), RULES, {
    today: "2026-01-01",
  });
}

describe("a mixed instances policy whose override names a launch template", () => {
  const own = '  launch_template {\n    id      = aws_launch_template.app.id\n    version = "$Latest"\n  }\n';
  const mixed = (override: string) =>
    GOOD.replace(
      own,
      `  mixed_instances_policy {
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.app.id
      }
      override {
        instance_type = "t3.micro"
      }
      override {
        instance_type = "m6g.medium"
${override}      }
    }
  }
`,
    ) +
    `
resource "aws_launch_template" "arm" {
  name_prefix            = "arm-"
  image_id               = data.aws_ssm_parameter.al2023.value
  vpc_security_group_ids = [aws_security_group.instance.id]

  iam_instance_profile {
    name = aws_iam_instance_profile.instance.name
  }

  metadata_options {
    http_endpoint = "disabled"
  }
}
`;

  it("launches those instance types from it: an element of its own, checked in the group's subnets", () => {
    expect(GOOD).toContain(own);
    const result = lint(
      mixed("        launch_template_specification {\n          launch_template_id = aws_launch_template.arm.id\n        }\n"),
    );
    expect(result.instances.map((i) => [i.name, i.status])).toEqual([
      ["aws_autoscaling_group.app", "pass"],
      ["aws_autoscaling_group.app (aws_launch_template.arm)", "fail"],
    ]);
    expect(result.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toEqual(["SD104"]);
  });

  it("an override without a template of its own adds nothing", () => {
    const result = lint(mixed(""));
    expect(result.instances.map((i) => i.name)).toEqual(["aws_autoscaling_group.app", "aws_launch_template.arm"]);
  });
});
