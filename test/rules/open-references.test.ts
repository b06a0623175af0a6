/**
 * CloudFormation resources that name their target through a condition left open (a parameter without a default) are
 * not dropped: the elements they may name are unknown, and deciding the condition decides them
 * (fixtures/cloudformation/open-references, from cases that passed or failed wrongly before).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const DIR = join(import.meta.dirname, "../../fixtures/cloudformation/open-references");

/** [fixture, parameter, value that gives the failing deployment, value that gives the passing one, what the note says]. */
const CASES: [string, string, string, string, string][] = [
  ["select-index-acl-association", "pIdx", "1", "0", "rBlockAssoc may give this subnet a network ACL"],
  ["dhcp-association-vpc-if", "pUseCorpDns", "true", "false", "may associate DHCP options with this VPC"],
  ["iam-policy-roles-if", "pLockdown", "yes", "no", "rDenyPolicy may attach its policy to this role"],
  ["iam-managed-policy-roles-if", "pLockdown", "yes", "no", "rDenyManaged may attach its policy to this role"],
  ["iam-role-policy-rolename-if", "pLockdown", "yes", "no", "rDenyRolePolicy may attach its policy to this role"],
  ["sg-egress-groupid-if", "pLockdown", "yes", "no", "the default allow-all egress rule stays only if"],
  ["sg-ingress-groupid-if", "pLockdown", "yes", "no", "adds this ingress rule to a group the template does not name"],
];

describe("a reference left open by a condition", () => {
  it.each(CASES)("%s: unknown, with why; decided by %s", (name, parameter, failing, passing, why) => {
    const file = `${name}.yaml`;
    const text = readFileSync(join(DIR, file), "utf8");
    const open = lintText(file, text, { region: "us-east-1" });
    expect(open.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(open.findings.filter((f) => f.verdict === "fail")).toEqual([]);
    expect(JSON.stringify(open.findings)).toContain(why);
    const decided = (value: string) =>
      lintText(file, text, { region: "us-east-1", parameters: { [parameter]: value } }).instances.map((i) => i.status);
    // The DHCP options only warn (SD403): the servers may forward amazonaws.com.
    expect(decided(failing)).toEqual([name.startsWith("dhcp") ? "warn" : "fail"]);
    expect(decided(passing)).toEqual(["pass"]);
  });
});
