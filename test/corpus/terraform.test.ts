/**
 * The real-world Terraform plans (../shared/corpus/tfplan): every plan lints without a crash, and where
 * LABELS.md is certain (SATISFIED / VIOLATED) the checklist agrees. Mapping as for CloudFormation:
 * SATISFIED = pass or warn; VIOLATED = fail, or for IAM the SD501 warning (no instance profile: a static
 * input cannot see DHMC). UNDETERMINABLE / UNSURE are not assertions. Where our verdict differs from a
 * certain label, the case is in DISAGREEMENTS with the reason.
 *
 * Plans of ../shared/corpus/tf configurations that have their plan beside them are linted with
 * --tf-root, and every finding on a resource of those .tf files must carry the line of its block or
 * attribute (found here by plain text search, independently of the HCL scanner).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckStatus, RunResult } from "../../src/engine/run.js";
import { lintPlan } from "../helpers/terraform.js";

const CORPUS = join(import.meta.dirname, "../../../shared/corpus");
const PLANS = join(CORPUS, "tfplan");
const available = existsSync(PLANS);

type Label = "S" | "V" | "U" | "?";
type Labels = [agent: Label, endpoints: Label, network: Label, dns: Label, iam: Label];

const row = (text: string) => text.split("") as Labels;

/** Transcribed from LABELS.md ("*" = every instance of the plan). */
const LABELS: Record<string, Record<string, Labels>> = {
  "tc-issue-249-asg-lc-profile.json": { "module.myapp-asg.aws_autoscaling_group.asg": row("UUVUS") },
  "checkov-terragoat-tfplan.json": { "aws_instance.db_app": row("SSSSV"), "aws_instance.web_host": row("?SSSV") },
  "tc-issue-127-asg-lc-instance.json": { "aws_instance.web[0]": row("UUVUV"), "aws_autoscaling_group.example": row("UUVUV") },
  "tc-issue-156-instance-sg.json": { "aws_instance.demo-prod-AppOne": row("?USUU") },
  "tc-resource-mounting-instance-sg.json": { "aws_instance.test_instance": row("VUSUV") },
  "regula-ec2_t2_only_infra.json": { "*": row("VUUUV") },
  "infracost-terraform_v0.14_plan.json": { "*": row("UUUSV") },
  "infracost-instance_with_attachment_after_deploy.json": { "aws_instance.ec2": row("UUUUV") },
  "tc-issue-456-many-instances.json": { "*": row("UUUUV") },
  "tc-issue-279-asg-lt.json": { "aws_autoscaling_group.bar": row("UUUUV") },
  "regula-resource_view_07_asg_lt.json": { "aws_autoscaling_group.example": row("UUUUV") },
  "trivychecks-asg-lt-tfplan.json": { "aws_autoscaling_group.this": row("UUUUV") },
  "checkov-plan_provisioners.json": { "aws_instance.web": row("UUUUV") },
  "checkov-plan_tags_variety.json": { "*": row("UUUUU") },
};

/** How many compute units each labelled plan has (a crash-free run that finds nothing is not enough). */
const INSTANCE_COUNTS: Record<string, number> = {
  "regula-ec2_t2_only_infra.json": 7,
  "infracost-terraform_v0.14_plan.json": 12,
  "tc-issue-456-many-instances.json": 15,
  "checkov-plan_tags_variety.json": 2,
};

/**
 * Where we differ from a certain label, and why. Key: "file|instance|prerequisite" ("*" = every instance).
 */
const DISAGREEMENTS: Record<string, string> = {
  "infracost-terraform_v0.14_plan.json|*|dns":
    "the label reads the DNS of aws_default_vpc.default, but no instance links to it: new instances set no subnet (default VPC, outside the plan) and existing ones name subnet-286f234e, which is not in the plan; that they are in that VPC is a guess the tool does not make, so DNS stays unknown",
};

const PREREQS = ["agent", "endpoints", "network", "dns", "iam"] as const;

function agrees(label: Label, status: CheckStatus, prerequisite: string, sd501Warning: boolean): boolean {
  if (label === "S") return status === "pass" || status === "warn";
  if (label === "V") return status === "fail" || (prerequisite === "iam" && status === "warn" && sd501Warning);
  return true;
}

function mismatches(file: string, result: RunResult): string[] {
  const out: string[] = [];
  for (const [name, labels] of Object.entries(LABELS[file] ?? {})) {
    const checklists = name === "*" ? result.instances : result.instances.filter((i) => i.name === name);
    if (checklists.length === 0) out.push(`${file}|${name}: not analysed`);
    for (const checklist of checklists) {
      const sd501 = result.findings.some(
        (f) => f.ruleId === "SD501" && f.verdict === "fail" && f.instances.some((i) => i.key === checklist.key),
      );
      PREREQS.forEach((p, i) => {
        const status = checklist.checks.find((c) => c.prerequisite === p)!.status;
        if (agrees(labels[i]!, status, p, sd501)) return;
        if (DISAGREEMENTS[`${file}|${checklist.name}|${p}`] || DISAGREEMENTS[`${file}|*|${p}`]) return;
        out.push(`${file}|${checklist.name}|${p}: label ${labels[i]} but ${status}`);
      });
    }
  }
  return out;
}

describe.skipIf(!available)("Terraform plan corpus", () => {
  const files = available ? readdirSync(PLANS).filter((f) => f.endsWith(".json")) : [];

  it("has the plans LABELS.md speaks of", () => {
    for (const name of Object.keys(LABELS)) expect(files).toContain(name);
  });

  for (const file of files) {
    it(`${file} lints without a crash and agrees with the certain labels`, () => {
      const result = lintPlan(join(PLANS, file));
      if (INSTANCE_COUNTS[file] !== undefined) expect(result.instances).toHaveLength(INSTANCE_COUNTS[file]!);
      expect(mismatches(file, result)).toEqual([]);
    });
  }

  it("every listed disagreement still exists (remove it when the tool agrees)", () => {
    for (const key of Object.keys(DISAGREEMENTS)) {
      const [file, instance, p] = key.split("|") as [string, string, string];
      const result = lintPlan(join(PLANS, file));
      const checklists = instance === "*" ? result.instances : result.instances.filter((i) => i.name === instance);
      const labels = LABELS[file]![instance]!;
      const label = labels[PREREQS.indexOf(p as (typeof PREREQS)[number])]!;
      const disagreeing = checklists.filter((c) => !agrees(label, c.checks.find((x) => x.prerequisite === p)!.status, p, false));
      expect(disagreeing.length, key).toBeGreaterThan(0);
    }
  });

  it("shows the missing egress of tc-issue-249 (existing group, egress []) and tc-issue-127 (new group)", () => {
    const r249 = lintPlan(join(PLANS, "tc-issue-249-asg-lc-profile.json"));
    const sg249 = "module.myapp-asg.aws_security_group.sg_asg";
    expect(r249.findings.find((f) => f.ruleId === "SD302" && f.subject.key === sg249)?.severity).toBe("error");
    expect(r249.findings.some((f) => f.ruleId === "SD301" && f.subject.key === sg249 && f.verdict === "fail")).toBe(true);
    expect(r249.world.securityGroups.get(sg249)?.egressManagement.basis).toMatch(/egress = \[\] for the existing group/);

    const r127 = lintPlan(join(PLANS, "tc-issue-127-asg-lc-instance.json"));
    const sg127 = r127.findings.find((f) => f.ruleId === "SD302" && f.subject.key === "aws_security_group.instance");
    expect(sg127?.severity).toBe("error");
    expect(sg127?.instances.map((i) => i.key).sort()).toEqual(["aws_autoscaling_group.example", "aws_instance.web[0]"]);
    expect(r127.world.securityGroups.get("aws_security_group.instance")?.egressManagement.basis).toMatch(
      /inferred from the AWS provider's behaviour/,
    );
    // The ELB's group has an egress block: no finding.
    expect(r127.findings.some((f) => f.subject.key === "aws_security_group.elb")).toBe(false);
  });

  it("sees standalone egress rules (terragoat's RDS group, tc-issue-234)", () => {
    const goat = lintPlan(join(PLANS, "checkov-terragoat-tfplan.json"));
    expect(goat.world.securityGroups.get("aws_security_group.default")?.egressManagement.mode).toBe("standalone");
    const r234 = lintPlan(join(PLANS, "tc-issue-234-egress-rules.json"));
    const modes = [...r234.world.securityGroups.values()].map((g) => `${g.key}: ${g.egressManagement.mode}`);
    expect(modes.some((m) => m.endsWith("standalone"))).toBe(true);
  });

  it("extracts the plan from CI log lines and says so", () => {
    const result = lintPlan(join(PLANS, "infracost-plan_with_terraform_wrapper.json"));
    expect(result.notes.find((n) => n.code === "plan-extracted")?.message).toMatch(/read the plan from line 2/);
    expect(result.instances.map((i) => i.name)).toEqual(["aws_instance.web_app"]);
  });

  it("never prints the user data of terragoat (fake keys)", () => {
    const result = lintPlan(join(PLANS, "checkov-terragoat-tfplan.json"));
    expect(JSON.stringify(result.findings)).not.toMatch(/AKIA|aws_secret_access_key/i);
  });
});

/** Corpus configurations with the plan made from them. */
const PAIRS: [dir: string, plan: string][] = [
  ["regula-ec2_t2_only", "regula-ec2_t2_only_infra.json"],
  ["regula-resource_view_07", "regula-resource_view_07_asg_lt.json"],
  ["tc-issue-127", "tc-issue-127-asg-lc-instance.json"],
  ["tc-issue-156", "tc-issue-156-instance-sg.json"],
  ["tc-resource-mounting", "tc-resource-mounting-instance-sg.json"],
];

/** Line of `resource "T" "N" {` and of an argument inside it, by plain text search. */
function expectedLine(text: string, address: string, attribute: string | undefined): number | undefined {
  const m = /^(?:module\.[^.]+\.)*(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)/.exec(address.replace(/\[[^\]]*\]/g, ""));
  if (!m) return undefined;
  const lines = text.split("\n");
  const header = new RegExp(`^${m[1] ? "data" : "resource"}\\s+"${m[2]}"\\s+"${m[3]}"\\s*\\{`);
  const start = lines.findIndex((l) => header.test(l));
  if (start < 0) return undefined;
  if (attribute) {
    for (let i = start + 1; i < lines.length && !/^\}/.test(lines[i]!); i++) {
      if (new RegExp(`^\\s*${attribute}\\s*(=|\\{)`).test(lines[i]!)) return i + 1;
    }
  }
  return start + 1;
}

describe.skipIf(!available)("corpus plans with --tf-root", () => {
  for (const [dir, plan] of PAIRS) {
    it(`${plan} findings point at the lines of tf/${dir}`, () => {
      // As a user writes it: relative to the working directory (origins are never absolute).
      const tfRoot = relative(process.cwd(), join(CORPUS, "tf", dir));
      const main = readFileSync(join(tfRoot, "main.tf"), "utf8");
      const result = lintPlan(join(PLANS, plan), { tfRoot });
      const located = result.findings.filter((f) => f.location.file?.endsWith("main.tf"));
      expect(located.length).toBeGreaterThan(0);
      for (const f of result.findings) {
        const address = f.location.id ?? f.subject.key;
        const block = expectedLine(main, address, undefined);
        if (block === undefined) {
          // Not in this main.tf (tc-issue-127's plan came from a larger configuration): the plan, and a note.
          expect(f.location.file, `${f.ruleId} ${address}`).toMatch(/\.json$/);
          continue;
        }
        const line = f.location.region?.startLine;
        expect(f.location.file, `${f.ruleId} ${address}`).toBe(join(tfRoot, "main.tf"));
        // The block line, or an argument line inside the block.
        const end = main.split("\n").findIndex((l, i) => i >= block && /^\}/.test(l)) + 1;
        expect(line, `${f.ruleId} ${address}`).toBeGreaterThanOrEqual(block);
        expect(line, `${f.ruleId} ${address}`).toBeLessThanOrEqual(end);
      }
    });
  }

  it("puts each finding on the exact line", () => {
    const at = (dir: string, plan: string) => {
      const result = lintPlan(join(PLANS, plan), { tfRoot: relative(process.cwd(), join(CORPUS, "tf", dir)) });
      return result.findings
        .map(
          (f) =>
            `${f.ruleId} ${f.subject.key} ${f.location.file?.endsWith(".tf") ? "main.tf" : "plan"}:${f.location.region?.startLine ?? "?"}`,
        )
        .sort();
    };
    // resource "aws_instance" "invalid" is line 34, its ami line 35 (grep -n in the corpus file).
    expect(at("regula-ec2_t2_only", "regula-ec2_t2_only_infra.json")).toContain("SD103 aws_instance.invalid main.tf:35");
    expect(at("regula-ec2_t2_only", "regula-ec2_t2_only_infra.json")).toContain("SD501 aws_instance.invalid main.tf:34");
    expect(at("tc-resource-mounting", "tc-resource-mounting-instance-sg.json")).toContain("SD103 aws_instance.test_instance main.tf:18");
    const r127 = at("tc-issue-127", "tc-issue-127-asg-lc-instance.json");
    expect(r127).toContain("SD302 aws_security_group.instance main.tf:1");
    expect(r127).toContain("SD301 aws_security_group.instance main.tf:1");
  });
});
