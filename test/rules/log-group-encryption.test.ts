/**
 * With cloudWatchEncryptionEnabled the agent starts a session only when a KMS key encrypts the log group the
 * preferences name. Before, the setting was read and never used: sessions the agent refuses passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { initHclParser } from "../../src/sources/terraform-config/load.js";
import { lintText } from "../helpers/lint.js";
import { lintConfigurationText } from "../helpers/terraform.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");
const BAD = readFileSync(join(FIXTURES, "cloudformation/session-logging-unreachable/bad-cloudwatch-log-group-not-encrypted.yaml"), "utf8");
const sd601 = (text: string) =>
  lintText("logs.yaml", text, { region: "us-east-1" })
    .findings.filter((f) => f.ruleId === "SD601")
    .map((f) => [f.messageId, f.verdict]);

beforeAll(async () => {
  await initHclParser();
});

describe("a log group the preferences require to be encrypted", () => {
  it("in a template: no KMS key fails; a key passes; a group not in the template, or encryption not required, says so", () => {
    expect(sd601(BAD)).toEqual([["logGroupNotEncrypted", "fail"]]);
    expect(
      sd601(
        BAD.replace("      RetentionInDays: 30", "      KmsKeyId: !Ref SessionKeyArn").replace(
          "Parameters:\n",
          "Parameters:\n  SessionKeyArn:\n    Type: String\n",
        ),
      ),
    ).toEqual([]);
    const elsewhere = BAD.replace(/ {2}rSessionLogs:[\s\S]*$/, "");
    expect(sd601(elsewhere)).toEqual([["unknownLogGroupEncryption", "unknown"]]);
    expect(lintText("logs.yaml", elsewhere, { region: "us-east-1" }).instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(sd601(BAD.replace("cloudWatchEncryptionEnabled: true", "cloudWatchEncryptionEnabled: false"))).toEqual([]);
  });

  it("in a Terraform configuration: aws_cloudwatch_log_group without kms_key_id fails; with one (known after apply) passes", () => {
    const dir = join(FIXTURES, "terraform/session-logging-unreachable");
    const text = readFileSync(join(dir, "main.tf"), "utf8")
      .replace(
        '      s3BucketName        = "session-logs-123456789012"',
        '      cloudWatchLogGroupName      = "/ssm/sessions"\n      cloudWatchEncryptionEnabled = true',
      )
      .replace("      s3EncryptionEnabled = true\n", "");
    const findings = (extra: string) =>
      lintConfigurationText(text + extra).findings.filter((f) => f.ruleId === "SD601" && /loggroup/i.test(f.messageId));
    expect(
      findings('\nresource "aws_cloudwatch_log_group" "sessions" {\n  name = "/ssm/sessions"\n}\n').map((f) => [
        f.messageId,
        f.subject.key,
      ]),
    ).toEqual([["logGroupNotEncrypted", "aws_cloudwatch_log_group.sessions"]]);
    expect(
      findings(
        '\nresource "aws_kms_key" "logs" {}\n\nresource "aws_cloudwatch_log_group" "sessions" {\n  name       = "/ssm/sessions"\n  kms_key_id = aws_kms_key.logs.arn\n}\n',
      ),
    ).toEqual([]);
  });
});
