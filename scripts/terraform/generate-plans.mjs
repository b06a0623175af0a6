#!/usr/bin/env node
// Regenerates fixtures/terraform/<case>/plan.json from the case's main.tf with a real `terraform plan`
// + `terraform show -json`. Needs terraform (1.11 here) and the hashicorp/aws provider in a filesystem
// mirror (TF_PLUGIN_MIRROR, default /opt/tf-plugins); AWS is the loopback fake in fake-aws.mjs (127.0.0.1,
// selected with AWS_ENDPOINT_URL, static fake credentials), so no network is used. Tests read the committed
// plans and never run this.
//
//   node scripts/terraform/generate-plans.mjs            # every case
//   node scripts/terraform/generate-plans.mjs seed-003-before nat-gateway   # some cases
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startFakeAws } from "./fake-aws.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
// TF_CASES: another folder of cases (the benchmark seed in bench/careless-fleet is one).
const CASES = process.env.TF_CASES ?? join(ROOT, "fixtures/terraform");
const MIRROR = process.env.TF_PLUGIN_MIRROR ?? "/opt/tf-plugins";
const TERRAFORM = process.env.TERRAFORM ?? "terraform";
/** Files of a case that are outputs or expectations, not configuration. */
const NOT_CONFIG = new Set(["plan.json", "expected.yaml", ".terraform", ".terraform.lock.hcl", "README.md"]);

/** Runs terraform without blocking the event loop (the fake AWS answers from this process). */
function run(args, cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(TERRAFORM, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out = [];
    const err = [];
    child.stdout.on("data", (c) => out.push(c));
    child.stderr.on("data", (c) => err.push(c));
    child.on("error", (e) => reject(new Error(`cannot run ${TERRAFORM}: ${e.message}`)));
    child.on("close", (code) => {
      const stdout = Buffer.concat(out).toString("utf8");
      if (code === 0) resolve(stdout);
      else reject(new Error(`terraform ${args[0]} failed:\n${Buffer.concat(err).toString("utf8") || stdout}`));
    });
  });
}

/** Absolute paths of this machine must not end up in committed plans. */
function assertNoMachinePaths(text, dirs, name) {
  for (const needle of dirs) {
    if (needle && needle.length > 1 && text.includes(needle)) throw new Error(`${name}: the plan contains the machine path ${needle}`);
  }
}

async function main() {
  const wanted = process.argv.slice(2);
  const cases = readdirSync(CASES)
    .filter((name) => statSync(join(CASES, name)).isDirectory() && existsSync(join(CASES, name, "main.tf")))
    .filter((name) => wanted.length === 0 || wanted.includes(name))
    .sort();
  const missing = wanted.filter((w) => !cases.includes(w));
  if (missing.length > 0) throw new Error(`no such case: ${missing.join(", ")}`);

  const fake = await startFakeAws();
  const scratch = mkdtempSync(join(tmpdir(), "ssm-doctor-tf-"));
  const cliConfig = join(scratch, "terraform.rc");
  writeFileSync(cliConfig, `provider_installation {\n  filesystem_mirror {\n    path = "${MIRROR}"\n  }\n}\n`);
  const env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: scratch,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: "1",
    CHECKPOINT_DISABLE: "1",
    AWS_ENDPOINT_URL: fake.url,
    AWS_ACCESS_KEY_ID: "AKIAFIXTUREFAKEKEY00",
    AWS_SECRET_ACCESS_KEY: "fixture-fake-secret-access-key-0000000000",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_MAX_ATTEMPTS: "1",
  };
  let failed = 0;
  try {
    for (const name of cases) {
      const source = join(CASES, name);
      const work = join(scratch, name);
      cpSync(source, work, { recursive: true, filter: (src) => !NOT_CONFIG.has(src.slice(src.lastIndexOf("/") + 1)) });
      try {
        await run(["init", "-input=false", "-no-color", "-backend=false"], work, env);
        await run(["plan", "-input=false", "-no-color", "-lock=false", "-out=tfplan"], work, env);
        const json = await run(["show", "-json", "-no-color", "tfplan"], work, env);
        JSON.parse(json);
        assertNoMachinePaths(json, [work, scratch, ROOT, MIRROR, process.env.HOME ?? "/root"], name);
        const target = join(source, "plan.json");
        const before = existsSync(target) ? readFileSync(target, "utf8") : "";
        writeFileSync(target, json.endsWith("\n") ? json : `${json}\n`);
        console.log(`${name}: ${before === json ? "unchanged" : "written"} (${(json.length / 1024).toFixed(1)} KB)`);
      } catch (e) {
        failed++;
        console.error(`${name}: ${e.message}`);
      }
    }
  } finally {
    await fake.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (fake.unexpected.length > 0) console.error(`the fake AWS was asked for: ${[...new Set(fake.unexpected)].join(", ")}`);
  if (failed > 0) process.exit(1);
}

await main();
