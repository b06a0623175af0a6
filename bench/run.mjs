// Benchmarks (DESIGN section 8): start-up against a bare `node -e 0`, and CloudFormation templates of
// growing size. Prints a table: input, size, wall (median of runs), peak RSS, ratio to the baseline.
// Run with `npm run bench` (it builds first). Timings are measured, never asserted in tests.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

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
