/**
 * A nested stack given a security group of the template (in its Parameters) may add egress rules to it, which
 * removes the default allow-all egress rule. Its template is not read, so a group that relies on the default rule is
 * not known to allow 443. Before, only an info note named the nested stack, and the instance passed.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const FILE = join(import.meta.dirname, "../../fixtures/cloudformation/nested-stacks/given-group-without-egress.yaml");
const TEXT = readFileSync(FILE, "utf8");
const lint = (text: string) => lintText("nested.yaml", text, { region: "us-east-1" });

describe("a nested stack given a security group", () => {
  it("leaves a group that relies on the default egress rule unknown, and says why", () => {
    const result = lint(TEXT);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const sd301 = result.findings.find((f) => f.ruleId === "SD301");
    expect(sd301?.verdict).toBe("unknown");
    expect(JSON.stringify(sd301)).toContain(
      "the nested stack Nested is given this group (parameter GroupId) and may add egress rules to it",
    );
  });

  it("changes nothing for a group with egress rules of its own", () => {
    const anchor = "      GroupDescription: app\n";
    expect(TEXT).toContain(anchor);
    const own = TEXT.replace(
      anchor,
      `${anchor}      SecurityGroupEgress:\n      - { IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0 }\n`,
    );
    expect(lint(own).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("without the group among its parameters, the instance passes", () => {
    const without = TEXT.replace(/ {6}Parameters:\n {8}GroupId:\n {10}Fn::GetAtt:\n {10}- Sg\n {10}- GroupId\n/, "");
    expect(without).not.toBe(TEXT);
    expect(lint(without).instances.map((i) => i.status)).toEqual(["pass"]);
  });
});
