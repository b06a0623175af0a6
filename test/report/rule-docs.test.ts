/**
 * docs/rules/ holds one generated page per rule plus an index, each exactly what `npm run docs` writes;
 * `ssm-doctor explain` prints the same page. A stale or missing page fails here: run `npm run docs`.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RULES } from "../../rules/index.js";
import { readableTemplate } from "../../src/report/message.js";
import { ruleDocUrl } from "../../src/report/project.js";
import { formatRuleDoc, ruleDocPages } from "../../src/report/rule-doc.js";

const ROOT = join(import.meta.dirname, "../..");
const DOCS = join(ROOT, "docs/rules");
const pages = ruleDocPages(RULES);

describe("docs/rules", () => {
  it("holds exactly one page per rule and the index (run `npm run docs` to regenerate)", () => {
    const files = existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith(".md")) : [];
    expect(files.sort()).toEqual([...pages.keys()].sort());
  });

  it.each([...pages.entries()].map(([name, text]) => [name, text]))("%s is current (run `npm run docs`)", (name, text) => {
    const path = join(DOCS, name);
    expect(existsSync(path), `docs/rules/${name} is missing`).toBe(true);
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("each page explains why, shows examples per source, the fix, unknowns and references", () => {
    for (const rule of RULES) {
      const doc = formatRuleDoc(rule);
      for (const heading of ["## Why it breaks Session Manager", "## Examples", "## The fix", "## Unknown values", "## References"])
        expect(doc, `${rule.meta.id} ${heading}`).toContain(heading);
      for (const [kind, title] of [
        ["cloudformation", "CloudFormation"],
        ["terraform", "Terraform"],
        ["live", "Live account"],
      ] as const) {
        const example = rule.examples[kind];
        if (!example) continue;
        expect(doc).toContain(`${title}, fails (`);
        expect(doc, `${rule.meta.id} links its ${kind} inputs`).toContain(`\`${example.files.bad}\``);
        expect(doc).toContain(`\`${example.files.good}\``);
      }
      for (const ref of rule.meta.references) expect(doc).toContain(ref);
    }
  });

  it("shows messages as a person reads them, not the template's syntax", () => {
    for (const text of pages.values()) expect(text).not.toMatch(/\{\{[#^/]|\{\{attribute:/);
    expect(
      readableTemplate("{{endpoint}} is off{{#defaulted}} (the default when {{attribute:privateDnsEnabled}} is not set){{/defaulted}}.", [
        "cloudformation",
        "terraform",
        "live",
      ]),
    ).toBe("{{endpoint}} is off [(the default when PrivateDnsEnabled / private_dns_enabled is not set)].");
    expect(readableTemplate("in {{#zones}}{{zones}}{{/zones}}{{^zones}}its zone{{/zones}}", ["terraform"])).toBe(
      "in [{{zones}} | its zone]",
    );
    expect(readableTemplate("a{{#outer}}, b{{#inner}} c{{/inner}}{{/outer}}.", ["live"])).toBe("a[, b [c]].");
  });

  it("the SARIF help URI points at the page", () => {
    expect(ruleDocUrl("SD301")).toMatch(/^https:\/\/github\.com\/.+\/blob\/main\/docs\/rules\/SD301\.md$/);
  });

  it("`ssm-doctor explain` prints the same text as the page", () => {
    const id = RULES.at(-1)!.meta.id;
    const r = spawnSync(process.execPath, [join(ROOT, "bin/ssm-doctor.js"), "explain", id], { encoding: "utf8" });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(join(DOCS, `${id}.md`), "utf8"));
  });
});
