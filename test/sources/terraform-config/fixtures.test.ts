/**
 * Every Terraform fixture's main.tf, read without a plan, gives exactly the findings its plan gives:
 * verdict, rule, subject, and the .tf file and line of the location. (Each fixture's plan was made from
 * that main.tf with a loopback fake of the three AWS answers a plan needs, so nothing in these plans is
 * known only to the plan; the corpus test shows where a configuration alone knows less.)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../../rules/index.js";
import type { Finding } from "../../../src/engine/run.js";
import { runRules } from "../../../src/engine/run.js";
import { unknown } from "../../../src/model/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../../src/sources/terraform-config/load.js";
import { lintPlan } from "../../helpers/terraform.js";

const ROOT = "fixtures/terraform";
const dhmc = unknown("outside", "static input cannot see DHMC");

function lintConfiguration(dir: string) {
  const world = loadTerraformConfiguration(dir, { dhmc });
  return runRules(world, RULES, { today: "2026-01-01" });
}

const summary = (findings: Finding[]) =>
  findings
    .map(
      (f) =>
        `${f.verdict} ${f.ruleId} ${f.subject.key} ${f.location.file}:${f.location.region?.startLine ?? "?"}${f.suppression ? " suppressed" : ""}`,
    )
    .sort();

beforeAll(async () => {
  await initHclParser();
});

describe("a configuration gives the findings of its plan", () => {
  for (const name of readdirSync(ROOT).sort()) {
    it(name, () => {
      const dir = join(ROOT, name);
      const fromPlan = summary(lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir }).findings);
      const fromConfig = summary(lintConfiguration(dir).findings);
      expect(fromConfig).toEqual(fromPlan);
    });
  }
});

describe("a data source's attribute that the configuration refers to", () => {
  // Without a plan the attribute is not known, and says when Terraform reads it: at apply here, as the data source's
  // filter names a VPC the configuration creates (not "not a subnet", as before, for an attribute the .tf does not set
  // such as ids).
  it.each([
    [
      "acl-subnets-from-data-source",
      "SD304",
      "ids of data.aws_subnets.private is read from the account when Terraform applies, since an argument is known only then",
    ],
    [
      "route-table-subnet-from-data-source",
      "SD201",
      "id of data.aws_subnet.isolated is read from the account when Terraform applies, since an argument is known only then",
    ],
  ])("%s: the unknown %s names when the data source is read", (name, rule, said) => {
    const finding = lintConfiguration(join(ROOT, name)).findings.find((f) => f.ruleId === rule);
    expect(finding?.verdict).toBe("unknown");
    expect(JSON.stringify(finding)).toContain(said);
    expect(JSON.stringify(finding)).toContain("run ssm-doctor check against the account after apply");
  });
});

describe("a for expression with an if clause", () => {
  // good-nat-gateway with two instance groups made by count, only the second letting HTTPS out, and the instance
  // given `[for g in aws_security_group.instance : g.id if g.tags.Use == "yes"]`, which keeps the first: Terraform
  // would give the instance no egress. Which groups the if clause keeps is not followed, so neither may be counted
  // on (before, both were, and the instance passed).
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-for-if-"));
  const text = readFileSync(join(ROOT, "good-nat-gateway/main.tf"), "utf8")
    .replace(
      `resource "aws_security_group" "instance" {
  name_prefix = "instance-"
  vpc_id      = aws_vpc.main.id

  egress {`,
      `resource "aws_security_group" "instance" {
  count       = 2
  name_prefix = "instance-"
  vpc_id      = aws_vpc.main.id
  tags        = { Use = count.index == 0 ? "yes" : "no" }

  dynamic "egress" {
    for_each = count.index == 1 ? [1] : []
    content {`,
    )
    .replace(
      `    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
      `    cidr_blocks = ["0.0.0.0/0"]
    }
  }
}`,
    )
    .replace(
      "vpc_security_group_ids = [aws_security_group.instance.id]",
      'vpc_security_group_ids = [for g in aws_security_group.instance : g.id if g.tags.Use == "yes"]',
    );
  writeFileSync(join(dir, "main.tf"), text);

  it("leaves the instance's groups, and its egress, not known rather than passing on a group it may not have", () => {
    expect(text).toContain("if g.tags.Use");
    expect(text).toContain('dynamic "egress"');
    const result = lintConfiguration(dir);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(result.findings)).toContain(
      "vpc_security_group_ids of aws_instance.app keeps those of the 2 instances of aws_security_group.instance (aws_security_group.instance[0], aws_security_group.instance[1]) that the if clause of a for expression lets through",
    );
  });
});

describe("an argument known only through for_each", () => {
  // route-table-subnet-from-data-source with the association made by for_each over the instance's subnet
  // (`subnet_id = each.value.id`): the instance's subnet uses the table without routes. The argument was written
  // as neither a constant nor references, so the association looked unset and the instance passed on the main table.
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-for-each-"));
  const text = readFileSync(join(ROOT, "route-table-subnet-from-data-source/main.tf"), "utf8").replace(
    `data "aws_subnet" "isolated" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.1.0/24"
  depends_on = [aws_subnet.private]
}

resource "aws_route_table_association" "isolated" {
  subnet_id      = data.aws_subnet.isolated.id`,
    `resource "aws_route_table_association" "isolated" {
  for_each       = { private = aws_subnet.private }
  subnet_id      = each.value.id`,
  );
  writeFileSync(join(dir, "main.tf"), text);

  it("is not known, and the instance does not pass", () => {
    expect(text).toContain("each.value.id");
    const result = lintConfiguration(dir);
    expect(result.instances.map((i) => i.status)).not.toContain("pass");
    expect(result.findings.find((f) => f.ruleId === "SD201")?.verdict).not.toBe("pass");
  });
});

describe("a subnet from a variable, beside the subnet the configuration creates", () => {
  // existing-subnet-conditional: subnet_id = var.existing_subnet_id != "" ? var.existing_subnet_id : aws_subnet.private.id,
  // with the variable set. The instance is in a subnet outside the input; neither the plan nor the configuration may place
  // it in aws_subnet.private (before, both did, and it passed on a network it is not in).
  const dir = join(ROOT, "existing-subnet-conditional");
  it.each([
    ["the plan", () => lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir })],
    ["the configuration", () => lintConfiguration(dir)],
  ])("%s: the instance's path is not known, and the finding names the subnet it is in", (_, lint) => {
    const result = lint();
    expect(result.instances.map((i) => [i.key, i.status])).toEqual([["aws_instance.app", "unknown"]]);
    const finding = result.findings.find((f) => f.ruleId === "SD201");
    expect(finding?.verdict).toBe("unknown");
    expect(JSON.stringify(finding)).toContain("subnet_id of aws_instance.app is subnet-0123456789abcdef0, a subnet not in this plan");
  });
});

describe("security groups that count.index or each.key keeps or leaves out", () => {
  // sg-chosen-by-condition: vpc_security_group_ids = concat([aws_security_group.instance.id], count.index == 0 ?
  // [aws_security_group.https_out.id] : []). The plan JSON keeps the references, not the condition: app[1] lacks the
  // group that lets HTTPS out, and the build before gave it both groups and passed it.
  const dir = join(ROOT, "sg-chosen-by-condition");
  it.each([
    ["the plan", () => lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir })],
    ["the configuration", () => lintConfiguration(dir)],
  ])("%s: neither instance passes, and the finding names the groups in doubt", (_, lint) => {
    const result = lint();
    expect(result.instances.map((i) => [i.key, i.status])).toEqual([
      ["aws_instance.app[0]", "unknown"],
      ["aws_instance.app[1]", "unknown"],
    ]);
    const egress = result.findings.filter((f) => f.ruleId === "SD301");
    expect(egress.map((f) => f.verdict)).toEqual(["unknown", "unknown"]);
    expect(JSON.stringify(egress[1])).toContain(
      "vpc_security_group_ids of aws_instance.app[1] may or may not hold aws_security_group.https_out: count.index decides",
    );
  });

  it("each.key choosing between two groups: neither instance passes", () => {
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-each-key-"));
    const text = readFileSync(join(dir, "main.tf"), "utf8")
      .replace("count                  = 2", 'for_each               = toset(["a", "b"])')
      .replace(
        /vpc_security_group_ids = concat\(.*\)/,
        'vpc_security_group_ids = each.key == "a" ? [aws_security_group.https_out.id] : [aws_security_group.instance.id]',
      );
    expect(text).toContain('each.key == "a"');
    writeFileSync(join(tmp, "main.tf"), text);
    const result = lintConfiguration(tmp);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown", "unknown"]);
    expect(JSON.stringify(result.findings)).toContain("may or may not hold aws_security_group.instance: each.key decides");
  });

  it("a group beside instances that count.index indexes stays certain", () => {
    // [aws_security_group.app[count.index].id, aws_security_group.common.id]: count.index indexes app; common is on
    // every instance (count-indexed-groups keeps its verdicts).
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-indexed-"));
    const text = readFileSync(join(dir, "main.tf"), "utf8").replace(
      /vpc_security_group_ids = concat\(.*\)/,
      "vpc_security_group_ids = [aws_security_group.per_instance[count.index].id, aws_security_group.https_out.id]",
    );
    writeFileSync(
      join(tmp, "main.tf"),
      `${text}\nresource "aws_security_group" "per_instance" {\n  count  = 2\n  vpc_id = aws_vpc.main.id\n}\n`,
    );
    const result = lintConfiguration(tmp);
    expect(result.instances.map((i) => i.status)).toEqual(["pass", "pass"]);
  });
});

describe("an interface endpoint that names no subnet", () => {
  // good-private-endpoints without subnet_ids: the endpoints have no network interface, and the build before passed.
  const good = readFileSync(join(ROOT, "good-private-endpoints", "main.tf"), "utf8");
  const withoutSubnets = good.replace(/^\s*subnet_ids\s*=.*\n/m, "");

  it("fails SD201 for each service, at the endpoint", () => {
    expect(withoutSubnets).not.toContain("subnet_ids");
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-no-subnets-"));
    writeFileSync(join(tmp, "main.tf"), withoutSubnets);
    const result = lintConfiguration(tmp);
    expect(result.instances.map((i) => i.status)).toEqual(["fail"]);
    const failing = result.findings.filter((f) => f.verdict === "fail");
    expect(failing.map((f) => [f.ruleId, f.subject.key])).toEqual([
      ["SD201", 'aws_vpc_endpoint.ssm["ssm"]'],
      ["SD201", 'aws_vpc_endpoint.ssm["ssmmessages"]'],
    ]);
    expect(failing.map((f) => f.messageId)).toEqual(["noInterfaces", "noInterfaces"]);
    expect(JSON.stringify(failing[0]!.evidence)).toContain("endpoint-no-subnets");
  });

  it("passes once subnet associations add the subnet", () => {
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-associated-"));
    const associations = ["ssm", "ssmmessages"]
      .map(
        (k) =>
          `resource "aws_vpc_endpoint_subnet_association" "${k}" {\n  vpc_endpoint_id = aws_vpc_endpoint.ssm["${k}"].id\n  subnet_id       = aws_subnet.private.id\n}\n`,
      )
      .join("");
    writeFileSync(join(tmp, "main.tf"), `${withoutSubnets}\n${associations}`);
    expect(lintConfiguration(tmp).instances.map((i) => i.status)).toEqual(["pass"]);
  });
});

describe("a network ACL rule whose ACL comes from a data source read at apply", () => {
  // acl-rule-from-data-source: network_acl_id = data.aws_network_acls.main.ids[0], a deny of HTTPS out. The build
  // before dropped the rule, since its ACL was not known, and passed an instance whose subnet's ACL it lands on.
  const dir = join(ROOT, "acl-rule-from-data-source");
  it.each([
    ["the plan", () => lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir })],
    ["the configuration", () => lintConfiguration(dir)],
  ])("%s: the ACL hops are not known, and the finding names the rule", (_, lint) => {
    const result = lint();
    expect(result.instances.map((i) => [i.key, i.status])).toEqual([["aws_instance.app", "unknown"]]);
    const finding = result.findings.find((f) => f.ruleId === "SD304");
    expect(finding?.verdict).toBe("unknown");
    expect(JSON.stringify(finding)).toContain(
      "aws_network_acl_rule.deny_https_out adds egress entries to a network ACL the plan does not name",
    );
  });

  it("a rule naming an ACL outside the plan by its id leaves the plan's ACLs as they are", () => {
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-acl-literal-"));
    const text = readFileSync(join(dir, "main.tf"), "utf8").replace(
      "network_acl_id = data.aws_network_acls.main.ids[0]",
      'network_acl_id = "acl-0123456789abcdef0"',
    );
    expect(text).toContain("acl-0123456789abcdef0");
    writeFileSync(join(tmp, "main.tf"), text);
    expect(lintConfiguration(tmp).instances.map((i) => i.status)).toEqual(["pass"]);
  });
});

describe("a resource whose target the configuration does not lead to (a data source read at apply, a local)", () => {
  // Before, such a resource was dropped unless it picked one of several elements: a DHCP association, a Deny
  // attachment, an adopted default ACL vanished (false passes) and an egress rule too (a false fail). Every element of
  // its kind in the plan may now be its target.
  it.each([
    [
      "dhcp-association-from-data-source",
      "dns",
      "aws_vpc_dhcp_options_association.main associates DHCP options with a VPC the plan does not name",
    ],
    [
      "iam-deny-through-local",
      "iam",
      "aws_iam_role_policy_attachment.deny attaches policies to a role the plan does not name (role of aws_iam_role_policy_attachment.deny",
    ],
    [
      "default-acl-through-local",
      "network",
      "aws_default_network_acl.lockdown manages the default network ACL of a VPC the plan does not name",
    ],
    [
      "sg-rule-from-data-source",
      "network",
      "aws_vpc_security_group_egress_rule.https adds egress rules to a security group the plan does not name (security_group_id of",
    ],
  ])("%s: the instance is unknown in the plan and in the configuration", (name, prerequisite, reason) => {
    const dir = join(ROOT, name);
    for (const result of [lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir }), lintConfiguration(dir)]) {
      expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
      expect(result.instances[0]!.checks.find((c) => c.prerequisite === prerequisite)?.status).toBe("unknown");
      expect(result.findings.filter((f) => f.verdict === "fail")).toEqual([]);
      if (reason) expect(JSON.stringify(result.findings)).toContain(reason);
    }
  });
});

describe("an aws_vpc_endpoint_policy resource", () => {
  // endpoint-policy-resource: it replaces the endpoint's own policy with a Deny of everything. The build before did not
  // read the resource and passed.
  const dir = join(ROOT, "endpoint-policy-resource");
  it.each([
    ["the plan", () => lintPlan(join(dir, "plan.json"), { dhmc, tfRoot: dir })],
    ["the configuration", () => lintConfiguration(dir)],
  ])("%s: its policy is the endpoint's, and SD206 fails", (_, lint) => {
    const result = lint();
    expect(result.instances.map((i) => i.status)).toEqual(["fail"]);
    expect(result.findings.filter((f) => f.verdict === "fail").map((f) => [f.ruleId, f.subject.key])).toEqual([
      ["SD206", 'aws_vpc_endpoint.ssm["ssm"]'],
    ]);
  });

  it("that names the endpoint through a local leaves its policy unknown", () => {
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-endpoint-policy-local-"));
    const text = readFileSync(join(dir, "main.tf"), "utf8").replace(
      'vpc_endpoint_id = aws_vpc_endpoint.ssm["ssm"].id',
      "vpc_endpoint_id = local.ssm_endpoint",
    );
    expect(text).toContain("local.ssm_endpoint");
    writeFileSync(join(tmp, "main.tf"), `${text}\nlocals {\n  ssm_endpoint = aws_vpc_endpoint.ssm["ssm"].id\n}\n`);
    const result = lintConfiguration(tmp);
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(result.findings)).toContain("aws_vpc_endpoint_policy.ssm sets the policy of an endpoint the plan does not name");
  });
});

describe("a resource whose count or for_each a configuration cannot decide", () => {
  // count = var.x ? 1 : 0 with var.x unset: one symbolic instance stands for it, and before it counted as created, so an
  // attachment of AmazonSSMManagedInstanceCore passed (and one of a Deny failed) whatever the variable would be.
  const good = readFileSync(join(ROOT, "good-private-endpoints", "main.tf"), "utf8");
  const text = good.replace(
    'resource "aws_iam_role_policy_attachment" "core" {\n',
    'variable "attach_core" {\n  type = bool\n}\n\nresource "aws_iam_role_policy_attachment" "core" {\n  count      = var.attach_core ? 1 : 0\n',
  );
  const lint = (vars: string[] = []) => {
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-count-"));
    writeFileSync(join(tmp, "main.tf"), text);
    const world = loadTerraformConfiguration(tmp, { dhmc, vars, env: {} });
    return runRules(world, RULES, { today: "2026-01-01" });
  };

  it("may not be created: what depends on it is unknown, and says which variable decides", () => {
    expect(text).toContain("count      = var.attach_core ? 1 : 0");
    const result = lint();
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(result.findings)).toContain(
      "whether aws_iam_role_policy_attachment.core is created is not known: its count is not (var.attach_core has no value",
    );
  });

  it("is decided by the variable", () => {
    expect(lint(["attach_core=true"]).instances.map((i) => i.status)).toEqual(["pass"]);
    expect(lint(["attach_core=false"]).instances.map((i) => i.status)).toEqual(["fail"]);
  });

  it("an association that may not be created gives what it associates as not known", () => {
    // custom-dns-servers with its DHCP options association under count = var.corp_dns ? 1 : 0: before, the corporate
    // servers were the VPC's whatever the variable (a warning even when it is false).
    const dns = readFileSync(join(ROOT, "custom-dns-servers", "main.tf"), "utf8").replace(
      'resource "aws_vpc_dhcp_options_association" "main" {\n',
      'variable "corp_dns" {\n  type = bool\n}\n\nresource "aws_vpc_dhcp_options_association" "main" {\n  count           = var.corp_dns ? 1 : 0\n',
    );
    expect(dns).toContain("var.corp_dns ? 1 : 0");
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-count-dhcp-"));
    writeFileSync(join(tmp, "main.tf"), dns);
    const status = (vars: string[]) =>
      runRules(loadTerraformConfiguration(tmp, { dhmc, vars, env: {} }), RULES, { today: "2026-01-01" }).instances.map((i) => i.status);
    expect(status([])).toEqual(["unknown"]);
    expect(status(["corp_dns=true"])).toEqual(["warn"]);
    expect(status(["corp_dns=false"])).toEqual(["pass"]);
  });

  it("a module call whose count is not known may not create what the module holds, down to its own modules", () => {
    // The attachment of AmazonSSMManagedInstanceCore in a local module (itself through a module of its own) called
    // with count = var.attach_core ? 1 : 0, the variable unset: before, the module's one symbolic instance counted as
    // created and the instance passed whatever the variable would be.
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-count-module-"));
    const attachment =
      'resource "aws_iam_role_policy_attachment" "core" {\n  role       = aws_iam_role.instance.name\n  policy_arn = "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"\n}\n';
    expect(good).toContain(attachment);
    writeFileSync(
      join(tmp, "main.tf"),
      good.replace(
        attachment,
        'variable "attach_core" {\n  type = bool\n}\n\nmodule "core" {\n  source = "./core"\n  count  = var.attach_core ? 1 : 0\n  role   = aws_iam_role.instance.name\n}\n',
      ),
    );
    mkdirSync(join(tmp, "core", "attach"), { recursive: true });
    writeFileSync(
      join(tmp, "core", "main.tf"),
      'variable "role" {\n  type = string\n}\n\nmodule "attach" {\n  source = "./attach"\n  role   = var.role\n}\n',
    );
    writeFileSync(
      join(tmp, "core", "attach", "main.tf"),
      `variable "role" {\n  type = string\n}\n\n${attachment.replace("aws_iam_role.instance.name", "var.role")}`,
    );
    const status = (vars: string[]) => {
      const result = runRules(loadTerraformConfiguration(tmp, { dhmc, vars, env: {} }), RULES, { today: "2026-01-01" });
      return { statuses: result.instances.map((i) => i.status), text: JSON.stringify(result.findings) };
    };
    const unset = status([]);
    expect(unset.statuses).toEqual(["unknown"]);
    expect(unset.text).toContain("whether module.core is created is not known: its count is not (var.attach_core has no value");
    expect(status(["attach_core=true"]).statuses).toEqual(["pass"]);
    expect(status(["attach_core=false"]).statuses).toEqual(["fail"]);
  });

  it("a main route table association that may not be created leaves the main table not known", () => {
    // good-nat-gateway with the private table made main by an association under count = var.nat_main ? 1 : 0 instead of
    // associated with the subnet: before, the association counted as made and the instance passed.
    const nat = readFileSync(join(ROOT, "good-nat-gateway", "main.tf"), "utf8");
    const own = 'resource "aws_route_table_association" "private" {\n  subnet_id      = aws_subnet.private.id\n';
    expect(nat).toContain(own);
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-count-main-table-"));
    writeFileSync(
      join(tmp, "main.tf"),
      nat.replace(
        own,
        'variable "nat_main" {\n  type = bool\n}\n\nresource "aws_main_route_table_association" "private" {\n  count          = var.nat_main ? 1 : 0\n  vpc_id         = aws_vpc.main.id\n',
      ),
    );
    const lint = (vars: string[]) => runRules(loadTerraformConfiguration(tmp, { dhmc, vars, env: {} }), RULES, { today: "2026-01-01" });
    const unset = lint([]);
    expect(unset.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(unset.findings)).toContain("whether aws_main_route_table_association.private is created is not known");
    expect(lint(["nat_main=true"]).instances.map((i) => i.status)).toEqual(["pass"]);
    expect(lint(["nat_main=false"]).instances.map((i) => i.status)).toEqual(["fail"]);
  });

  it("an endpoint that may not be created is not the way known to be taken", () => {
    // The ssm endpoint under count = var.create ? 1 : 0 (unset), the ssmmessages endpoint always there.
    const ssmmessages = [
      'resource "aws_vpc_endpoint" "ssmmessages" {',
      "  vpc_id              = aws_vpc.main.id",
      '  service_name        = "com.amazonaws.us-east-1.ssmmessages"',
      '  vpc_endpoint_type   = "Interface"',
      "  private_dns_enabled = true",
      "  subnet_ids          = [aws_subnet.private.id]",
      "  security_group_ids  = [aws_security_group.endpoints.id]",
      "}",
      "",
    ].join("\n");
    const endpoints = good
      .replace('for_each            = toset(["ssm", "ssmmessages"])', "count               = var.create ? 1 : 0")
      .replace("${each.key}", "ssm")
      .replace('resource "aws_instance" "app" {', `${ssmmessages}\nresource "aws_instance" "app" {`);
    expect(endpoints).toContain("var.create ? 1 : 0");
    const tmp = mkdtempSync(join(tmpdir(), "ssm-doctor-count-endpoint-"));
    writeFileSync(join(tmp, "main.tf"), `variable "create" {\n  type = bool\n}\n\n${endpoints}`);
    const result = runRules(loadTerraformConfiguration(tmp, { dhmc, env: {} }), RULES, { today: "2026-01-01" });
    expect(result.instances.map((i) => i.status)).toEqual(["unknown"]);
    expect(JSON.stringify(result.findings)).toContain("whether aws_vpc_endpoint.ssm is created is not known");
  });
});
