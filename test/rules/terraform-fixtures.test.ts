/**
 * Terraform fixtures: fixtures/terraform/<case>/ holds main.tf, the plan.json `terraform show -json`
 * made from it (scripts/terraform/generate-plans.mjs; tests never run terraform) and expected.yaml,
 * the failing findings keyed by the address where the fix goes. The set of (rule, address) must match
 * exactly, with --tf-root (locations on the .tf lines, ignore comments honoured) and without (locations
 * in the plan, nothing suppressed).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Finding } from "../../src/engine/run.js";
import { lintPlan } from "../helpers/terraform.js";

const ROOT = "fixtures/terraform";

interface Expected {
  rule: string;
  severity?: "error" | "warning" | "note";
  file?: string;
  line?: number;
  suppressed?: boolean;
}

function expectations(dir: string): Map<string, Expected[]> {
  const data = parse(readFileSync(join(dir, "expected.yaml"), "utf8")) as Record<string, (Expected | string)[]> | null;
  return new Map(
    Object.entries(data ?? {}).map(([address, list]) => [address, list.map((e) => (typeof e === "string" ? { rule: e } : e))]),
  );
}

const key = (rule: string, address: string) => `${rule} ${address}`;

function failing(findings: Finding[], withSuppressed: boolean): string[] {
  return findings
    .filter((f) => f.verdict === "fail" && (withSuppressed || !f.suppression))
    .map((f) => key(f.ruleId, f.subject.key))
    .sort();
}

const cases = readdirSync(ROOT)
  .filter((name) => statSync(join(ROOT, name)).isDirectory())
  .sort();

describe("Terraform fixtures", () => {
  it("exist, each with main.tf, plan.json and expected.yaml", () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const name of cases)
      for (const file of ["main.tf", "plan.json", "expected.yaml"])
        expect(existsSync(join(ROOT, name, file)), `${name}/${file}`).toBe(true);
  });

  for (const name of cases) {
    const dir = join(ROOT, name);
    describe(name, () => {
      const expected = expectations(dir);
      const all = [...expected].flatMap(([address, list]) => list.map((e) => ({ address, ...e })));

      it("with --tf-root: exactly the expected findings, on the expected lines", () => {
        const result = lintPlan(join(dir, "plan.json"), { tfRoot: dir });
        expect(failing(result.findings, false)).toEqual(
          all
            .filter((e) => !e.suppressed)
            .map((e) => key(e.rule, e.address))
            .sort(),
        );
        for (const e of all) {
          const finding = result.findings.find((f) => f.ruleId === e.rule && f.subject.key === e.address && f.verdict === "fail");
          expect(finding, key(e.rule, e.address)).toBeDefined();
          if (e.severity) expect(finding!.severity, key(e.rule, e.address)).toBe(e.severity);
          else expect(finding!.severity, key(e.rule, e.address)).toBe("error");
          expect(Boolean(finding!.suppression), `${key(e.rule, e.address)} suppressed`).toBe(Boolean(e.suppressed));
          if (e.line !== undefined) {
            expect(finding!.location.file, key(e.rule, e.address)).toBe(join(dir, e.file ?? "main.tf"));
            expect(finding!.location.region?.startLine, key(e.rule, e.address)).toBe(e.line);
          }
        }
      });

      it("without --tf-root: the same findings (ignore comments are not read), located in the plan", () => {
        const result = lintPlan(join(dir, "plan.json"));
        expect(failing(result.findings, false)).toEqual(all.map((e) => key(e.rule, e.address)).sort());
        for (const f of result.findings) expect(f.location.file).toBe(join(dir, "plan.json"));
        expect(result.notes.some((n) => n.code === "tf-root")).toBe(true);
      });

      it("holds a plan without machine paths", () => {
        const text = readFileSync(join(dir, "plan.json"), "utf8");
        expect(text).not.toMatch(/"\/(work|home|root|tmp\/ssm-doctor|opt\/tf-plugins)\//);
        expect(JSON.parse(text).terraform_version).toMatch(/^1\./);
      });
    });
  }
});
