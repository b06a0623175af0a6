import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";

describe("the suite's temporary directory", () => {
  it("is one directory of this run, which the run removes, for the tests and the processes they start", () => {
    expect(basename(tmpdir())).toMatch(/^ssm-doctor-tests-/);
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(require('os').tmpdir())"], { encoding: "utf8" });
    expect(child.stdout).toBe(tmpdir());
  });
});
