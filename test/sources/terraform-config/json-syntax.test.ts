/**
 * Terraform's JSON syntax (`.tf.json`) is read only from a plan. A configuration read without one says which of its
 * files it left out (what they declare is not checked); a folder of .tf.json files only is refused with the way to
 * lint it; a named .tf.json file stands for its folder, as a .tf file does, unless it is a plan.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InputError, unknown } from "../../../src/model/index.js";
import { sources } from "../../../src/sources/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../../src/sources/terraform-config/load.js";

const dhmc = unknown("outside", "static input cannot see DHMC");
const GOOD = "fixtures/terraform/good-private-endpoints";
const ACL = JSON.stringify({
  resource: { aws_network_acl: { locked: { vpc_id: "${aws_vpc.main.id}", subnet_ids: ["${aws_subnet.private.id}"] } } },
});

beforeAll(async () => {
  await initHclParser();
});

describe("files in Terraform's JSON syntax", () => {
  it("beside .tf files, and in a local module: a warning names each, below the configuration", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-json-"));
    writeFileSync(join(dir, "main.tf"), `${readFileSync(join(GOOD, "main.tf"), "utf8")}\nmodule "extra" {\n  source = "./extra"\n}\n`);
    writeFileSync(join(dir, "acl.tf.json"), ACL);
    mkdirSync(join(dir, "extra"));
    writeFileSync(join(dir, "extra", "main.tf"), 'variable "unused" {\n  default = 1\n}\n');
    writeFileSync(join(dir, "extra", "rules.tf.json"), "{}");
    const world = loadTerraformConfiguration(dir, { dhmc });
    const note = world.notes.find((n) => n.code === "terraform-json-syntax");
    expect(note?.level).toBe("warning");
    expect(note?.message).toContain(`2 files in Terraform's JSON syntax (acl.tf.json, ${join("extra", "rules.tf.json")}) are not read`);
    expect(note?.message).not.toContain(tmpdir());
  });

  it("without any: no such note", () => {
    expect(loadTerraformConfiguration(GOOD, { dhmc }).notes.map((n) => n.code)).not.toContain("terraform-json-syntax");
  });

  it("alone in a folder: refused, saying how to lint it", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-json-only-"));
    writeFileSync(join(dir, "main.tf.json"), ACL);
    let error: unknown;
    try {
      loadTerraformConfiguration(dir, { dhmc });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe(
      "no .tf files in this directory, only .tf.json (Terraform's JSON syntax), which is read only from a plan",
    );
    expect((error as InputError).hint).toContain("terraform show -json tfplan > plan.json");
  });

  it("named on the command line: its folder is the configuration, unless the file is a plan", () => {
    const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-json-named-"));
    const config = join(dir, "main.tf.json");
    writeFileSync(config, ACL);
    expect(sources.detectNamedFile(config, () => readFileSync(config, "utf8"))).toEqual({ kind: "terraform-configuration", file: dir });
    const plan = join(dir, "plan.tf.json");
    copyFileSync(join(GOOD, "plan.json"), plan);
    expect(sources.detectNamedFile(plan, () => readFileSync(plan, "utf8"))?.kind).toBe("terraform-plan");
  });
});
