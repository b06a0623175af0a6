/** With --tf-root, findings point at the .tf lines, module-aware (local sources, .terraform/modules/modules.json). */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { TerraformRoot } from "../../../src/sources/terraform/tf-root.js";
import { load, plan, refs, resource } from "./helpers.js";

/** A configuration directory: root, a local module, and a registry module installed by terraform init. */
function project(): { root: string; text: string } {
  const root = mkdtempSync(join(tmpdir(), "ssm-doctor-tfroot-"));
  mkdirSync(join(root, "modules/app"), { recursive: true });
  mkdirSync(join(root, ".terraform/modules/vpc"), { recursive: true });
  writeFileSync(
    join(root, "main.tf"),
    `resource "aws_security_group" "this" {
  vpc_id = module.vpc.vpc_id
}

module "app" {
  source = "./modules/app"
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}
`,
  );
  writeFileSync(
    join(root, "modules/app/main.tf"),
    `# the app module
resource "aws_security_group" "this" {
  # ssm-doctor:ignore SD302 the app only receives traffic
  name_prefix = "app-"
}
`,
  );
  writeFileSync(join(root, ".terraform/modules/vpc/main.tf"), `\n\nresource "aws_vpc" "this" {\n  cidr_block = "10.0.0.0/16"\n}\n`);
  writeFileSync(
    join(root, ".terraform/modules/modules.json"),
    JSON.stringify({
      Modules: [
        { Key: "", Source: "", Dir: "." },
        { Key: "vpc", Source: "registry.terraform.io/terraform-aws-modules/vpc/aws", Version: "5.0.0", Dir: ".terraform/modules/vpc" },
      ],
    }),
  );
  const text = plan({
    changes: [
      { address: "aws_security_group.this", after: { egress: [] }, unknown: { vpc_id: true } },
      { address: "module.app.aws_security_group.this", module: "module.app", after: { egress: [] } },
      { address: "module.vpc.aws_vpc.this", module: "module.vpc", after: { cidr_block: "10.0.0.0/16" } },
    ],
    configuration: {
      root_module: {
        resources: [resource("aws_security_group.this", { vpc_id: refs("module.vpc.vpc_id", "module.vpc") })],
        module_calls: {
          app: { source: "./modules/app", module: { resources: [resource("aws_security_group.this")] } },
          vpc: {
            source: "terraform-aws-modules/vpc/aws",
            module: { resources: [resource("aws_vpc.this")], outputs: { vpc_id: { expression: refs("aws_vpc.this.id", "aws_vpc.this") } } },
          },
        },
      },
    },
  });
  return { root, text };
}

describe("--tf-root", () => {
  it("maps same-named resources of different modules to their own files, and registry modules through modules.json", () => {
    const { root, text } = project();
    const tfRoot = relative(process.cwd(), root);
    const world = load(text, { tfRoot });
    const at = (key: string) => {
      const o = world.securityGroups.get(key)?.origin ?? world.vpcs.get(key)?.origin;
      return `${o?.file}:${o?.region?.startLine}`;
    };
    expect(at("aws_security_group.this")).toBe(`${join(tfRoot, "main.tf")}:1`);
    expect(at("module.app.aws_security_group.this")).toBe(`${join(tfRoot, "modules/app/main.tf")}:2`);
    expect(at("module.vpc.aws_vpc.this")).toBe(`${join(tfRoot, ".terraform/modules/vpc/main.tf")}:3`);
    expect(world.securityGroups.get("aws_security_group.this")!.vpc).toMatchObject({ kind: "known", value: "module.vpc.aws_vpc.this" });
  });

  it("reads ignore comments in the block into suppressions, on that element only", () => {
    const { root, text } = project();
    const world = load(text, { tfRoot: root });
    expect(world.securityGroups.get("module.app.aws_security_group.this")!.suppressions).toMatchObject([
      { ruleId: "SD302", reason: "the app only receives traffic", origin: { region: { startLine: 3 } } },
    ]);
    expect(world.securityGroups.get("aws_security_group.this")!.suppressions).toBeUndefined();
    // Without --tf-root the comments are not read.
    expect(load(text).securityGroups.get("module.app.aws_security_group.this")!.suppressions).toBeUndefined();
  });

  it("never puts an absolute path in an origin, even for an absolute --tf-root", () => {
    const { root, text } = project();
    const world = load(text, { tfRoot: root });
    const file = world.securityGroups.get("aws_security_group.this")!.origin.file!;
    expect(file.startsWith("/")).toBe(false);
    expect(file).toBe(join(relative(process.cwd(), root), "main.tf"));
  });

  it("falls back to the plan, with a note, for resources it cannot find", () => {
    const { root, text } = project();
    const scopes = new Map();
    expect(new TerraformRoot(join(root, "nowhere"), scopes).exists()).toBe(false);
    const extra = text.replace(
      '"resource_changes": [',
      `"resource_changes": [${JSON.stringify({ address: "aws_vpc.elsewhere", mode: "managed", type: "aws_vpc", name: "elsewhere", change: { actions: ["create"], after: { cidr_block: "10.9.0.0/16" } } })},`,
    );
    const world = load(extra, { tfRoot: root });
    expect(world.vpcs.get("aws_vpc.elsewhere")!.origin).toMatchObject({ file: "plan.json", pointer: "/resource_changes/0" });
    expect(world.notes.find((n) => n.code === "tf-root-unlocated")?.message).toMatch(/aws_vpc\.elsewhere/);
  });

  it("without --tf-root, says once that annotations need it", () => {
    const { text } = project();
    expect(load(text).notes.filter((n) => n.code === "tf-root")).toHaveLength(1);
  });
});
