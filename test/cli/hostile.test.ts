/**
 * Every hostile input of fixtures/hostile/ through the built CLI, in a temporary copy of the folder: the exit
 * code and the first line of output given in fixtures/hostile/expected.yaml; never a hang, never a stack trace,
 * never a raw control character.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, realpathSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const HOSTILE = join(ROOT, "fixtures/hostile");

interface Row {
  input: string;
  args?: string[];
  make?: "fifo" | "broken-symlink";
  exit: number;
  first: string;
}

const rows = parse(readFileSync(join(HOSTILE, "expected.yaml"), "utf8")) as Row[];
const dir = realpathSync(mkdtempSync(join(tmpdir(), "ssm-doctor-hostile-")));
cpSync(HOSTILE, dir, { recursive: true });
for (const row of rows) {
  if (row.make === "fifo") spawnSync("mkfifo", [join(dir, row.input)]);
  if (row.make === "broken-symlink") symlinkSync("no-such-target.yaml", join(dir, row.input));
}

describe("fixtures/hostile", () => {
  it("names every file of the folder in expected.yaml", () => {
    const listed = new Set(rows.map((r) => r.input));
    const files = spawnSync("git", ["ls-files", "--others", "--cached", "--", "."], { cwd: HOSTILE, encoding: "utf8" })
      .stdout.split("\n")
      .filter((f) => f && f !== "expected.yaml")
      .map((f) => f.split("/")[0]!);
    expect([...new Set(files)].filter((f) => !listed.has(f))).toEqual([]);
  });

  for (const row of rows) {
    it(`lint ${[row.input, ...(row.args ?? [])].join(" ")} → exit ${row.exit}`, () => {
      const r = spawnSync(process.execPath, [BIN, "lint", row.input, ...(row.args ?? [])], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 30_000,
      });
      expect(r.signal).toBeNull();
      expect(r.status).toBe(row.exit);
      const out = row.exit === 2 ? r.stderr : r.stdout;
      expect(out.split("\n")[0]).toBe(row.first);
      if (row.exit === 2) expect(r.stderr.split("\n").filter(Boolean)).toHaveLength(1);
      const all = `${r.stdout}${r.stderr}`;
      expect(all).not.toContain("\u001b");
      expect(all).not.toContain("\u202e");
      expect(all).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m); // no stack trace
    });
  }
});
