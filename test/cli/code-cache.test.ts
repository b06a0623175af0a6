/**
 * Start-up (DESIGN section 8): bin/ssm-doctor.js compiles dist/cjs/ with the V8 code caches `npm run build`
 * made (scripts/code-cache.mjs). Whatever it loads from, the output is the same: with the caches, with
 * caches V8 refuses (other V8 flags), with a cache of another build, without dist/cjs/ (the ES modules),
 * and with --debug.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const TEMPLATES = ["examples/broken-private-subnet.yaml", "examples/private-subnet-endpoints.yaml"].map((f) => join(ROOT, f));

function run(root: string, args: string[], nodeFlags: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeFlags, join(root, "bin/ssm-doctor.js"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** bin/ and dist/ copied into a temporary package (node_modules linked unless not wanted), to change its dist/ safely. */
function copyOfPackage(withModules = true): string {
  const root = mkdtempSync(join(tmpdir(), "ssm-doctor-code-cache-"));
  cpSync(join(ROOT, "bin"), join(root, "bin"), { recursive: true });
  cpSync(join(ROOT, "dist"), join(root, "dist"), { recursive: true });
  cpSync(join(ROOT, "package.json"), join(root, "package.json"));
  if (withModules) symlinkSync(join(ROOT, "node_modules"), join(root, "node_modules"), "dir");
  return root;
}

describe("the code caches", () => {
  const args = ["lint", ...TEMPLATES, "--format", "json"];
  const expected = run(ROOT, args);

  it("are made by the build for the scripts a lint loads", () => {
    const caches = readdirSync(join(ROOT, "dist/cjs")).filter((f) => f.endsWith(".cache"));
    expect(caches).toContain("cli.js.cache");
    for (const cache of caches) {
      const script = readFileSync(join(ROOT, "dist/cjs", cache.replace(/\.cache$/, "")), "latin1");
      expect(readFileSync(join(ROOT, "dist/cjs", cache), "latin1").slice(0, 20)).toBe(script.slice(0, 20));
    }
    expect(expected.code).toBe(1);
    expect(JSON.parse(expected.stdout).summary).toBeDefined();
  });

  it("are made for the AWS SDK's chunk too, by the build's check that stops at its first call", () => {
    const files = readdirSync(join(ROOT, "dist/cjs"));
    const sdk = files.find((f) => /^sdk-clients-[A-Z0-9]+\.js$/.test(f));
    expect(sdk).toBeDefined();
    expect(files).toContain(`${sdk}.cache`);
  });

  it("leave `check` its own: the AWS SDK is in the bundle, so it runs without node_modules", () => {
    const root = copyOfPackage(false);
    try {
      const r = spawnSync(
        process.execPath,
        [
          join(root, "bin/ssm-doctor.js"),
          "check",
          "--instance",
          "i-0123456789abcdef0",
          "--region",
          "us-east-1",
          "--endpoint-url",
          "http://127.0.0.1:9",
          "--timeout",
          "2",
        ],
        {
          cwd: root,
          encoding: "utf8",
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            AWS_ACCESS_KEY_ID: "AKIDTEST",
            AWS_SECRET_ACCESS_KEY: "test",
            AWS_CONFIG_FILE: "/dev/null",
            AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
            AWS_EC2_METADATA_DISABLED: "true",
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
          },
        },
      );
      // As far as the first call: nothing listens on that port.
      expect(r.stderr).toBe("ssm-doctor: cannot connect to http://127.0.0.1:9 (ECONNREFUSED)\n");
      expect(r.status).toBe(2);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("refused by V8 (other flags) leave the output as it is", () => {
    expect(run(ROOT, args, ["--max-semi-space-size=8"])).toEqual(expected);
  });

  it("of another build are not used; without dist/cjs the ES modules give the same output", () => {
    const root = copyOfPackage();
    try {
      const cache = join(root, "dist/cjs/cli.js.cache");
      const bytes = readFileSync(cache);
      bytes.write("/*0000000000000000*/", 0, "latin1");
      writeFileSync(cache, bytes);
      expect(run(root, args)).toEqual(expected);
      rmSync(join(root, "dist/cjs"), { recursive: true });
      expect(existsSync(join(root, "dist/cli.js"))).toBe(true);
      expect(run(root, args)).toEqual(expected);
      expect(run(root, [...args, "--debug"])).toEqual(expected);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
