/**
 * The RuleTester (typescript-eslint's is the model): runs a rule's examples through the path `lint` and
 * `check` take, the source loading the input and the engine running every rule, and lists what is wrong.
 * The bad input must give findings of this rule only (its `alsoReports` aside), at least one failing; the
 * good input must give no finding at all.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { RULES } from "../../rules/index.js";
import { lookupAwsManagedPolicy } from "../../src/analysis/iam.js";
import type { Rule } from "../../src/engine/rule.js";
import { type Finding, runRules } from "../../src/engine/run.js";
import { dhmcStated, type SourceKind } from "../../src/model/index.js";
import { collectLiveWorld } from "../../src/sources/aws/index.js";
import { type LoadOptions, sources } from "../../src/sources/index.js";
import { ACCOUNTS_DIR, expandScenario, loadScenarioSpec, merge } from "../fake-aws/scenario.js";
import { startFakeAws } from "../fake-aws/server.js";

const ROOT = join(import.meta.dirname, "../..");

/** How an example is checked, from its leading comments: `# region: us-east-1`, `# dhmc: enabled`, `# principal: arn:…`. */
export interface ExampleSettings {
  region?: string;
  dhmc?: "enabled" | "disabled";
  principal?: string;
}

export function settingsOf(text: string): ExampleSettings {
  const settings: ExampleSettings = {};
  for (const line of text.split("\n")) {
    if (!line.startsWith("#")) break;
    const m = /^#\s*(region|dhmc|principal):\s*(\S+)\s*$/.exec(line);
    if (!m) continue;
    if (m[1] === "dhmc") settings.dhmc = m[2] === "enabled" ? "enabled" : "disabled";
    else settings[m[1] as "region" | "principal"] = m[2]!;
  }
  return settings;
}

/** Every finding of the whole rule set for one example input (a path relative to the repository root). */
export async function findingsOfExample(kind: SourceKind, file: string): Promise<Finding[]> {
  const path = join(ROOT, file);
  const text = readFileSync(path, "utf8");
  const settings = settingsOf(text);
  if (kind === "live") return findingsOfScenario(path, text, settings);
  const dhmc = dhmcStated(settings.dhmc);
  const load: LoadOptions = { parameters: {}, ...(dhmc ? { dhmc } : {}), ...(settings.region ? { region: settings.region } : {}) };
  // Recognised by the registry as `lint <file>` does: a template, or a .tf file standing for its folder.
  const input = sources.detectNamedFile(path, () => text);
  if (!input) throw new Error(`${file}: no source recognises this example`);
  const worlds = await sources.loadWorlds([input], load);
  return worlds.flatMap(({ world }) => runRules(world, RULES, { today: "2026-01-01" }).findings);
}

/** A fake account scenario checked as `check --instance <every instance of it>` does, against the loopback fake. */
async function findingsOfScenario(path: string, text: string, settings: ExampleSettings): Promise<Finding[]> {
  const spec = (parse(text) ?? {}) as Record<string, unknown>;
  const { extends: base, ...rest } = spec;
  // `extends:` names a scenario of fixtures/accounts, the accounts the live tests use.
  const full = typeof base === "string" ? merge(loadScenarioSpec(join(ACCOUNTS_DIR, `${base}.yaml`)), rest as never) : spec;
  const account = expandScenario(full as Record<string, unknown>, lookupAwsManagedPolicy);
  const fake = await startFakeAws(account);
  try {
    const live = await collectLiveWorld(
      {
        endpointUrl: fake.url,
        region: account.region,
        timeoutMs: 10_000,
        concurrency: 8,
        maxAttempts: 1,
        credentials: { accessKeyId: "AKIDFAKE", secretAccessKey: "fake-secret" },
      },
      {
        instanceIds: account.instances.map((i) => i.InstanceId!),
        all: false,
        tags: [],
        ...(settings.principal ? { principal: settings.principal } : {}),
      },
    );
    return runRules(live.world, RULES, { today: "2026-01-01" }).findings;
  } catch (e) {
    throw new Error(`${path}: ${(e as Error).message}`);
  } finally {
    await fake.close();
  }
}

/** One line per finding: rule, verdict, message and where (what a failure message shows). */
export function describeFinding(f: Finding): string {
  const line = f.location.region?.startLine;
  return `${f.ruleId} ${f.verdict} ${f.severity} ${f.messageId} on ${f.subject.key}${line ? ` (line ${line})` : ""}`;
}

/** What is wrong with one of a rule's examples: [] when the bad one fails with this rule only, or the good one is silent. */
export async function exampleProblems(rule: Rule, kind: SourceKind, which: "bad" | "good"): Promise<string[]> {
  const example = rule.examples[kind];
  const id = rule.meta.id;
  if (!example) return [`${id} applies to ${kind} but has no ${kind} example (rules/examples/${rule.meta.name}/)`];
  const file = example.files[which];
  const findings = await findingsOfExample(kind, file);
  const seen = findings.length > 0 ? findings.map(describeFinding).join("; ") : "no finding";
  if (which === "good")
    return findings.length === 0 ? [] : [`${id} ${kind} good example ${file} should give no finding; it gives: ${seen}`];
  const problems: string[] = [];
  const allowed = new Set([id, ...(example.alsoReports ?? [])]);
  if (!findings.some((f) => f.ruleId === id && f.verdict === "fail"))
    problems.push(`${id} ${kind} bad example ${file} should give a failing finding of ${id}; it gives: ${seen}`);
  const others = findings.filter((f) => !allowed.has(f.ruleId));
  if (others.length > 0)
    problems.push(
      `${id} ${kind} bad example ${file} should give findings of ${id} only; it also gives: ${others.map(describeFinding).join("; ")}`,
    );
  for (const also of example.alsoReports ?? [])
    if (!findings.some((f) => f.ruleId === also))
      problems.push(`${id} ${kind} bad example ${file} lists ${also} in alsoReports, but gives no finding of it: drop it from the list`);
  return problems;
}
