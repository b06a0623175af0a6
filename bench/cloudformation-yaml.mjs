// CloudFormation YAML (DESIGN section 8, issue 11): a YAML template lints in no more time than the
// `yaml` package takes to parse it into a document. Each pair runs the lint, then a bare process that
// only reads the file and calls YAML.parseDocument (bench/parse-yaml-document.mjs); the ratio is taken
// pair by pair and its median printed, so it holds when a shared machine's speed drifts.
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import { join } from "node:path";

/** Wall ms and peak RSS MB of one run (peak from /usr/bin/time when present). */
function once(root, args) {
  const start = process.hrtime.bigint();
  const r = spawnSync("/usr/bin/time", ["-f", "%M", process.execPath, ...args], { encoding: "utf8", cwd: root });
  if (r.error) {
    const s = process.hrtime.bigint();
    spawnSync(process.execPath, args, { cwd: root });
    return { wall: Number(process.hrtime.bigint() - s) / 1e6, rss: 0 };
  }
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  const kb = Number(r.stderr.trim().split("\n").pop());
  return { wall, rss: Number.isFinite(kb) ? kb / 1024 : 0 };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Lints each template against the parse-only baseline, in turn; returns rows and prints the table. */
export function benchCloudFormationYaml({ root, out, runs, templates }) {
  const rows = [];
  for (const [name, file] of templates) {
    const lintArgs = [
      "bin/ssm-doctor.js",
      "lint",
      file,
      "--format",
      "json",
      "--output",
      join(out, "yaml-report.json"),
      "--fail-on",
      "never",
    ];
    const parseArgs = ["bench/parse-yaml-document.mjs", file];
    once(root, lintArgs); // warm-up: file cache, compiled code on disk
    once(root, parseArgs);
    const lint = [];
    const parse = [];
    for (let i = 0; i < runs; i++) {
      lint.push(once(root, lintArgs));
      parse.push(once(root, parseArgs));
    }
    rows.push({
      name,
      bytes: statSync(file).size,
      lint: median(lint.map((m) => m.wall)),
      parse: median(parse.map((m) => m.wall)),
      ratio: median(lint.map((m, i) => m.wall / parse[i].wall)),
      lintRss: Math.max(...lint.map((m) => m.rss)),
      parseRss: Math.max(...parse.map((m) => m.rss)),
    });
  }
  const pad = (s, n) => String(s).padEnd(n);
  console.log("");
  console.log(
    `${pad("CloudFormation YAML", 36)}${pad("size", 10)}${pad("parseDocument ms", 18)}${pad("lint ms", 10)}${pad("lint ÷ parse", 14)}${pad("RSS MB parse/lint", 18)}`,
  );
  for (const r of rows) {
    console.log(
      `${pad(r.name, 36)}${pad(`${(r.bytes / 1048576).toFixed(2)} MB`, 10)}${pad(r.parse.toFixed(0), 18)}${pad(r.lint.toFixed(0), 10)}${pad(`${r.ratio.toFixed(2)}×`, 14)}${pad(r.parseRss ? `${r.parseRss.toFixed(0)}/${r.lintRss.toFixed(0)}` : "-", 18)}`,
    );
  }
  console.log(
    `(whole processes, node start-up included; median of ${runs} pairs; budget: lint ÷ parse ≤ 1.00×, the parse a bare YAML.parseDocument of the file)`,
  );
  return rows;
}
