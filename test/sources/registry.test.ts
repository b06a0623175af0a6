/**
 * The source registry: which source recognises what the user names, and that a new source is one adapter
 * added to the list (here a fake one, registered only in this test), with nothing else to change.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectInputs } from "../../src/cli/inputs.js";
import { emptyWorld, known } from "../../src/model/index.js";
import { type Input, type LoadOptions, SOURCES, type SourceAdapter, SourceRegistry, sources } from "../../src/sources/index.js";

const ROOT = join(import.meta.dirname, "../..");
const TEMPLATE = join(ROOT, "fixtures/cloudformation/seed-000/good.yaml");
const PLAN = join(ROOT, "fixtures/terraform/seed-003-before/plan.json");
const LOAD: LoadOptions = { parameters: {}, dhmc: known({ enabled: false }) };

/** A source of a made-up format: files named *.inventory whose first line is `inventory`. */
const inventory: SourceAdapter = {
  kind: "inventory",
  fileNames: /\.inventory$/,
  detect(candidate): Input[] {
    if (candidate.type !== "file" || !candidate.text().startsWith("inventory\n")) return [];
    return [{ kind: "inventory", file: candidate.file, text: candidate.text() }];
  },
  load(input) {
    const assumptions = { region: known("eu-west-1"), dhmc: known({ enabled: false }), agentVersion: known("3.3.40.0") };
    return [{ file: input.file, world: emptyWorld("cloudformation", [input.file], assumptions) }];
  },
};

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-registry-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

describe("a new source", () => {
  it("is found in folders, named, and loaded once its adapter is in the list", async () => {
    const dir = folder({ "a.inventory": "inventory\nvpc-1\n", "b.inventory": "something else\n", "c.txt": "inventory\n" });
    const registry = new SourceRegistry([...SOURCES, inventory]);

    const { inputs } = await collectInputs([dir, TEMPLATE], { registry });
    expect(inputs.map((i) => [i.kind, i.file])).toEqual([
      ["inventory", join(dir, "a.inventory")],
      ["cloudformation", TEMPLATE],
    ]);
    const worlds = await registry.loadWorlds(inputs, LOAD);
    expect(worlds.map((w) => [w.kind, w.file])).toEqual([
      ["inventory", join(dir, "a.inventory")],
      ["cloudformation", TEMPLATE],
    ]);
    // A named file is offered whatever its name.
    expect((await collectInputs([join(dir, "c.txt")], { registry })).inputs[0]?.kind).toBe("inventory");
  });

  it("is unknown to the sources without it", async () => {
    const dir = folder({ "a.inventory": "inventory\n" });
    await expect(collectInputs([dir])).rejects.toThrow(/no CloudFormation templates, Terraform plans or configurations/);
  });

  it("has a kind of its own, and at most one source takes what nothing recognises", () => {
    expect(() => new SourceRegistry([...SOURCES, { ...inventory, kind: "cloudformation" }])).toThrow(
      /two sources are named cloudformation/,
    );
    expect(() => new SourceRegistry([...SOURCES, { ...inventory, fallback: true }])).toThrow(/more than one fallback/);
  });
});

describe("the sources recognise", () => {
  it("a plan by its content, before templates, and a template by its content", () => {
    expect(sources.detectNamedFile("x", () => '{"format_version": "1.2", "resource_changes": []}')?.kind).toBe("terraform-plan");
    expect(sources.detectNamedFile("x", () => "Resources:\n  A:\n    Type: AWS::EC2::VPC\n")?.kind).toBe("cloudformation");
    expect(sources.detectFoundFile("dir/x.json", () => '{"Resources": {}}')?.kind).toBe("cloudformation");
  });

  it("a named file nothing recognises as a template, which then says what is wrong; inside a folder, nothing", () => {
    expect(sources.detectNamedFile("notes.txt", () => "hello\n")).toEqual({ kind: "cloudformation", file: "notes.txt", text: "hello\n" });
    expect(sources.detectFoundFile("dir/notes.yaml", () => "hello\n")).toBeUndefined();
  });

  it("a named .tf file as its folder's configuration, without reading it", () => {
    const read = () => {
      throw new Error("read");
    };
    expect(sources.detectNamedFile("infra/main.tf", read)).toEqual({ kind: "terraform-configuration", file: "infra" });
    expect(sources.detectFoundFile("infra/main.tf", read)).toBeUndefined();
  });

  it("a cdk.out directory whole", () => {
    const cdk = join(ROOT, "fixtures/sources/cloudformation/cdk.out");
    expect(sources.detectDirectory(cdk)).toEqual({ kind: "cloudformation", file: cdk });
    expect(sources.detectDirectory(join(ROOT, "fixtures/terraform/seed-003-before"))).toBeUndefined();
  });

  it("root modules in a folder, a called module not, and a plan beside .tf files instead of them", async () => {
    const dir = folder({
      "app/main.tf": 'module "net" {\n  source = "../modules/net"\n}\n',
      "modules/net/main.tf": 'resource "aws_vpc" "a" {}\n',
      "planned/main.tf": 'resource "aws_vpc" "a" {}\n',
    });
    writeFileSync(join(dir, "planned/plan.json"), '{"format_version": "1.2", "resource_changes": []}');
    const { inputs } = await collectInputs([dir]);
    expect(inputs.map((i) => [i.kind, i.file, i.shadows])).toEqual([
      ["terraform-plan", join(dir, "planned/plan.json"), join(dir, "planned")],
      ["terraform-configuration", join(dir, "app"), undefined],
    ]);
  });

  it("a plan's versions compared by the plan source, a configuration's not at all", async () => {
    const text = readFileSync(PLAN, "utf8");
    expect(await sources.compareInputs("terraform-plan", { file: PLAN, text }, { file: PLAN, text })).toBeDefined();
    expect(await sources.compareInputs("terraform-configuration", { file: PLAN, text }, { file: PLAN, text })).toBeUndefined();
  });
});
