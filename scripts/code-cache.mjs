/**
 * The start-up build (DESIGN section 8): the ES module chunks of dist/ converted to CommonJS scripts in
 * dist/cjs/, which bin/ssm-doctor.js compiles with node:vm and a V8 code cache. Node 20 has no compile
 * cache for ES modules (module.enableCompileCache came in Node 22.1); a vm.Script takes `cachedData`.
 *
 * The caches are made here, on the machine that runs the tool, by one representative run (linting the
 * two example templates) after which each script's createCachedData() holds the functions that run
 * compiled. V8 checks its version, its flags and the source's length and refuses a cache that does not
 * fit (`cachedDataRejected`): the script is then compiled as if there were no cache. Each script starts
 * with a build id that its cache repeats, so a cache is never applied to another build's script.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { transform } from "esbuild";

/** What scripts/build.mjs puts first in every chunk: a require for bundled CommonJS code, in an ES module. */
const ESM_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/**
 * Dynamic imports in the chunks: of another chunk (`import("./x.js")`) through the loader's require, so the
 * chunks share their modules; of a package (the AWS SDK, @aws-cdk/cloudformation-diff, web-tree-sitter)
 * through `__import`, a real dynamic import that the loader gives (vm scripts have no import() of their own).
 */
function rewriteDynamicImports(code) {
  return code.replace(/\bimport\("([^"]+)"\)/g, (_, specifier) =>
    specifier.startsWith("./")
      ? `Promise.resolve().then(()=>require(${JSON.stringify(specifier)}))`
      : `__import(${JSON.stringify(specifier)})`,
  );
}

/** dist/*.js (ES modules) → dist/cjs/*.js (CommonJS, each starting with the build id in a comment). */
export async function writeCommonJsChunks(dist) {
  const out = join(dist, "cjs");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "package.json"), '{ "type": "commonjs" }\n');
  const buildId = randomBytes(8).toString("hex");
  for (const name of readdirSync(dist).filter((n) => n.endsWith(".js"))) {
    const esm = readFileSync(join(dist, name), "utf8").replace(/\n\/\/# sourceMappingURL=.*\n?$/, "\n");
    if (!esm.startsWith(ESM_BANNER)) throw new Error(`${name}: the chunk does not start with the expected banner`);
    const { code } = await transform(rewriteDynamicImports(esm.slice(ESM_BANNER.length)), {
      format: "cjs",
      platform: "node",
      target: "node20",
      minify: true,
      // The ES module's own URL (dist/<name>), as import.meta.url was: files beside it are found as before.
      define: { "import.meta.url": "__importMetaUrl" },
      logLevel: "warning",
    });
    if (/\bimport\(/.test(code)) throw new Error(`${name}: a dynamic import was left in the CommonJS chunk`);
    writeFileSync(join(out, name), `/*${buildId}*/${code}`);
  }
}

/**
 * Runs the CLI with SSM_DOCTOR_WRITE_CODE_CACHE set: the loader writes dist/cjs/<chunk>.cache at exit. First
 * `lint` of the two example templates (every cache it loads); then `check` of one instance against a loopback
 * port where nothing listens, with made-up credentials, which loads the live source and the AWS SDK's chunks
 * and fails at its first call (exit 2, nothing sent anywhere): the caches of the scripts the first run did not
 * load.
 */
export function writeCodeCaches(root) {
  const lint = spawnSync(
    process.execPath,
    ["bin/ssm-doctor.js", "lint", "examples/private-subnet-endpoints.yaml", "examples/broken-private-subnet.yaml", "--fail-on", "never"],
    { cwd: root, env: { ...process.env, SSM_DOCTOR_WRITE_CODE_CACHE: "1" }, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" },
  );
  if (lint.status !== 0) throw new Error(`the run that makes the code caches failed (${lint.status}): ${lint.stderr}`);
  const check = spawnSync(process.execPath, ["bin/ssm-doctor.js", "check", "--instance", "i-0123456789abcdef0", "--timeout", "2"], {
    cwd: root,
    // Only these variables: none of the caller's AWS settings (an endpoint per service, a profile, a proxy)
    // may send this run anywhere but the closed loopback port.
    env: {
      PATH: process.env.PATH ?? "",
      SSM_DOCTOR_WRITE_CODE_CACHE: "missing",
      AWS_ENDPOINT_URL: "http://127.0.0.1:9",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "AKIDCODECACHE",
      AWS_SECRET_ACCESS_KEY: "code-cache",
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_MAX_ATTEMPTS: "1",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
    stdio: ["ignore", "ignore", "pipe"],
    encoding: "utf8",
    timeout: 60_000,
  });
  // Without those caches `check` only compiles what they would have saved: say so, and go on.
  if (check.status !== 2) process.stderr.write(`note: the check run for the code caches ended with ${check.status}: ${check.stderr}\n`);
}
