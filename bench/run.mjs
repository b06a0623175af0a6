// Benchmarks (DESIGN section 8), run with `npm run bench` (it builds first). Every row is a whole process,
// start-up included, measured against a baseline process in the same run (the machine is noisy: compare
// ratios, not absolute times). Prints a Markdown table: input, size, wall (median), peak RSS, ratio to the
// row's baseline, the budget. BENCHMARKS.md at the root holds a copy. Timings are never asserted in tests.
//
//   BENCH_RUNS=5     runs per row (default 5; heavy rows take 3, the 20,000-instance fleets 1)
//   BENCH_ONLY=a,b   only these sections: startup, cloudformation, review, careless, shapes, terraform, live, peers
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { carelessPlan, carelessTemplate } from "./careless-fleet.mjs";
import { benchCloudFormationYaml } from "./cloudformation-yaml.mjs";
import { perInstanceGroupsTemplate, unmatchedSuppressions } from "./shapes.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "bench/out");
mkdirSync(out, { recursive: true });
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : undefined;
const section = (name) => !ONLY || ONLY.has(name);
const BIN = join(root, "bin/ssm-doctor.js");
/** The CLI reads at most this much (src/cli/inputs.ts). */
const READ_LIMIT = 50 * 1024 * 1024;

/** Wall time (ms, median) and peak RSS (MB, largest) of a command, via /usr/bin/time when present. */
function measure(command, args, runs = RUNS, env = process.env) {
  const walls = [];
  let rss = 0;
  let status = 0;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    let r = spawnSync("/usr/bin/time", ["-f", "%M", command, ...args], { encoding: "utf8", cwd: root, env, maxBuffer: 1 << 28 });
    const timed = !r.error;
    if (!timed) r = spawnSync(command, args, { encoding: "utf8", cwd: root, env, maxBuffer: 1 << 28 });
    walls.push(Number(process.hrtime.bigint() - start) / 1e6);
    status = r.status ?? 2;
    if (timed) {
      const kb = Number(r.stderr.trim().split("\n").pop());
      if (Number.isFinite(kb)) rss = Math.max(rss, kb / 1024);
    }
  }
  walls.sort((a, b) => a - b);
  return { wall: walls[Math.floor(walls.length / 2)], rss, status };
}

const node = (args, runs) => measure(process.execPath, args, runs);
const lint = (file, runs, extra = []) =>
  node([BIN, "lint", file, "--format", "json", "--output", join(out, "report.json"), "--fail-on", "never", ...extra], runs);
const mb = (bytes) => `${(bytes / 1048576).toFixed(2)} MB`;
const kb = (bytes) => (bytes < 1048576 ? `${(bytes / 1024).toFixed(0)} KB` : mb(bytes));
const notes = [];

/** Rows of the table: [input, size, measurement, ratio text, budget]. */
const rows = [];
const row = (input, size, m, ratio, budget) => rows.push([input, size, m, ratio, budget]);
const x = (a, b) => `${(a / b).toFixed(2)}×`;

const baseline = node(["-e", "0"]);
row("node -e 0", "-", baseline, "1.00× (baseline)", "-");

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

// ---------------------------------------------------------------- start-up and CloudFormation templates
if (section("startup")) {
  const small = join(root, "examples/private-subnet-endpoints.yaml");
  const m = lint(small);
  row("lint small template", kb(statSync(small).size), m, `${x(m.wall, baseline.wall)} node -e 0`, "≤ 2× node -e 0");
}
if (section("cloudformation")) {
  for (const size of [0.25, 1]) {
    const file = join(out, `synthetic-${size}mb.yaml`);
    writeFileSync(file, syntheticTemplate(size * 1024 * 1024));
    const floor = node(["bench/baseline.mjs", "yaml", file]);
    const m = lint(file);
    row(`yaml parseDocument, ${size} MB template`, mb(statSync(file).size), floor, "(baseline)", "-");
    row(`lint synthetic ${size} MB template`, mb(statSync(file).size), m, `${x(m.wall, floor.wall)} yaml parse`, "≤ 1× yaml parse");
  }
  const largest = join(root, "../shared/corpus/cfn/cfnlint-quickstart-cis_benchmark.yaml");
  try {
    const m = lint(largest);
    row("lint corpus cis_benchmark.yaml", kb(statSync(largest).size), m, `${x(m.wall, baseline.wall)} node -e 0`, "-");
  } catch {
    notes.push("the shared corpus is not beside the repository: its rows are left out");
  }
}

// ---------------------------------------------------------------- change review
// `lint --baseline` pays for @aws-cdk/cloudformation-diff (loaded lazily), `lint` alone never does; `diff` of
// two 1 MB templates (the second with one copy's HTTPS egress rule removed) against linting both once (the
// floor: two parses and two analyses).
if (section("review")) {
  const small = join(root, "examples/private-subnet-endpoints.yaml");
  const file = join(out, "synthetic-1mb.yaml");
  writeFileSync(file, syntheticTemplate(1024 * 1024));
  const changed = join(out, "synthetic-1mb-changed.yaml");
  writeFileSync(
    changed,
    readFileSync(file, "utf8").replace(
      /CidrIp: !Ref pCidr\s*\n(\s*)FromPort: 443\n(\s*)ToPort: 443/,
      "CidrIp: !Ref pCidr\n$1FromPort: 22\n$2ToPort: 22",
    ),
  );
  const plain = lint(small);
  const withBaseline = measure(process.execPath, [
    BIN,
    "lint",
    small,
    "--baseline",
    small,
    "--format",
    "json",
    "--output",
    join(out, "small-baseline.json"),
  ]);
  row("lint small template --baseline itself", kb(statSync(small).size), withBaseline, `${x(withBaseline.wall, plain.wall)} lint`, "-");
  const both = measure(
    process.execPath,
    [BIN, "lint", file, changed, "--format", "json", "--output", join(out, "both.json"), "--fail-on", "never"],
    3,
  );
  row("lint both 1 MB templates", "2 × 1 MB", both, "(baseline)", "-");
  const diff = measure(
    process.execPath,
    [BIN, "diff", file, changed, "--format", "json", "--output", join(out, "diff.json"), "--fail-on", "never"],
    3,
  );
  row("diff two 1 MB templates", "2 × 1 MB", diff, `${x(diff.wall, both.wall)} lint both`, "-");
  // A change to every resource of a kind (an instance type bumped across a fleet): every instance is a change.
  let first;
  for (const n of [500, 2000, 5000]) {
    const before = join(out, `careless-${n}.yaml`);
    const after = join(out, `careless-${n}-resized.yaml`);
    writeFileSync(before, carelessTemplate(n));
    writeFileSync(after, carelessTemplate(n).replaceAll("InstanceType: t3.micro", "InstanceType: t3.small"));
    const m = measure(
      process.execPath,
      [BIN, "diff", before, after, "--format", "json", "--output", join(out, "diff.json"), "--fail-on", "never"],
      n >= 5000 ? 1 : 3,
    );
    first ??= { n, m };
    row(
      `diff careless template, ${n} instances, every instance resized`,
      `2 × ${mb(statSync(before).size)}`,
      m,
      n === first.n ? "(baseline)" : `${x(m.wall, first.m.wall)} ${first.n} (instances ${n / first.n}×)`,
      "linear",
    );
  }
}

// ---------------------------------------------------------------- the careless fleet: every instance fails
// Linear in failing instances (DESIGN section 8): 5,000 cost at most 12× what 500 do. Time per instance shown.
if (section("careless")) {
  for (const [kind, make, ext] of [
    ["template", carelessTemplate, "yaml"],
    ["plan", carelessPlan, "plan.json"],
  ]) {
    let first;
    for (const n of [500, 2000, 5000, 20000]) {
      const file = join(out, `careless-${n}.${ext}`);
      const text = make(n);
      if (Buffer.byteLength(text) > READ_LIMIT) {
        notes.push(`careless ${kind} of ${n} instances: ${mb(Buffer.byteLength(text))}, over the 50 MB the CLI reads; not run`);
        continue;
      }
      writeFileSync(file, text);
      const m = lint(file, n >= 20000 ? 1 : n >= 5000 ? Math.min(RUNS, 3) : RUNS);
      first ??= { n, m };
      const size = `${mb(statSync(file).size)}, ${(m.wall / n).toFixed(2)} ms/instance`;
      row(
        `lint careless ${kind}, ${n} instances`,
        size,
        m,
        n === first.n ? "(baseline)" : `${x(m.wall, first.m.wall)} ${first.n} (instances ${n / first.n}×)`,
        n === 5000 ? "≤ 12× the 500 row" : "linear",
      );
    }
  }
}

// ---------------------------------------------------------------- other shapes of growth
// Inputs where each instance brings something every other instance meets: a rule in the endpoints' group per
// instance group; a suppression per team, read for every finding. Linear: 4× the instances, about 4× the time.
if (section("shapes")) {
  let first;
  for (const n of [250, 1000, 4000]) {
    const file = join(out, `groups-${n}.yaml`);
    writeFileSync(file, perInstanceGroupsTemplate(n));
    const m = lint(file, n >= 4000 ? Math.min(RUNS, 3) : RUNS);
    first ??= { n, m };
    row(
      `lint ${n} instances, a group each, ${n} rules in the endpoints' group`,
      mb(statSync(file).size),
      m,
      n === first.n ? "(baseline)" : `${x(m.wall, first.m.wall)} ${first.n} (instances ${n / first.n}×)`,
      "linear",
    );
  }
  const fleet = join(out, "careless-5000.yaml");
  writeFileSync(fleet, carelessTemplate(5000));
  const config = join(out, "suppressions-500.yaml");
  writeFileSync(config, unmatchedSuppressions(500));
  const runs = Math.min(RUNS, 3);
  // The repository has no .ssm-doctor.yaml: the plain run reads none.
  const plain = lint(fleet, runs);
  const suppressed = lint(fleet, runs, ["--config", config]);
  row("lint careless template, 5000 instances, no suppressions", mb(statSync(fleet).size), plain, "(baseline)", "-");
  row(
    "the same with 500 suppressions that match nothing",
    mb(statSync(fleet).size),
    suppressed,
    `${x(suppressed.wall, plain.wall)} without`,
    "-",
  );
}

// ---------------------------------------------------------------- Terraform plans
// The whole run ≤ 2× a bare process that reads and JSON.parses the same file (node start-up included), peak
// memory above node's own ≤ 2× the parsed document.
if (section("terraform")) {
  /**
   * Heap bytes the parsed document takes. The text is read and parsed inside a function: a temporary of the
   * top-level code would stay on the stack and keep the text alive, counting it as part of the document.
   */
  const parsedBytes = (file) => {
    const r = spawnSync(
      process.execPath,
      [
        "--expose-gc",
        "-e",
        `gc();const b=process.memoryUsage().heapUsed;const d=(()=>JSON.parse(require("fs").readFileSync(${JSON.stringify(file)},"utf8")))();gc();gc();console.log(process.memoryUsage().heapUsed-b+(d?0:0))`,
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
  for (const size of [1, 10, 50]) {
    const file = join(out, `synthetic-plan-${size}mb.json`);
    // Decimal megabytes: the 50 MB plan stays under the 50 MiB the CLI reads.
    writeFileSync(file, syntheticPlan(size * 1000 * 1000));
    plans.push([`synthetic ${size} MB plan`, file]);
  }
  for (const [name, file] of plans) {
    const runs = statSync(file).size > 20e6 ? Math.min(RUNS, 3) : RUNS;
    const parse = node(["bench/baseline.mjs", "json", file], runs);
    const m = lint(file, runs);
    const doc = parsedBytes(file);
    const above = m.rss - baseline.rss;
    // The floor's own memory, in the same unit as the budget: reading and parsing already holds text and document.
    row(
      `JSON.parse, ${name}`,
      mb(statSync(file).size),
      parse,
      `(baseline); RSS above node ${x(parse.rss - baseline.rss, doc)} the document`,
      "-",
    );
    row(
      `lint ${name}`,
      mb(statSync(file).size),
      m,
      `${x(m.wall, parse.wall)} JSON.parse; RSS above node ${x(above, doc)} the ${doc.toFixed(doc < 10 ? 1 : 0)} MB document`,
      "≤ 2× JSON.parse; ≤ 2× the document",
    );
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

// ---------------------------------------------------------------- live
// `check --all` against the loopback fake AWS endpoint with 50 ms injected latency per call (DESIGN section 8:
// 1,000 instances in 10 VPCs ≤ 60 calls and ≤ 2 s; 20,000 in 50 VPCs ≤ 10 s). The wall is the CLI's own
// process; the fake runs beside it on the same cores.
if (section("live")) {
  const tsx = join(root, "node_modules/.bin/tsx");
  for (const [fleet, runs, budget] of [
    ["1000x10", Math.min(RUNS, 3), "≤ 60 calls, ≤ 2000 ms"],
    ["20000x50", 1, "≤ 10000 ms"],
  ]) {
    const walls = [];
    let calls = "?";
    for (let i = 0; i < runs; i++) {
      const r = spawnSync(tsx, ["test/fake-aws/demo.ts", "fleet", "--all", "--format", "json", "--output", join(out, "fleet.json")], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, FAKE_LATENCY_MS: "50", FLEET: fleet },
        maxBuffer: 1 << 28,
      });
      const m = /check took (\d+) ms; (\d+) AWS calls/.exec(r.stderr ?? "");
      if (!m) break;
      walls.push(Number(m[1]));
      calls = m[2];
    }
    walls.sort((a, b) => a - b);
    const [n, v] = fleet.split("x");
    if (walls.length > 0)
      row(
        `check --all, ${n} instances / ${v} VPCs`,
        `${calls} calls, 50 ms each`,
        { wall: walls[Math.floor(walls.length / 2)], rss: 0 },
        `${x(walls[Math.floor(walls.length / 2)], baseline.wall)} node -e 0`,
        budget,
      );
  }
}

// ---------------------------------------------------------------- peers on the same inputs, when installed
if (section("peers")) {
  const which = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).stdout.trim();
  const inputs = [
    ["small template", join(root, "examples/private-subnet-endpoints.yaml"), "cloudformation"],
    ["synthetic 1 MB template", join(out, "synthetic-1mb.yaml"), "cloudformation"],
    ["careless template, 500 instances", join(out, "careless-500.yaml"), "cloudformation"],
    ["synthetic 10 MB plan", join(out, "synthetic-plan-10mb.json"), "terraform_plan"],
  ].filter(([, file]) => {
    try {
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
  const peers = [
    ["cfn-lint", (file) => [file], (kind) => kind === "cloudformation"],
    ["checkov", (file, kind) => ["-f", file, "--framework", kind, "--quiet", "--compact"], () => true],
  ];
  for (const [peer, argsOf, handles] of peers) {
    const path = which(peer);
    if (!path) {
      notes.push(`${peer} is not installed: its rows are skipped (pip install ${peer} to compare)`);
      continue;
    }
    for (const [name, file, kind] of inputs) {
      if (!handles(kind)) continue;
      const ours = lint(file, Math.min(RUNS, 3));
      const theirs = measure(path, argsOf(file, kind), Math.min(RUNS, 3));
      row(`${peer}, ${name}`, kb(statSync(file).size), theirs, `${x(theirs.wall, ours.wall)} ssm-doctor (${ours.wall.toFixed(0)} ms)`, "-");
    }
  }
}

// ---------------------------------------------------------------- the table
const cell = (s) => String(s).replaceAll("|", "\\|");
console.log("| input | size | wall ms | peak RSS MB | ratio | budget |");
console.log("| --- | --- | ---: | ---: | --- | --- |");
for (const [input, size, m, ratio, budget] of rows)
  console.log(`| ${[input, size, m.wall.toFixed(0), m.rss ? m.rss.toFixed(0) : "-", ratio, budget].map(cell).join(" | ")} |`);
console.log("");
console.log(`Median of ${RUNS} runs (heavy rows 3, the 20,000-instance fleets 1); whole processes, start-up included.`);
for (const note of notes) console.log(`- ${note}`);

// ---------------------------------------------------------------- CloudFormation YAML against its parse, in pairs
if (section("yaml")) {
  const synthetic = join(out, "synthetic-1mb.yaml");
  writeFileSync(synthetic, syntheticTemplate(1024 * 1024));
  const yamlTemplates = [["synthetic 1 MB template", synthetic]];
  const largest = join(root, "../shared/corpus/cfn/cfnlint-quickstart-cis_benchmark.yaml");
  try {
    statSync(largest);
    yamlTemplates.push(["corpus cis_benchmark.yaml", largest]);
  } catch {
    // the shared corpus is optional for the benchmark
  }
  benchCloudFormationYaml({ root, out, runs: RUNS, templates: yamlTemplates });
}
