/** Every rule: valid metadata, unique sorted id, a file named after it, and fixtures both ways. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { remediationOf } from "../../src/engine/rule.js";
import { ruleMetaSchema } from "../../src/engine/rule-meta-schema.js";
import { fillFix } from "../../src/report/text.js";

const FIXTURES = join(import.meta.dirname, "../../fixtures/cloudformation");
const TF_FIXTURES = join(import.meta.dirname, "../../fixtures/terraform");

/** Rules applying to terraform that no plan can show. None today: every such rule has a plan fixture. */
const NOT_EXPRESSIBLE_IN_A_PLAN = new Set<string>();

/** Rule ids the expected.yaml of each Terraform fixture mentions. */
function terraformFixtureRules(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const name of existsSync(TF_FIXTURES) ? readdirSync(TF_FIXTURES) : []) {
    const file = join(TF_FIXTURES, name, "expected.yaml");
    if (!existsSync(file)) continue;
    for (const id of readFileSync(file, "utf8").match(/\bSD\d{3}\b/g) ?? []) out.set(id, [...(out.get(id) ?? []), name]);
  }
  return out;
}
const tfFixtureRules = terraformFixtureRules();
const RULES_DIR = join(import.meta.dirname, "../../rules");

describe("rule registry", () => {
  it("lists rules in id order with unique ids and names", () => {
    const ids = RULES.map((r) => r.meta.id);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(RULES.map((r) => r.meta.name)).size).toBe(RULES.length);
  });

  it("registers every rule file", () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(RULES.map((r) => r.meta.name).sort());
  });
});

describe.each(RULES.map((r) => [r.meta.id, r] as const))("%s", (_id, rule) => {
  it("has valid metadata", () => {
    const parsed = ruleMetaSchema.safeParse(rule.meta);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it("has a fix for each source it applies to", () => {
    if (rule.meta.appliesTo.includes("cloudformation")) expect(rule.meta.remediation.cloudformation).toBeTruthy();
    if (rule.meta.appliesTo.includes("terraform")) expect(rule.meta.remediation.terraform).toBeTruthy();
  });

  it.runIf(rule.meta.severity === "error")(
    "as an error, has a non-empty fix for every failing message and every source it applies to",
    () => {
      const language = { cloudformation: "cloudformation", terraform: "terraform", live: "cli" } as const;
      const failing = Object.keys(rule.meta.messages).filter((id) => !id.startsWith("unknown"));
      expect(failing.length).toBeGreaterThan(0);
      for (const id of failing)
        for (const kind of rule.meta.appliesTo) {
          const lang = language[kind];
          const fix = remediationOf(rule.meta, id)[lang] ?? "";
          expect(fillFix(fix, undefined, lang).trim().length, `${id} / ${kind}`).toBeGreaterThan(10);
        }
    },
  );

  it.runIf(rule.meta.appliesTo.includes("cloudformation"))("has a failing and a passing CloudFormation fixture", () => {
    const dir = join(FIXTURES, rule.meta.name);
    expect(existsSync(dir), `fixtures/cloudformation/${rule.meta.name}/ is missing`).toBe(true);
    const files = readdirSync(dir);
    const bad = files.filter((f) => readFileSync(join(dir, f), "utf8").includes(`expect: ${rule.meta.id}`));
    const good = files.filter((f) => f.startsWith("good"));
    expect(bad.length, "a fixture with # expect: of this rule").toBeGreaterThan(0);
    expect(good.length, "a good*.yaml fixture").toBeGreaterThan(0);
  });

  it.runIf(rule.meta.appliesTo.includes("terraform") && !NOT_EXPRESSIBLE_IN_A_PLAN.has(rule.meta.id))(
    "has a Terraform plan fixture whose expected.yaml names it",
    () => {
      expect(tfFixtureRules.get(rule.meta.id), `no fixtures/terraform/*/expected.yaml mentions ${rule.meta.id}`).toBeDefined();
    },
  );

  it("uses only placeholders its findings can fill", () => {
    for (const template of Object.values(rule.meta.messages as Record<string, string>)) {
      expect(template).toMatch(/^[^{]*(\{\{([#^/]?\w+|attribute:\w+)\}\}[^{]*)*$/);
    }
  });
});
