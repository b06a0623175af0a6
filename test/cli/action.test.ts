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

  it("with a baseline: only what the change introduces fails, the summary leads with what it breaks", () => {
    const unchanged = runLintStep({
      paths: "fixtures/diff/cloudformation/egress-dropped.yaml",
      baseline: "fixtures/diff/cloudformation/egress-dropped.yaml",
      format: "github",
    });
    expect(unchanged.status).toBe(0);
    expect(unchanged.stdout).toBe("");
    expect(unchanged.summary).toContain("This change breaks Session Manager for: nothing");

    const broken = runLintStep({
      paths: "fixtures/diff/cloudformation/egress-dropped.yaml",
      baseline: "fixtures/diff/cloudformation/egress-kept.yaml",
      format: "github",
    });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toMatch(/^::error file=fixtures\/diff\/cloudformation\/egress-dropped\.yaml,/m);
    expect(broken.summary).toContain("This change breaks Session Manager for: rEc2Instance (SD301 instance-egress-blocked)");
    const sarif = JSON.parse(readFileSync(broken.sarifFile, "utf8"));
    expect(sarifValidator()(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((r: { baselineState: string }) => r.baselineState)).toEqual(["new"]);
  });

  it("the pull-request example and the README use the baseline input the action has", () => {
    const workflow = parse(readFileSync(join(ROOT, "examples/github-pull-request.yml"), "utf8"));
    const uses = Object.values(workflow.jobs as Record<string, { steps: Step[] }>).flatMap((j) =>
      j.steps.filter((s) => s.uses?.startsWith("ssm-doctor/ssm-doctor@")),
    );
    expect(uses.length).toBe(2);
    for (const step of uses) {
      expect(step.with?.baseline).toBeTruthy();
      for (const name of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(name);
    }
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("baseline: ${{ runner.temp }}/base-app.yaml");
    expect(readme).toContain('git show "origin/$BASE_REF:templates/app.yaml"');
  });
});
