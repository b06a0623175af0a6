/**
 * Output safety through the built CLI, in temporary folders: --output through symbolic links, straight into
 * FIFOs and character devices (never replaced by a file), never over one of its own inputs; text from inputs
 * (logical ids, names, file names) escaped in every text format; no absolute path of the machine in JSON or
 * SARIF; the configuration search stopping at the repository root.
 */
import { spawn, spawnSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { absolutePaths } from "../helpers/sarif.js";

const ROOT = join(import.meta.dirname, "../..");
const BIN = join(ROOT, "bin/ssm-doctor.js");
const BROKEN = join(ROOT, "fixtures/cloudformation/seed-000/private-dns-off.yaml");

function run(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tmp(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), "ssm-doctor-safety-")));
}

function mkfifo(path: string): void {
  const r = spawnSync("mkfifo", [path]);
  if (r.status !== 0) throw new Error(`mkfifo failed: ${r.stderr}`);
}

describe("--output", () => {
  it("writes through a symbolic link: the link stays, the file it names gets the report", () => {
    const dir = tmp();
    writeFileSync(join(dir, "real.json"), "old");
    symlinkSync("real.json", join(dir, "link.json"));
    const r = run(["lint", BROKEN, "-f", "json", "-o", join(dir, "link.json")]);
    expect(r.code).toBe(1);
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "real.json"), "utf8")).summary.errors).toBe(1);
  });

  it("writes through a dangling symbolic link to the file it names", () => {
    const dir = tmp();
    symlinkSync("target.json", join(dir, "link.json"));
    expect(run(["lint", BROKEN, "-f", "json", "-o", join(dir, "link.json")]).code).toBe(1);
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "target.json"), "utf8")).schemaVersion).toBe(1);
  });

  it("writes into a FIFO directly, and the FIFO stays a FIFO", async () => {
    const dir = tmp();
    const fifo = join(dir, "out.fifo");
    mkfifo(fifo);
    const child = spawn(process.execPath, [BIN, "lint", BROKEN, "-f", "json", "-o", fifo], { env: { ...process.env, NO_COLOR: "1" } });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // A reader with a deadline: a CLI that renamed a file over the FIFO would never open it.
    const reader = spawnSync("cat", [fifo], { encoding: "utf8", timeout: 30_000 });
    expect(await exited).toBe(1);
    expect(reader.signal).toBeNull();
    expect(JSON.parse(reader.stdout).summary.errors).toBe(1);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  // A character device made in the temporary folder (the null device's numbers), so a regression replaces
  // only this node, never /dev/null. mknod needs root (CI containers run as root).
  it.runIf(process.getuid?.() === 0)("writes to a character device directly, and it stays a device", () => {
    const dir = tmp();
    const device = join(dir, "null");
    const made = spawnSync("mknod", [device, "c", "1", "3"]);
    if (made.status !== 0) return expect.soft(made.status, "mknod is not permitted here").not.toBe(0);
    const r = run(["lint", BROKEN, "-f", "json", "-o", device]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it("writes through a link to /proc/self/fd/1 (what /dev/stdout is) into a pipe or socket, leaving the link", () => {
    const dir = tmp();
    // A link of our own in the temporary folder, so a regression replaces only it, never /dev/stdout.
    symlinkSync("/proc/self/fd/1", join(dir, "stdout"));
    const socket = run(["lint", BROKEN, "-f", "json", "-o", join(dir, "stdout")]); // Node's stdio is a socket pair
    const pipe = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" lint "${BROKEN}" -f json -o stdout | cat`], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(socket.code).toBe(1);
    for (const r of [socket, pipe]) {
      expect(r.stderr).toBe("");
      expect(JSON.parse(r.stdout).summary.errors).toBe(1);
    }
    expect(lstatSync(join(dir, "stdout")).isSymbolicLink()).toBe(true);
  });

  it("refuses to write over one of its inputs, named directly, through a link, or found in a folder (exit 2, input untouched)", () => {
    const dir = tmp();
    const template = join(dir, "t.yaml");
    const original = readFileSync(BROKEN, "utf8");
    writeFileSync(template, original);
    symlinkSync("t.yaml", join(dir, "alias.yaml"));

    const direct = run(["lint", "t.yaml", "-f", "json", "-o", "t.yaml"], { cwd: dir });
    expect(direct.code).toBe(2);
    expect(direct.stderr).toBe("ssm-doctor: --output t.yaml is the input t.yaml: refusing to overwrite it (choose another file)\n");
    expect(direct.stdout).toBe("");

    const viaLink = run(["lint", "t.yaml", "-f", "sarif", "-o", "alias.yaml"], { cwd: dir });
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain("--output alias.yaml is the input t.yaml");

    const inFolder = run(["lint", ".", "--format", "markdown=t.yaml", "--format", "human"], { cwd: dir });
    expect(inFolder.code).toBe(2);
    expect(inFolder.stdout).toBe("");
    expect(readFileSync(template, "utf8")).toBe(original);
  });
});

/** The seed template with the endpoint's and the instance's logical ids replaced by hostile text. */
const HOSTILE_ID = String.raw`Evil\n::error title=Forged::pwned\e[31mred\u202Eend`;
function hostileTemplate(): string {
  return readFileSync(BROKEN, "utf8")
    .replace(/^ {2}rSsmVpcEndpoint:/m, `  "${HOSTILE_ID}":`)
    .replace(/^ {2}rEc2Instance:/m, `  "${HOSTILE_ID}2":`);
}

function assertNoInjection(text: string, format: string): void {
  // No line that GitHub's runner would read as a workflow command (it trims leading spaces) comes from input.
  const commands = text.split("\n").filter((l) => /^\s*::/.test(l));
  if (format === "github") for (const l of commands) expect(l).not.toMatch(/^::error title=Forged/);
  else expect(commands).toEqual([]);
  expect(text).not.toContain("\u001b");
  expect(text).not.toContain("\u202e");
}

describe("text from inputs is escaped in every text format", () => {
  for (const format of ["human", "markdown", "junit", "github"]) {
    it(`${format}: a logical id carrying a newline, ::error …::, ESC and a bidi override`, () => {
      const dir = tmp();
      writeFileSync(join(dir, "t.yaml"), hostileTemplate());
      const r = run(["lint", "t.yaml", "-f", format], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("Evil\\");
      if (format === "human") expect(r.stdout).toContain("Evil\\n::error title=Forged::pwned\\x1b[31mred\\u202eend");
      assertNoInjection(r.stdout, format);
    });
  }

  it("a file name carrying a newline and a workflow command, named directly and found in a folder", () => {
    const dir = tmp();
    const name = "x\n::error title=Forged::pwned\u001b[2J.yaml";
    writeFileSync(join(dir, name), readFileSync(BROKEN, "utf8"));
    for (const format of ["human", "markdown", "junit", "github"]) {
      for (const arg of [name, "."]) {
        const r = run(["lint", arg, "-f", format], { cwd: dir });
        expect(r.code, `${format} ${JSON.stringify(arg)}: ${r.stderr}`).toBe(1);
        assertNoInjection(r.stdout, format);
      }
    }
  });
});

describe("no absolute path of the machine in JSON or SARIF", () => {
  it("lints by absolute path, with notes, and the reports carry only repository-relative paths", () => {
    const dir = tmp();
    spawnSync("git", ["init", "-q", dir]);
    mkdirSync(join(dir, "plans"));
    // A plan wrapped in CI log lines: the source adds a note naming the file.
    const plan = readFileSync(join(ROOT, "fixtures/terraform/no-path-to-service/plan.json"), "utf8");
    writeFileSync(join(dir, "plans/x.json"), `+ terraform show -json tfplan\n${plan}\n`);
    writeFileSync(join(dir, "t.yaml"), readFileSync(BROKEN, "utf8"));
    const args = ["lint", join(dir, "plans/x.json"), join(dir, "t.yaml")];
    const sarif = run([...args, "-f", "sarif", "--fail-on", "never"], { cwd: dir });
    const json = run([...args, "-f", "json", "--fail-on", "never"], { cwd: dir });
    expect(sarif.code).toBe(0);
    expect(json.code).toBe(0);
    for (const text of [sarif.stdout, json.stdout]) {
      expect(text).not.toContain(dir);
      expect(absolutePaths(JSON.parse(text), [dir, ROOT, tmpdir()])).toEqual([]);
    }
    const notes = JSON.parse(sarif.stdout).runs.flatMap(
      (r: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }) =>
        r.invocations[0]!.toolExecutionNotifications,
    );
    expect(notes.map((n: { message: { text: string } }) => n.message.text)).toContainEqual(
      expect.stringMatching(/^plans\/x\.json: the file is not plain JSON/),
    );
    expect(JSON.parse(json.stdout).files.map((f: { file: string }) => f.file)).toEqual(["plans/x.json", "t.yaml"]);
  });
});

describe("configuration search", () => {
  it("stops at the repository root: a stray .ssm-doctor.yaml above it is not read", () => {
    const parent = tmp();
    writeFileSync(join(parent, ".ssm-doctor.yaml"), "failOn: never\n");
    const repo = join(parent, "repo");
    mkdirSync(join(repo, "sub"), { recursive: true });
    spawnSync("git", ["init", "-q", repo]);
    writeFileSync(join(repo, "sub/t.yaml"), readFileSync(BROKEN, "utf8"));
    const r = run(["lint", "t.yaml", "--verbose"], { cwd: join(repo, "sub") });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("ssm-doctor: configuration: none (no .ssm-doctor.yaml up to the repository root)");
  });

  it("--verbose names the file used, JSON and SARIF carry it relative to the repository root", () => {
    const repo = tmp();
    spawnSync("git", ["init", "-q", repo]);
    mkdirSync(join(repo, "sub"));
    writeFileSync(join(repo, ".ssm-doctor.yaml"), "failOn: never\n");
    writeFileSync(join(repo, "sub/t.yaml"), readFileSync(BROKEN, "utf8"));
    const human = run(["lint", "t.yaml", "--verbose"], { cwd: join(repo, "sub") });
    expect(human.code).toBe(0);
    expect(human.stderr).toBe("ssm-doctor: configuration: ../.ssm-doctor.yaml\n");
    const json = run(["lint", "t.yaml", "-f", "json"], { cwd: join(repo, "sub") });
    expect(JSON.parse(json.stdout).configuration).toBe(".ssm-doctor.yaml");
    const sarif = run(["lint", "t.yaml", "-f", "sarif"], { cwd: join(repo, "sub") });
    expect(JSON.parse(sarif.stdout).runs[0].properties).toEqual({ configuration: ".ssm-doctor.yaml" });
  });
});
