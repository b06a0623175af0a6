// Benchmarks (DESIGN section 8): start-up against a bare `node -e 0`, and CloudFormation templates of
// growing size. Prints a table: input, size, wall (median of runs), peak RSS, ratio to the baseline.
// Run with `npm run bench` (it builds first). Timings are measured, never asserted in tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchCloudFormationYaml } from "./cloudformation-yaml.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bench/out");
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

/** Wall time (ms) and peak RSS (MB) of a command, via /usr/bin/time when present, else wall only. */
function measure(args) {
  const walls = [];
  let rss = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8", cwd: root });
    const wall = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.error) {
      const s = process.hrtime.bigint();
      spawnSync(process.execPath, args, { cwd: root });
      walls.push(Number(process.hrtime.bigint() - s) / 1e6);
      continue;
    }
    walls.push(wall);
    const kb = Number(r.stderr.trim().split("\n").pop());
    if (Number.isFinite(kb)) rss = Math.max(rss, kb / 1024);
  }
  walls.sort((a, b) => a - b);
  return { wall: walls[Math.floor(walls.length / 2)], rss };
}

/** A template of about `bytes` size: the seed template's network and instance repeated with new ids. */
function syntheticTemplate(bytes) {
  const seed = readFileSync(join(root, "fixtures/cloudformation/seed-000/good.yaml"), "utf8");
  const resources = seed.slice(seed.indexOf("Resources:\n") + "Resources:\n".length);
  const head = seed.slice(0, seed.indexOf("Resources:\n") + "Resources:\n".length).replace(/^#.*\n/gm, "");
  const parts = [head];
  let size = head.length;
  for (let i = 0; size < bytes; i++) {
    const copy = resources.replace(/\br([A-Z][A-Za-z0-9]*)/g, `r$1N${i}`);
    parts.push(copy);
    size += copy.length;
  }
  return parts.join("");
}

const rows = [];
const baseline = measure(["-e", "0"]);
rows.push(["node -e 0 (baseline)", "-", baseline]);
const small = join(root, "examples/private-subnet-endpoints.yaml");
rows.push([
  "lint small template",
  `${statSync(small).size} B`,
  measure(["bin/ssm-doctor.js", "lint", small, "--format", "json", "--output", join(out, "small.json")]),
]);
for (const mb of [0.25, 1]) {
  const file = join(out, `synthetic-${mb}mb.yaml`);
  writeFileSync(file, syntheticTemplate(mb * 1024 * 1024));
  rows.push([
    `lint synthetic ${mb} MB template`,
    `${(statSync(file).size / 1048576).toFixed(2)} MB`,
    measure(["bin/ssm-doctor.js", "lint", file, "--format", "json", "--output", join(out, `synthetic-${mb}.json`), "--fail-on", "never"]),
  ]);
}
// Change review: `lint --baseline` pays for @aws-cdk/cloudformation-diff (loaded lazily), `lint` alone
// never does; `diff` of two 1 MB templates (the second with one copy's HTTPS egress rule removed) against
// linting both once (the floor: two parses and two analyses).
{
  const file = join(out, "synthetic-1mb.yaml");
  const changed = join(out, "synthetic-1mb-changed.yaml");
  const text = readFileSync(file, "utf8");
  writeFileSync(
    changed,
    text.replace(/CidrIp: !Ref pCidr\s*\n(\s*)FromPort: 443\n(\s*)ToPort: 443/, "CidrIp: !Ref pCidr\n$1FromPort: 22\n$2ToPort: 22"),
  );
  rows.push([
    "lint small template --baseline itself",
    `${statSync(small).size} B`,
    measure(["bin/ssm-doctor.js", "lint", small, "--baseline", small, "--format", "json", "--output", join(out, "small-baseline.json")]),
  ]);
  rows.push([
    "lint both 1 MB templates",
    "2 × 1 MB",
    measure(["bin/ssm-doctor.js", "lint", file, changed, "--format", "json", "--output", join(out, "both.json"), "--fail-on", "never"]),
  ]);
  rows.push([
    "diff two 1 MB templates",
    "2 × 1 MB",
    measure(["bin/ssm-doctor.js", "diff", file, changed, "--format", "json", "--output", join(out, "diff.json"), "--fail-on", "never"]),
  ]);
}
const largest = join(root, "../shared/corpus/cfn/cfnlint-quickstart-cis_benchmark.yaml");
try {
  rows.push([
    "lint corpus cis_benchmark.yaml",
    `${(statSync(largest).size / 1024).toFixed(0)} KB`,
    measure(["bin/ssm-doctor.js", "lint", largest, "--format", "json", "--output", join(out, "cis.json")]),
  ]);
} catch {
  // the shared corpus is optional for the benchmark
}

// Terraform plans (DESIGN section 8): the 417 KB corpus plan and synthetic 1, 10, 50 MB plans (the
// good-private-endpoints fixture plan repeated as module instances). Budget: the whole run ≤ 3× a bare
// JSON.parse of the file (node start-up included), peak memory above node's own ≤ 3× the parsed document.
const tfRows = [];
{
  const parseArgs = (file) => ["-e", `JSON.parse(require("fs").readFileSync(${JSON.stringify(file)}, "utf8"))`];
  /** Heap bytes the parsed document takes. */
  const parsedBytes = (file) => {
    const r = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "-e",
        `gc();const b=process.memoryUsage().heapUsed;const d=JSON.parse(require("fs").readFileSync(${JSON.stringify(file)},"utf8"));gc();console.log(process.memoryUsage().heapUsed-b+(d?0:0))`,
      ],
      { encoding: "utf8" },
    );
    return Number(r.stdout.trim()) / 1048576;
  };
  const plans = [];
  const corpusPlan = join(root, "../shared/corpus/tfplan/infracost-terraform_v0.14_plan.json");
  try {
    statSync(corpusPlan);
    plans.push(["corpus infracost v0.14 plan", corpusPlan]);
  } catch {
    // the shared corpus is optional for the benchmark
  }
  for (const mb of [1, 10, 50]) {
    const file = join(out, `synthetic-plan-${mb}mb.json`);
    // Decimal megabytes: the 50 MB plan stays under the 50 MiB the CLI reads.
    writeFileSync(file, syntheticPlan(mb * 1000 * 1000));
    plans.push([`synthetic ${mb} MB plan`, file]);
  }
  for (const [name, file] of plans) {
    const parse = measure(parseArgs(file));
    const lint = measure([
      "bin/ssm-doctor.js",
      "lint",
      file,
      "--format",
      "json",
      "--output",
      join(out, "plan-report.json"),
      "--fail-on",
      "never",
    ]);
    const doc = parsedBytes(file);
    tfRows.push([name, statSync(file).size, parse, lint, doc]);
    rows.push([`lint ${name}`, `${(statSync(file).size / 1048576).toFixed(2)} MB`, lint]);
  }
}

/**
 * A plan of about `bytes`: the good-private-endpoints fixture plan repeated as instances of a module
 * (module.copyN), each with its own configuration scope and the data sources Terraform read.
 */
function syntheticPlan(bytes) {
  const seed = JSON.parse(readFileSync(join(root, "fixtures/terraform/good-private-endpoints/plan.json"), "utf8"));
  const data = seed.prior_state?.values?.root_module?.resources ?? [];
  const unit = JSON.stringify([seed.resource_changes, seed.configuration.root_module, data]).length;
  const copies = Math.max(1, Math.round(bytes / unit));
  const changes = [];
  const calls = {};
  const childModules = [];
  for (let i = 0; i < copies; i++) {
    const module = `module.copy${i}`;
    for (const rc of seed.resource_changes) changes.push({ ...rc, address: `${module}.${rc.address}`, module_address: module });
    calls[`copy${i}`] = { source: "./copy", module: seed.configuration.root_module };
    childModules.push({ address: module, resources: data.map((d) => ({ ...d, address: `${module}.${d.address}` })) });
  }
  const plan = {
    format_version: seed.format_version,
    terraform_version: seed.terraform_version,
    resource_changes: changes,
    prior_state: { format_version: "1.0", values: { root_module: { child_modules: childModules } } },
    configuration: { provider_config: seed.configuration.provider_config, root_module: { module_calls: calls } },
  };
  return JSON.stringify(plan);
}

// Live: `check --all` on a fleet of 1,000 instances in 10 VPCs with 5 roles against the loopback fake AWS
// endpoint with 50 ms injected latency per call (DESIGN section 8: ≤ 100 calls, ≤ 3 s wall).
{
  const tsx = join(root, "node_modules/.bin/tsx");
  const walls = [];
  let calls = "?";
  for (let i = 0; i < Math.min(RUNS, 3); i++) {
    const r = spawnSync(tsx, ["test/fake-aws/demo.ts", "fleet", "--all", "--format", "json", "--output", join(out, "fleet.json")], {
      cwd: root,
      encoding: "utf8",
      env: { ...process.env, FAKE_LATENCY_MS: "50" },
    });
    const m = /check took (\d+) ms; (\d+) AWS calls/.exec(r.stderr ?? "");
    if (!m) break;
    walls.push(Number(m[1]));
    calls = m[2];
  }
  walls.sort((a, b) => a - b);
  if (walls.length > 0)
    rows.push([`check --all, 1000 instances, ${calls} calls`, "50 ms/call", { wall: walls[Math.floor(walls.length / 2)], rss: 0 }]);
}

// CloudFormation YAML against a bare YAML.parseDocument of the same file (bench/cloudformation-yaml.mjs).
const yamlTemplates = [["synthetic 1 MB template", join(out, "synthetic-1mb.yaml")]];
try {
  statSync(largest);
  yamlTemplates.push(["corpus cis_benchmark.yaml", largest]);
} catch {
  // the shared corpus is optional for the benchmark
}

const pad = (s, n) => String(s).padEnd(n);
console.log(`${pad("input", 36)}${pad("size", 12)}${pad("wall ms", 10)}${pad("peak RSS MB", 13)}ratio to baseline`);
for (const [name, size, m] of rows) {
  console.log(
    `${pad(name, 36)}${pad(size, 12)}${pad(m.wall.toFixed(0), 10)}${pad(m.rss ? m.rss.toFixed(0) : "-", 13)}${(m.wall / baseline.wall).toFixed(2)}×`,
  );
}
console.log(
  `(median of ${RUNS} runs; budget: small template ≤ 2.5× baseline; 1 MB template ≤ 500 ms of work above start-up; live fleet ≤ 100 calls, ≤ 3000 ms)`,
);
if (tfRows.length > 0) {
  console.log("");
  console.log(
    `${pad("Terraform plan", 30)}${pad("size", 10)}${pad("parse ms", 10)}${pad("lint ms", 10)}${pad("÷ parse", 9)}${pad("doc MB", 8)}${pad("lint RSS−node", 15)}÷ doc`,
  );
  for (const [name, size, parse, lint, doc] of tfRows) {
    const above = lint.rss - baseline.rss;
    console.log(
      `${pad(name, 30)}${pad(`${(size / 1048576).toFixed(2)} MB`, 10)}${pad(parse.wall.toFixed(0), 10)}${pad(lint.wall.toFixed(0), 10)}${pad(`${(lint.wall / parse.wall).toFixed(2)}×`, 9)}${pad(doc.toFixed(0), 8)}${pad(lint.rss ? `${above.toFixed(0)} MB` : "-", 15)}${lint.rss && doc > 0 ? `${(above / doc).toFixed(2)}×` : "-"}`,
    );
  }
  console.log("(budget: lint ≤ 3× parse, node start-up included; lint RSS above a bare node ≤ 3× the parsed document)");
}

benchCloudFormationYaml({ root, out, runs: RUNS, templates: yamlTemplates });
