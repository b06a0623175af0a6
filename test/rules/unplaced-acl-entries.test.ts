/**
 * Network ACL entries whose ACL the input does not name are not dropped: each ACL of the input may hold them. A deny
 * leaves the ACL hops unknown; entries that all allow leave a passing ACL passing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { runRules } from "../../src/engine/run.js";
import { unknown } from "../../src/model/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../src/sources/terraform-config/load.js";
import { lintText } from "../helpers/lint.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures");
const DENIED = readFileSync(join(FIXTURES, "cloudformation/nacl-blocks-https/bad-instance-outbound-443-denied.yaml"), "utf8");

/** The template whose instance ACL denies HTTPS out, with that entry's NetworkAclId replaced by `acl`. */
function denyOn(acl: string, extra = { parameters: "", conditions: "" }): string {
  const start = DENIED.indexOf("  rInstanceAclOutDenyHttps:");
  const end = DENIED.indexOf("  rInstanceAclOutAll:");
  const entry = DENIED.slice(start, end).replace("NetworkAclId: !Ref rInstanceAcl", `NetworkAclId: ${acl}`);
  const text = (DENIED.slice(0, start) + entry + DENIED.slice(end))
    .replace("Parameters:\n", `Parameters:\n${extra.parameters}`)
    .replace("Resources:\n", `${extra.conditions}Resources:\n`);
  expect(text).toContain(`NetworkAclId: ${acl}`);
  return text;
}

const CONDITION = {
  parameters: '  pStrict:\n    Type: String\n    AllowedValues: ["true", "false"]\n',
  conditions: 'Conditions:\n  cStrict: !Equals [!Ref pStrict, "true"]\n',
};

describe("CloudFormation: an entry whose NetworkAclId depends on a condition that cannot be decided", () => {
  const text = denyOn("!If [cStrict, !Ref rInstanceAcl, !Ref rEndpointAcl]", CONDITION);

  it("leaves the ACL hops unknown, naming the entry and the condition", () => {
    const result = lintText("if-acl.yaml", text);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const finding = result.findings.find((f) => f.ruleId === "SD304");
    expect(finding?.verdict).toBe("unknown");
    expect(finding?.unknowns.map((u) => u.message)).toEqual([
      expect.stringMatching(/^rInstanceAclOutDenyHttps adds egress entries to a network ACL the template does not name \(.*cStrict/),
    ]);
  });

  it("fails once the condition is decided for the instance's ACL, and passes for the other", () => {
    expect(lintText("if-acl.yaml", text, { parameters: { pStrict: "true" } }).instances.map((i) => i.status)).toEqual(["fail"]);
    expect(lintText("if-acl.yaml", text, { parameters: { pStrict: "false" } }).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("an entry imported from another stack names an ACL elsewhere: the template's ACLs are as written", () => {
    const result = lintText("import-acl.yaml", denyOn("!ImportValue shared-acl-id"));
    expect(result.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});

describe("CloudFormation: an association whose SubnetId depends on a condition that cannot be decided", () => {
  // The instance's subnet is given the ACL that denies HTTPS out, or, the condition false, a subnet of another stack is.
  const start = DENIED.indexOf("  rInstanceAclAssociation:");
  const end = DENIED.indexOf("  rInstanceAclOutDenyHttps:");
  const association = DENIED.slice(start, end).replace(
    "SubnetId: !Ref rPrivateSubnet",
    "SubnetId: !If [cStrict, !Ref rPrivateSubnet, !ImportValue shared-subnet-id]",
  );
  const text = (DENIED.slice(0, start) + association + DENIED.slice(end))
    .replace("Parameters:\n", `Parameters:\n${CONDITION.parameters}`)
    .replace("Resources:\n", `${CONDITION.conditions}Resources:\n`);

  it("leaves the subnet's ACL unknown instead of its VPC's default", () => {
    expect(text).toContain("!ImportValue shared-subnet-id");
    const result = lintText("if-association.yaml", text);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(result.findings.find((f) => f.ruleId === "SD304")?.unknowns.map((u) => u.message)).toEqual([
      expect.stringMatching(/^rInstanceAclAssociation may give this subnet a network ACL \(.*cStrict/),
    ]);
  });

  it("fails or passes once the condition is decided", () => {
    expect(lintText("if-association.yaml", text, { parameters: { pStrict: "true" } }).instances.map((i) => i.status)).toEqual(["fail"]);
    expect(lintText("if-association.yaml", text, { parameters: { pStrict: "false" } }).instances.map((i) => i.status)).toEqual(["pass"]);
  });
});

describe("Terraform: a rule whose ACL comes from a data source read at apply", () => {
  beforeAll(async () => {
    await initHclParser();
  });
  const text = readFileSync(join(FIXTURES, "terraform/acl-rule-from-data-source/main.tf"), "utf8");

  it("that allows leaves the passing ACLs passing", () => {
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-acl-allow-"));
    const allowing = text.replace('rule_action    = "deny"', 'rule_action    = "allow"');
    expect(allowing).toContain('rule_action    = "allow"');
    writeFileSync(join(tmp, "main.tf"), allowing);
    const world = loadTerraformConfiguration(tmp, { dhmc: unknown("outside", "static input cannot see DHMC") });
    const result = runRules(world, RULES, { today: "2026-01-01" });
    expect(result.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
