/**
 * Inputs that are not plain files, through the built CLI in temporary folders: a FIFO is refused at once
 * (never a hang), and inside a folder what cannot be linted (a FIFO, a broken symbolic link, a file the
 * user may not read, the skipped folders) is reported on stderr without failing the run.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { firstInvalidUtf8 } from "../../src/sources/common/read-file.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const GOOD = join(ROOT, "fixtures/cloudformation/seed-000/good.yaml");
/** An unprivileged user, so that a file with mode 000 is really unreadable when the tests run as root. */
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function run(args: string[], cwd: string, uid?: number) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    timeout: 30_000,
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), "ssm-doctor-inputs-")));
  chmodSync(dir, 0o755);
  return dir;
}

describe("inputs that are not regular files", () => {
  it("refuses a FIFO without a writer at once, exit 2", () => {
    const dir = tmp();
    spawnSync("mkfifo", [join(dir, "plan.json")]);
    const r = run(["lint", "plan.json"], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("ssm-doctor: plan.json: cannot read: a FIFO (named pipe), not a regular file (give a file or a folder)\n");
  });

  it("refuses a FIFO as the configuration file", () => {
    const dir = tmp();
    copyFileSync(GOOD, join(dir, "t.yaml"));
    spawnSync("mkfifo", [join(dir, "cfg.yaml")]);
    const r = run(["lint", "t.yaml", "--config", "cfg.yaml"], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("cannot read the configuration: a FIFO (named pipe), not a regular file");
  });
});

describe("--tf-root", () => {
  it("passes over a FIFO among the .tf files instead of waiting for a writer", () => {
    const dir = tmp();
    copyFileSync(join(ROOT, "fixtures/terraform/no-path-to-service/plan.json"), join(dir, "plan.json"));
    spawnSync("mkfifo", [join(dir, "main.tf")]);
    const r = run(["lint", "plan.json", "--tf-root", "."], dir);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(1);
  });
});

describe("a folder: what was skipped and why, on stderr, without failing the run", () => {
  it("names the skipped folders, a FIFO, a broken symbolic link and an unreadable file", () => {
    const dir = tmp();
    const t = join(dir, "templates");
    for (const d of ["dist", "node_modules", ".github", "nested"]) mkdirSync(join(t, d), { recursive: true });
    copyFileSync(GOOD, join(t, "good.yaml"));
    copyFileSync(GOOD, join(t, "dist/built.yaml"));
    copyFileSync(GOOD, join(t, "nested/secret.yaml"));
    spawnSync("mkfifo", [join(t, "pipe.yaml")]);
    symlinkSync("gone.yaml", join(t, "broken.yaml"));
    chmodSync(join(t, "nested/secret.yaml"), 0o000);
    // As root, mode 000 does not stop a read: run the CLI as an unprivileged user instead (a real EACCES).
    const r = run(["lint", "templates"], dir, asRoot ? NOBODY : undefined);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("1 instance: 1 will connect");
    expect(r.stderr.split("\n").filter(Boolean)).toEqual([
      "ssm-doctor: skipped folders templates/.github, templates/dist, templates/node_modules (node_modules, dist, .terraform, .git and hidden folders are not searched; name a file in them to lint it)",
      "ssm-doctor: skipped templates/broken.yaml: broken symbolic link",
      "ssm-doctor: skipped templates/pipe.yaml: a FIFO (named pipe), not a regular file",
      "ssm-doctor: skipped templates/nested/secret.yaml: cannot read: permission denied",
    ]);
  });

  it("-q leaves the list out", () => {
    const dir = tmp();
    mkdirSync(join(dir, "t/dist"), { recursive: true });
    copyFileSync(GOOD, join(dir, "t/good.yaml"));
    const r = run(["lint", "t", "-q"], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });
});

describe("firstInvalidUtf8", () => {
  it("finds the first byte that breaks UTF-8, and -1 for valid text", () => {
    expect(firstInvalidUtf8(Buffer.from("ok é € 😀", "utf8"))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xff]))).toBe(1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc3]))).toBe(1); // truncated sequence
    expect(firstInvalidUtf8(Buffer.from([0xc0, 0x80]))).toBe(0); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
  });
});
