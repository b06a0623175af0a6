/**
 * The real-world Terraform configurations (../shared/corpus/tf), read without a plan: every folder
 * lints without a crash, and where LABELS.md is certain the checklist agrees (mapping as for plans:
 * SATISFIED = pass or warn; VIOLATED = fail, or for IAM the SD501 warning). Where we differ from a
 * certain label the case is in DISAGREEMENTS with the reason; most come from modules that are not on
 * disk (registry modules before `terraform init`, or `source = "../../"` outside the corpus copy).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { type CheckStatus, type RunResult, runRules } from "../../src/engine/run.js";
import { unknown } from "../../src/model/index.js";
import { initHclParser, loadTerraformConfiguration } from "../../src/sources/terraform-config/load.js";

const CONFIGURATIONS = join(import.meta.dirname, "../../../shared/corpus/tf");
const available = existsSync(CONFIGURATIONS);

type Label = "S" | "V" | "U" | "?";
const row = (text: string) => text.split("") as Label[];
const PREREQS = ["agent", "endpoints", "network", "dns", "iam"] as const;

/** Root folders (a folder whose .tf files are a root module), relative to the corpus's tf/. */
const ROOTS: Record<string, string> = {
  "marmita-app-b9431a8": "marmita-app-b9431a8/app",
  "marmita-app-head": "marmita-app-head/app",
};

/** Transcribed from LABELS.md, per instance ("*" = every instance). */
const LABELS: Record<string, Record<string, Label[]>> = {
  "cloudposse-bastion-628303a": { "aws_instance.default[0]": row("UUVUV") },
  "marmita-app-b9431a8": { "aws_instance.marmita_backend_webserver": row("UVSSS") },
  "marmita-app-head": { "aws_instance.marmita_backend_webserver": row("USSSS") },
  "regula-ec2_t2_only": { "*": row("VUUUV") },
  "regula-resource_view_07": { "*": row("UUUUV") },
  "tc-issue-156": { "*": row("?USUU") },
  "tc-resource-mounting": { "*": row("VUSUV") },
};

/** Instances each labelled configuration has: a run that finds nothing is not enough. */
const INSTANCE_COUNTS: Record<string, number> = {
  "cloudposse-bastion-628303a": 1,
  "marmita-app-b9431a8": 1,
  "marmita-app-head": 1,
  "regula-ec2_t2_only": 7,
  "regula-resource_view_07": 1,
  "tc-issue-156": 1,
  "tc-resource-mounting": 1,
  // Every instance is inside a module whose source (../../) is not part of the corpus copy.
  "tam-ec2-session-manager": 0,
  "tam-ec2-complete": 0,
};

const REMOTE_VPC =
  "the subnets come from module.vpc (terraform-aws-modules/vpc/aws from the registry), which is not on disk before terraform init: the path is unknown, not guessed";

/** Where we differ from a certain label, and why. Key: "folder|instance|prerequisite". */
const DISAGREEMENTS: Record<string, string> = {
  "marmita-app-b9431a8|aws_instance.marmita_backend_webserver|endpoints": `${REMOTE_VPC} (the label also reads the three-endpoint rule, which DESIGN does not require for current agents)`,
  "marmita-app-b9431a8|aws_instance.marmita_backend_webserver|dns": REMOTE_VPC,
  "marmita-app-head|aws_instance.marmita_backend_webserver|endpoints": REMOTE_VPC,
  "marmita-app-head|aws_instance.marmita_backend_webserver|dns": REMOTE_VPC,
  "marmita-app-b9431a8|aws_instance.marmita_backend_webserver|network": `${REMOTE_VPC}; the endpoint side of the path is therefore unknown too`,
};

function agrees(label: Label, status: CheckStatus, prerequisite: string, sd501Warning: boolean): boolean {
  if (label === "S") return status === "pass" || status === "warn";
  if (label === "V") return status === "fail" || (prerequisite === "iam" && status === "warn" && sd501Warning);
  return true;
}

const dhmc = unknown("outside", "static input cannot see DHMC");
function lint(folder: string): RunResult {
  const world = loadTerraformConfiguration(join(CONFIGURATIONS, ROOTS[folder] ?? folder), { dhmc });
  return runRules(world, RULES, { today: "2026-01-01" });
}

function statuses(result: RunResult, folder: string): { key: string; label: Label; status: CheckStatus; sd501: boolean }[] {
  const out: { key: string; label: Label; status: CheckStatus; sd501: boolean }[] = [];
  for (const [name, labels] of Object.entries(LABELS[folder] ?? {})) {
    const checklists = name === "*" ? result.instances : result.instances.filter((i) => i.name === name);
    expect(checklists.length, `${folder}|${name} is analysed`).toBeGreaterThan(0);
    for (const checklist of checklists) {
      const sd501 = result.findings.some(
        (f) => f.ruleId === "SD501" && f.verdict === "fail" && f.instances.some((i) => i.key === checklist.key),
      );
      PREREQS.forEach((p, i) => {
        const status = checklist.checks.find((c) => c.prerequisite === p)!.status;
        out.push({ key: `${folder}|${checklist.name}|${p}`, label: labels[i]!, status, sd501 });
      });
    }
  }
  return out;
}

describe.skipIf(!available)("Terraform configuration corpus", () => {
  beforeAll(async () => {
    await initHclParser();
  });
  const folders = available ? readdirSync(CONFIGURATIONS).filter((f) => statSync(join(CONFIGURATIONS, f)).isDirectory()) : [];

  for (const folder of folders) {
    it(`${folder} lints without a crash and agrees with the certain labels`, () => {
      const result = lint(folder);
      if (INSTANCE_COUNTS[folder] !== undefined) expect(result.instances).toHaveLength(INSTANCE_COUNTS[folder]!);
      const mismatches = statuses(result, folder)
        .filter((s) => !agrees(s.label, s.status, s.key.split("|")[2]!, s.sd501) && !DISAGREEMENTS[s.key])
        .map((s) => `${s.key}: label ${s.label} but ${s.status}`);
      expect(mismatches).toEqual([]);
    });
  }

  it("every listed disagreement still exists (remove it when the tool agrees)", () => {
    for (const key of Object.keys(DISAGREEMENTS)) {
      const folder = key.split("|")[0]!;
      const found = statuses(lint(folder), folder).find((s) => s.key === key);
      expect(found, key).toBeDefined();
      expect(agrees(found!.label, found!.status, key.split("|")[2]!, found!.sd501), key).toBe(false);
    }
  });

  it("finds the missing egress block of the cloudposse bastion on its line, and the role without permissions", () => {
    const result = lint("cloudposse-bastion-628303a");
    const sd302 = result.findings.find((f) => f.ruleId === "SD302");
    expect(sd302?.subject.key).toBe("aws_security_group.default[0]");
    expect(sd302?.location.file).toMatch(/cloudposse-bastion-628303a\/main\.tf$/);
    expect(sd302?.location.region?.startLine).toBe(32);
    expect(result.findings.find((f) => f.ruleId === "SD503")?.verdict).toBe("fail");
  });

  it("says which modules it could not read", () => {
    const notes = lint("tam-ec2-complete").world.notes.map((n) => n.message);
    expect(notes.join("\n")).toMatch(/module\.\S+ comes from \.\.\/\.\.\/?, which is not on disk here|could not be read/);
  });
});
