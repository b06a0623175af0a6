/**
 * Policies scoped to resources the agent's calls do not name grant nothing to the agent: an endpoint policy or a
 * role's policy that allows the agent's actions only on SSM documents or parameters is a failure, not a pass
 * (ssmmessages and ec2messages actions take Resource "*" only; ssm:UpdateInstanceInformation names the instance).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lintText } from "../helpers/lint.js";

const GOOD = readFileSync(join(import.meta.dirname, "../../fixtures/cloudformation/seed-000/good.yaml"), "utf8");

/** good.yaml with a policy on its ssm endpoint (the first VPCEndpoint's properties). */
function withEndpointPolicy(resource: string, principal = '"*"'): string {
  const text = GOOD.replace(
    "      ServiceName: !Sub com.amazonaws.${AWS::Region}.ssm\n",
    `      ServiceName: !Sub com.amazonaws.\${AWS::Region}.ssm
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: ${principal}
            Action: ["ssm:*", "ssmmessages:*", "ec2messages:*"]
            Resource: ${resource}
`,
  );
  expect(text).toContain("PolicyDocument");
  return text;
}

describe("an endpoint policy scoped to SSM documents", () => {
  it("fails SD206: the agent's registration names the instance, not a document", () => {
    const result = lintText("scoped.yaml", withEndpointPolicy('"arn:aws:ssm:*:*:document/*"'), { region: "us-east-1" });
    expect(result.instances.map((i) => i.status)).toEqual(["fail"]);
    expect(result.findings.filter((f) => f.verdict === "fail").map((f) => f.ruleId)).toContain("SD206");
  });

  it('passes with Resource "*"', () => {
    const result = lintText("open.yaml", withEndpointPolicy('"*"'), { region: "us-east-1" });
    expect(result.instances.map((i) => i.status)).toEqual(["pass"]);
  });
});

describe("an endpoint policy's principals", () => {
  const lint = (principal: string) => lintText("principal.yaml", withEndpointPolicy('"*"', principal), { region: "us-east-1" });

  it.each([['{ AWS: "*" }'], ['{ AWS: ["arn:aws:iam::111122223333:root", "*"] }']])("%s names every principal: pass", (principal) => {
    expect(lint(principal).instances.map((i) => i.status)).toEqual(["pass"]);
  });

  it("a role of the account may or may not be the instance's: unknown, saying so", () => {
    const result = lint("{ AWS: arn:aws:iam::111122223333:role/ops }");
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    const finding = result.findings.find((f) => f.ruleId === "SD206");
    expect(finding?.verdict).toBe("unknown");
    expect(JSON.stringify(finding)).toContain("applies only to some principals, which may not include the instance's role");
  });

  it("a service only names none of the agent's calls: SD206 fails, and says no statement allows them", () => {
    const result = lint("{ Service: ec2.amazonaws.com }");
    const finding = result.findings.find((f) => f.ruleId === "SD206" && f.verdict === "fail");
    expect(finding).toBeDefined();
    // The statement's Resource is "*": it is the principal, not the resource, that keeps it from applying.
    expect(finding!.evidence.map((e) => e.code)).toContain("iam-not-allowed");
    expect(finding!.evidence.map((e) => e.code)).not.toContain("iam-allowed-elsewhere");
  });
});
