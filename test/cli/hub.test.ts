/**
 * Hub and spoke in templates and plans, through the built CLI: a default route to a transit gateway is unknown
 * without a hub declaration, and judged hop by hop with one (fixtures/hub/*.ssm-doctor.yaml). The failures
 * on the spoke's side (security group, ACL, route, VPC DNS support) are found either way they can be; a
 * declaration never hides one. A bad hub declaration is exit 2 naming the key.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const TEMPLATE = "fixtures/cloudformation/hub-and-spoke/tgw-default-route.yaml";
const PLAN_DIR = "fixtures/terraform/hub-tgw-default-route";
const ENDPOINTS = "fixtures/hub/endpoints.ssm-doctor.yaml";
const EGRESS = "fixtures/hub/egress.ssm-doctor.yaml";

interface Report {
  instances: { key: string; status: string }[];
  findings: {
    ruleId: string;
    verdict: string;
    messageId: string;
    subject: { key: string };
    message: string;
    evidence: { text: string }[];
  }[];
}

function lint(args: string[], cwd = ROOT) {
  const r = spawnSync(process.execPath, [BIN, "lint", ...args], { cwd, encoding: "utf8", env: { PATH: process.env.PATH ?? "" } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]): { code: number; report: Report } {
  const r = lint([...args, "--format", "json"]);
  expect(r.stderr).toBe("");
  return { code: r.code, report: JSON.parse(r.stdout).files[0] };
}

const statuses = (r: Report) => Object.fromEntries(r.instances.map((i) => [i.key, i.status]));
const failures = (r: Report) =>
  r.findings
    .filter((f) => f.verdict === "fail")
    .map((f) => `${f.ruleId} ${f.subject.key}`)
    .sort();

describe("CloudFormation: a spoke whose default route goes to a transit gateway", () => {
  const args = [TEMPLATE, "--region", "us-east-1"];
  const spokeFailures = ["SD201 rIsolatedRouteTable", "SD301 rSshOnlySecurityGroup", "SD401 rDarkVpc"];

  it("without a hub declaration the healthy instance is unknown, never passing", () => {
    const { code, report } = json(args);
    expect(code).toBe(1);
    expect(statuses(report)).toEqual({ rApp: "unknown", rSshOnly: "fail", rIsolated: "fail", rDark: "fail" });
    expect(failures(report)).toEqual(spokeFailures);
    const note = report.findings.find((f) => f.verdict === "unknown" && f.ruleId === "SD201")!;
    expect(note.message).toContain("whether that reaches the internet is outside this input");
  });

  it("with the hub declared as centralised endpoints, each instance is judged hop by hop", () => {
    const { code, report } = json([...args, "--config", ENDPOINTS]);
    expect(code).toBe(1);
    expect(statuses(report)).toEqual({ rApp: "pass", rSshOnly: "fail", rIsolated: "fail", rDark: "fail" });
    expect(failures(report)).toEqual(spokeFailures);
    expect(report.findings.filter((f) => f.verdict === "unknown")).toEqual([]);
    // The isolated subnet's table has no route to the hub: the message says so, not "add an endpoint".
    const sd201 = report.findings.find((f) => f.ruleId === "SD201")!;
    expect(sd201.messageId).toBe("noRouteToHub");
    expect(sd201.evidence.map((e) => e.text)).toContain(
      "rIsolatedRouteTable has no route to a transit gateway or peering connection for 10.100.0.0/16",
    );
    const human = lint([...args, "--config", ENDPOINTS, "--no-color"]);
    expect(human.stdout).toContain("✓ rApp");
    expect(human.stdout).toContain("fix (CloudFormation):\n      HubRoute:");
  });

  it("with the hub declared as the way to the internet, the default route is judged as an internet path", () => {
    const { code, report } = json([...args, "--config", EGRESS]);
    expect(code).toBe(1);
    expect(statuses(report)).toEqual({ rApp: "pass", rSshOnly: "fail", rIsolated: "fail", rDark: "fail" });
    expect(failures(report)).toEqual(spokeFailures);
  });
});

describe("Terraform plan: a spoke whose default route goes to a transit gateway", () => {
  const args = [join(PLAN_DIR, "plan.json"), "--tf-root", PLAN_DIR];

  it("without a hub declaration the network ACL behind the unknown route is not judged", () => {
    const { report } = json(args);
    expect(statuses(report)).toEqual({
      "aws_instance.app": "unknown",
      "aws_instance.ssh_only": "fail",
      "aws_instance.fenced": "unknown",
      "aws_instance.dark": "fail",
    });
    expect(failures(report)).toEqual(["SD301 aws_security_group.ssh_only", "SD401 aws_vpc.dark"]);
  });

  it.each([ENDPOINTS, EGRESS])("with %s the ACL dropping the replies fails and the healthy instance passes", (config) => {
    const { code, report } = json([...args, "--config", config]);
    expect(code).toBe(1);
    expect(statuses(report)).toEqual({
      "aws_instance.app": "pass",
      "aws_instance.ssh_only": "fail",
      "aws_instance.fenced": "fail",
      "aws_instance.dark": "fail",
    });
    expect(failures(report)).toEqual(["SD301 aws_security_group.ssh_only", "SD304 aws_network_acl.fenced", "SD401 aws_vpc.dark"]);
  });
});

describe("a bad hub declaration: one line naming the key, exit 2", () => {
  it.each([
    ["hubs:\n  - transitGateways: [tgw-1]\n    endpoints: [ssm]\n", "hubs.0.cidr"],
    ["hubs:\n  - transitGateways: [tgw-1]\n    cidr: 10.100.0.0\n    endpoints: [ssm]\n", "hubs.0.cidr"],
    ["hubs:\n  - transitGateways: [tgw-1]\n    cidr: 10.100.0.0/16\n    endpoints: [ssm, sqs]\n", "hubs.0.endpoints.1"],
    ["hubs:\n  - cidr: 10.100.0.0/16\n    endpoints: [ssm]\n", "hubs.0.transitGateways"],
    ["hubs:\n  - transitGateways: [tgw-1]\n", "hubs.0.endpoints"],
    ["hubs:\n  - transitGateways: [tgw-1]\n    internet: true\n    account: 4444\n", "hubs.0.account"],
    ["hubs:\n  - transitGateways: [tgw-1]\n    internet: true\n    account: 012345678901\n", "hubs.0.account"],
    ["hubs:\n  - transitGateway: tgw-1\n    internet: true\n", "hubs.0.transitGateway"],
  ])("%j → %s", (config, key) => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-hub-"));
    writeFileSync(join(dir, ".ssm-doctor.yaml"), config);
    const r = lint([join(ROOT, TEMPLATE)], dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
    expect(r.stderr).toContain(`invalid configuration at ${key}:`);
  });

  it("an unquoted account id of 12 digits is read as it is", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-hub-"));
    writeFileSync(join(dir, ".ssm-doctor.yaml"), "hubs:\n  - transitGateways: [tgw-1]\n    internet: true\n    account: 444455556666\n");
    expect(lint([join(ROOT, TEMPLATE), "--region", "us-east-1"], dir).code).toBe(1);
  });
});
