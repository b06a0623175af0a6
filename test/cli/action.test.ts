/**
 * action.yml: the composite action's inputs, and its lint step run here with bash as a runner would
 * (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), on the built CLI.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { sarifValidator } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8"));
type Step = { id?: string; uses?: string; run?: string; with?: Record<string, unknown> };
const steps: Step[] = action.runs.steps;

function runLintStep(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-action-"));
  const output = join(dir, "output");
  const summary = join(dir, "summary");
  writeFileSync(output, "");
  writeFileSync(summary, "");
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    NO_COLOR: "1",
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    RUNNER_TEMP: dir,
  };
  for (const [name, spec] of Object.entries(action.inputs as Record<string, { default?: string }>))
    env[`INPUT_${name.toUpperCase().replace(/-/g, "_")}`] = inputs[name] ?? spec.default ?? "";
  env.INPUT_SARIF_FILE = join(dir, inputs["sarif-file"] ?? "ssm-doctor.sarif");
  const script = steps.find((s) => s.id === "lint")!.run!;
  const r = spawnSync("bash", ["-e", "-c", script], { cwd: ROOT, env, encoding: "utf8" });
  return { ...r, dir, output: readFileSync(output, "utf8"), summary: readFileSync(summary, "utf8"), sarifFile: env.INPUT_SARIF_FILE };
}

describe("action.yml", () => {
  it("is a composite action on Node 20 with the inputs the README names", () => {
    expect(action.runs.using).toBe("composite");
    expect(steps[0]).toMatchObject({ uses: expect.stringMatching(/^actions\/setup-node@/), with: { "node-version": 20 } });
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining(["paths", "format", "fail-on", "tf-root", "args", "sarif-file", "summary", "working-directory"]),
    );
    expect(action.inputs.paths.required).toBe(true);
    expect(Object.keys(action.outputs)).toEqual(["sarif-file", "exit-code"]);
  });

  it("runs lint: the chosen format in the log, SARIF to the file, the summary appended, outputs set, the exit code passed on", () => {
    const r = runLintStep({
      paths: "fixtures/cloudformation/seed-000/private-dns-off.yaml\nexamples/private-subnet-endpoints.yaml",
      format: "github",
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error file=fixtures\/cloudformation\/seed-000\/private-dns-off\.yaml,/m);
    expect(sarifValidator()(JSON.parse(readFileSync(r.sarifFile, "utf8")))).toEqual([]);
    expect(r.summary).toMatch(/^## ssm-doctor/);
    expect(r.summary).toContain("endpoint-private-dns-off");
    expect(r.output).toBe(`sarif-file=${r.sarifFile}\nexit-code=1\n`);
  });

  it("passes fail-on and extra args through", () => {
    const r = runLintStep({
      paths: "fixtures/cloudformation/seed-000/private-dns-off.yaml",
      "fail-on": "never",
      args: "--region us-east-1 --quiet",
    });
    expect(r.status).toBe(0);
    expect(r.output).toContain("exit-code=0");
  });
});
