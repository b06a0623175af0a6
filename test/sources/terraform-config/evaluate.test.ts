/**
 * The configuration reader's evaluation, seen through the plan it writes: values Terraform would know
 * before plan are known, everything else is unknown with its reason, and references are listed the way
 * a plan lists them.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RawPlan, RawResourceChange } from "../../../src/sources/terraform/types.js";
import { initHclParser } from "../../../src/sources/terraform-config/load.js";
import { clearModuleCache, defaultOf, ModuleInstance, type RunSettings, readModule } from "../../../src/sources/terraform-config/module.js";
import { writePlan } from "../../../src/sources/terraform-config/synthetic-plan.js";
import type { TfValue } from "../../../src/sources/terraform-config/values.js";

beforeAll(async () => {
  await initHclParser();
});

function planFor(files: Record<string, string>, rootVariables: Record<string, TfValue> = {}): RawPlan {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-hcl-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  clearModuleCache();
  const config = readModule(dir)!;
  const settings: RunSettings = { rootVariables: new Map(Object.entries(rootVariables)), installedModules: new Map(), rootDir: dir };
  const variables = new Map<string, TfValue>();
  for (const [name, block] of config.variables) variables.set(name, defaultOf(block, name, settings, true));
  return writePlan(new ModuleInstance(config, "", "", "", variables, settings)).plan;
}

const change = (plan: RawPlan, address: string): RawResourceChange => {
  const found = plan.resource_changes?.find((r) => r.address === address);
  if (!found) throw new Error(`${address} not in ${plan.resource_changes?.map((r) => r.address).join(", ")}`);
  return found;
};
const plannedValues = (plan: RawPlan, address: string) => change(plan, address).change?.after as Record<string, unknown>;
const afterUnknown = (plan: RawPlan, address: string) => change(plan, address).change?.after_unknown as Record<string, unknown>;

describe("expressions", () => {
  it("evaluates templates, functions, conditionals, operators, for expressions and splats", () => {
    const plan = planFor({
      "main.tf": `
locals {
  env      = "prod"
  cidr     = "10.20.0.0/16"
  services = ["ssm", "ssmmessages"]
  by_name  = { for s in local.services : s => upper(s) }
  enabled  = length(local.services) > 1 && !false
}
resource "aws_subnet" "a" {
  vpc_id     = "vpc-1"
  cidr_block = cidrsubnet(local.cidr, 8, 3)
  tags = merge({ Name = format("%s-%s", local.env, "a") }, { Team = join(",", [for s in local.services : s if s != "ssm"]) })
  map_public_ip_on_launch = local.enabled ? false : true
  availability_zone = element(split(",", "eu-west-1a,eu-west-1b"), 3)
}
resource "aws_subnet" "b" {
  vpc_id     = "vpc-1"
  cidr_block = "\${cidrhost(local.cidr, 10)}/32"
  tags = { Names = local.by_name["ssm"], Escaped = "$\${literal}", Heredoc = <<-EOT
    indented
      more
    EOT
  }
}
`,
    });
    expect(change(plan, "aws_subnet.a").unknown_reasons).toBeUndefined();
    expect(plannedValues(plan, "aws_subnet.a")).toMatchObject({
      cidr_block: "10.20.3.0/24",
      tags: { Name: "prod-a", Team: "ssmmessages" },
      map_public_ip_on_launch: false,
      availability_zone: "eu-west-1b",
    });
    expect(plannedValues(plan, "aws_subnet.b")).toMatchObject({
      cidr_block: "10.20.0.10/32",
      tags: { Names: "SSM", Escaped: "${literal}", Heredoc: "indented\n  more\n" },
    });
  });

  it("expands count and for_each, and keeps count.index / each.key per instance", () => {
    const plan = planFor({
      "main.tf": `
variable "names" {
  type    = set(string)
  default = ["ssm", "ssmmessages"]
}
resource "aws_vpc_endpoint" "e" {
  for_each          = var.names
  vpc_id            = "vpc-1"
  service_name      = "com.amazonaws.eu-west-1.\${each.key}"
  vpc_endpoint_type = "Interface"
}
resource "aws_subnet" "s" {
  count      = 2
  vpc_id     = "vpc-1"
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index)
}
resource "aws_subnet" "none" {
  count  = 0
  vpc_id = "vpc-1"
}
`,
    });
    expect(plannedValues(plan, 'aws_vpc_endpoint.e["ssmmessages"]').service_name).toBe("com.amazonaws.eu-west-1.ssmmessages");
    expect(change(plan, 'aws_vpc_endpoint.e["ssm"]').index).toBe("ssm");
    expect(plannedValues(plan, "aws_subnet.s[1]").cidr_block).toBe("10.0.1.0/24");
    expect(plan.resource_changes?.some((r) => r.address?.startsWith("aws_subnet.none"))).toBe(false);
  });

  it("expands dynamic blocks with their iterator", () => {
    const plan = planFor({
      "main.tf": `
resource "aws_security_group" "g" {
  vpc_id = "vpc-1"
  dynamic "egress" {
    for_each = { https = 443, dns = 53 }
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
      description = port.key
    }
  }
}
`,
    });
    const egress = plannedValues(plan, "aws_security_group.g").egress as { description: string; from_port: number }[];
    expect(egress.map((e) => [e.description, e.from_port]).sort()).toEqual([
      ["dns", 53],
      ["https", 443],
    ]);
  });

  it("a data source's attribute the configuration refers to is read at plan, or at apply when an argument is known only then", () => {
    const plan = planFor({
      "main.tf": `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
data "aws_subnets" "fixed" {
  tags = { Tier = "a" }
}
data "aws_subnets" "new" {
  filter {
    name   = "vpc-id"
    values = [aws_vpc.v.id]
  }
}
resource "aws_network_acl" "n" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = concat(data.aws_subnets.fixed.ids, data.aws_subnets.new.ids)
}
`,
    });
    expect(afterUnknown(plan, "data.aws_subnets.fixed").ids).toBe(true);
    expect(change(plan, "data.aws_subnets.fixed").unknown_reasons?.ids).toEqual({
      code: "outside",
      message: "ids of data.aws_subnets.fixed is read from the account when Terraform plans",
      decide: "run terraform plan and lint the plan JSON",
    });
    expect(change(plan, "data.aws_subnets.new").unknown_reasons?.ids?.message).toBe(
      "ids of data.aws_subnets.new is read from the account when Terraform applies, since an argument is known only then",
    );
  });

  it("finds the data-source attributes referred to in modules called with keys", () => {
    const plan = planFor({
      "main.tf": `
module "net" {
  source   = "./modules/net"
  for_each = { x = "a", y = "b" }
  tier     = each.value
}
`,
      "modules/net/main.tf": `
variable "tier" {
  type = string
}
data "aws_subnets" "s" {
  tags = { Tier = var.tier }
}
resource "aws_network_acl" "n" {
  vpc_id     = "vpc-0123"
  subnet_ids = data.aws_subnets.s.ids
}
`,
    });
    for (const key of ["x", "y"]) {
      const address = `module.net["${key}"].data.aws_subnets.s`;
      expect(afterUnknown(plan, address).ids).toBe(true);
      expect(change(plan, address).unknown_reasons?.ids?.message).toBe(`ids of ${address} is read from the account when Terraform plans`);
    }
  });

  it("marks an expression holding a for expression with an if clause as filtered, and no other", () => {
    const plan = planFor({
      "main.tf": `
resource "aws_security_group" "g" {
  count = 2
}
resource "aws_instance" "filtered" {
  vpc_security_group_ids = concat(["sg-1"], [for g in aws_security_group.g : g.id if g.name != ""])
}
resource "aws_instance" "all" {
  vpc_security_group_ids = [for g in aws_security_group.g : g.id]
}
resource "aws_instance" "splat" {
  vpc_security_group_ids = aws_security_group.g[*].id
}
`,
    });
    const expression = (address: string) =>
      plan.configuration?.root_module?.resources?.find((r) => r.address === address)?.expressions?.vpc_security_group_ids;
    expect(expression("aws_instance.filtered")).toMatchObject({
      references: expect.arrayContaining(["aws_security_group.g"]),
      filtered: true,
    });
    for (const address of ["aws_instance.all", "aws_instance.splat"]) expect(expression(address)).not.toHaveProperty("filtered");
  });

  it("leaves computed ids unknown and lists references as a plan does", () => {
    const plan = planFor({
      "main.tf": `
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = aws_vpc.v.cidr_block
}
`,
    });
    expect(plannedValues(plan, "aws_subnet.s").cidr_block).toBe("10.0.0.0/16");
    expect(afterUnknown(plan, "aws_subnet.s").vpc_id).toBe(true);
    const config = plan.configuration?.root_module?.resources?.find((r) => r.address === "aws_subnet.s");
    expect(config?.expressions?.vpc_id).toEqual({ references: ["aws_vpc.v.id", "aws_vpc.v"] });
    expect(change(plan, "aws_subnet.s").unknown_reasons?.vpc_id?.message).toBe("id of aws_vpc.v is known only after apply");
  });

  it("a variable without a value is unknown, saying how to give it; a given value is used", () => {
    const files = {
      "main.tf": `
variable "subnet" {
  type = string
}
resource "aws_instance" "i" {
  ami       = "ami-1"
  subnet_id = var.subnet
}
`,
    };
    const bare = planFor(files);
    expect(afterUnknown(bare, "aws_instance.i").subnet_id).toBe(true);
    expect(change(bare, "aws_instance.i").unknown_reasons?.subnet_id).toMatchObject({
      code: "parameter",
      decide: "pass -var subnet=… or a .tfvars file",
    });
    expect(plannedValues(planFor(files, { subnet: "subnet-9" }), "aws_instance.i").subnet_id).toBe("subnet-9");
  });

  it("functions it does not evaluate, and what Terraform would reject, are unknown with the reason", () => {
    const plan = planFor({
      "main.tf": `
resource "aws_instance" "i" {
  ami       = "ami-1"
  user_data = templatefile("init.sh", {})
  key_name  = timestamp()
  subnet_id = ["a"][5]
}
`,
    });
    const reasons = change(plan, "aws_instance.i").unknown_reasons ?? {};
    expect(reasons.user_data?.message).toContain("templatefile() reads files");
    expect(reasons.key_name?.message).toContain("timestamp() is not evaluated");
    expect(reasons.subnet_id?.message).toContain("out of range");
  });
});

describe("modules", () => {
  it("passes inputs into a local module and reads its outputs back", () => {
    const plan = planFor({
      "main.tf": `
module "net" {
  source = "./modules/net"
  cidr   = "10.9.0.0/16"
}
resource "aws_instance" "i" {
  ami       = "ami-1"
  subnet_id = module.net.subnet_id
  tags      = { Cidr = module.net.cidr }
}
`,
      "modules/net/main.tf": `
variable "cidr" {
  type = string
}
resource "aws_vpc" "v" {
  cidr_block = var.cidr
}
resource "aws_subnet" "s" {
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(var.cidr, 8, 1)
}
output "subnet_id" {
  value = aws_subnet.s.id
}
output "cidr" {
  value = aws_subnet.s.cidr_block
}
`,
    });
    expect(plannedValues(plan, "module.net.aws_subnet.s").cidr_block).toBe("10.9.1.0/24");
    expect(change(plan, "module.net.aws_subnet.s").module_address).toBe("module.net");
    expect(plannedValues(plan, "aws_instance.i").tags).toEqual({ Cidr: "10.9.1.0/24" });
    expect(afterUnknown(plan, "aws_instance.i").subnet_id).toBe(true);
    const call = plan.configuration?.root_module?.module_calls?.net;
    expect(call?.module?.outputs?.subnet_id?.expression).toEqual({ references: ["aws_subnet.s.id", "aws_subnet.s"] });
  });

  it("a module not on disk is unknown, with the command that fetches it", () => {
    const plan = planFor({
      "main.tf": `
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
resource "aws_instance" "i" {
  ami       = "ami-1"
  subnet_id = module.vpc.private_subnets[0]
}
`,
    });
    expect(change(plan, "aws_instance.i").unknown_reasons?.subnet_id).toMatchObject({
      message: "module.vpc comes from terraform-aws-modules/vpc/aws, which is not on disk here",
      decide: "run terraform init, or lint the plan JSON",
    });
  });
});
