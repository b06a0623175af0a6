/**
 * Writes docs/rules/<id>.md and docs/rules/README.md from the rules' metadata and examples (`npm run docs`).
 * test/report/rule-docs.test.ts fails when a committed page differs from what this would write.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RULES } from "../rules/index.js";
import { ruleDocPages } from "../src/report/rule-doc.js";

const DIR = join(import.meta.dirname, "../docs/rules");
mkdirSync(DIR, { recursive: true });
const pages = ruleDocPages(RULES);
let changed = 0;
for (const [name, text] of pages) {
  const path = join(DIR, name);
  let old: string | undefined;
  try {
    old = readFileSync(path, "utf8");
  } catch {
    old = undefined;
  }
  if (old === text) continue;
  writeFileSync(path, text);
  changed++;
}
// Pages of rules that no longer exist would mislead: remove them.
for (const name of readdirSync(DIR)) {
  if (name.endsWith(".md") && !pages.has(name)) {
    rmSync(join(DIR, name));
    changed++;
  }
}
process.stdout.write(`docs/rules: ${pages.size} pages, ${changed} written or removed\n`);
