/** What every command shares: exit codes, one-line errors, atomic output, colour, configuration. */
import {
  chmodSync,
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  realpathSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { dirname, relative, resolve } from "node:path";
import type { Command } from "commander";
import { inputText } from "../report/text.js";
import { type Config, findConfig } from "./config.js";

declare const __VERSION__: string;
export const VERSION = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";
export const TOOL = { name: "ssm-doctor", version: VERSION };

/** Thrown to end the program with an exit code once its output is written. */
export class ExitError extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A usage or environment problem: one line on stderr, exit 2. */
export function usageFailure(message: string): never {
  process.stderr.write(`ssm-doctor: ${inputText(message)}\n`);
  throw new ExitError(2);
}

/** --color auto|always|never; --no-color gives false. */
export type ColorSetting = "auto" | "always" | "never" | false;

/** auto: colours on a terminal unless NO_COLOR is set (FORCE_COLOR forces them); always and never win over both. */
export function useColor(stream: NodeJS.WriteStream, setting: ColorSetting | undefined): boolean {
  if (setting === false || setting === "never") return false;
  if (setting === "always") return true;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

/**
 * Where a write to `path` lands: symbolic links followed (a dangling one to the file it names), so the link
 * itself stays a link and the file it points to receives the report.
 */
export function resolveOutputPath(path: string): string {
  let target = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      return realpathSync.native(target);
    } catch {
      // Missing: a dangling link is followed by hand, a plain missing file is created where named.
    }
    let link: string;
    try {
      if (!lstatSync(target).isSymbolicLink()) return target;
      link = readlinkSync(target);
    } catch {
      return target;
    }
    target = resolve(dirname(target), link);
  }
  return target;
}

/** Device and inode of an existing file, to recognise the same file under another name. */
export function fileIdentity(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Write a report. A regular file (or a new one) is written whole or not at all: a temporary file beside the
 * target renamed into place, through symbolic links. Anything else that exists (a character device such as
 * /dev/null or /dev/stdout, a FIFO) is written directly: replacing it with a file would break it.
 */
export function writeOutput(path: string, text: string | Iterable<string>): void {
  // Through links first: /dev/stdout names a pipe or terminal through /proc links that do not resolve to a path.
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(path);
  } catch {
    existing = undefined;
  }
  if (existing?.isDirectory()) usageFailure(`cannot write ${path}: it is a directory`);
  if (existing && !existing.isFile()) {
    try {
      // Our own stdout or stderr (a socket cannot be opened again through /dev/stdout): write to the descriptor.
      const fd = [1, 2].find((n) => {
        const st = fstatSync(n);
        return st.dev === existing.dev && st.ino === existing.ino;
      });
      writeText(fd ?? path, text, "w");
    } catch (e) {
      usageFailure(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return;
  }
  const target = resolveOutputPath(path);
  const tmp = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeText(tmp, text, "wx");
    if (existing) chmodSync(tmp, existing.mode & 0o7777);
    renameSync(tmp, target);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing was left behind
    }
    usageFailure(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Bytes gathered before a write: the pieces of a large JSON report are small, and are copied here one by one. */
const WRITE_BUFFER = 1 << 20;

/**
 * Text given whole or in pieces (a large JSON report is written while it is made), to a descriptor or a path.
 * Pieces are copied into one buffer, written when full: neither joined into larger strings nor made into a
 * Buffer each (both cost more than the copy). Our own stdout may be a non-blocking pipe that is full for a
 * moment (EAGAIN): wait a millisecond and go on.
 */
function writeText(target: number | string, text: string | Iterable<string>, flag: "w" | "wx"): void {
  if (typeof text === "string" && typeof target === "string") {
    writeFileSync(target, text, { flag });
    return;
  }
  const fd = typeof target === "number" ? target : openSync(target, flag);
  try {
    const buffer = Buffer.allocUnsafe(WRITE_BUFFER);
    let used = 0;
    for (const piece of typeof text === "string" ? [text] : text) {
      // A UTF-16 code unit is at most 3 bytes of UTF-8: a piece that may not fit waits for the next buffer.
      if (used + 3 * piece.length > buffer.length) {
        writeAll(fd, buffer, used);
        used = 0;
      }
      if (3 * piece.length > buffer.length) {
        const bytes = Buffer.from(piece, "utf8");
        writeAll(fd, bytes, bytes.length);
      } else used += buffer.write(piece, used, "utf8");
    }
    writeAll(fd, buffer, used);
  } finally {
    if (typeof target !== "number") closeSync(fd);
  }
}

/** The first `length` bytes, all of them. */
function writeAll(fd: number, bytes: Buffer, length: number): void {
  for (let at = 0; at < length; ) {
    try {
      at += writeSync(fd, bytes, at, length - at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EAGAIN") throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** A path as the user would write it: relative to the working directory when below it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

export interface LoadedConfig {
  config: Config;
  /** How its file is named in messages; undefined when there is none. */
  file?: string;
  /** The file as found (for identity checks and repository-relative names in reports). */
  path?: string;
}

/** --config, else the nearest .ssm-doctor.yaml up to the repository root; --verbose says which was used. */
export async function readConfigFile(path: string | undefined, verbose = false): Promise<LoadedConfig> {
  const file = path ?? findConfig(process.cwd());
  if (verbose)
    process.stderr.write(
      `ssm-doctor: configuration: ${file ? inputText(relative(process.cwd(), file) || file) : "none (no .ssm-doctor.yaml up to the repository root)"}\n`,
    );
  if (!file) return { config: {} };
  const shown = displayPath(file);
  const { loadConfig } = await import("./config-file.js");
  return { config: loadConfig(file, shown), file: shown, path: file };
}

/** A repeatable option's values, in order (no default: help shows none). */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Boolean flags from SSM_DOCTOR_* variables: the command line wins; an empty variable counts as unset;
 * anything but true/false (1/0, yes/no) is a usage error naming the variable.
 */
export function applyBooleanEnv(command: Command, variables: Record<string, string>): void {
  for (const [key, name] of Object.entries(variables)) {
    const raw = process.env[name];
    if (raw === undefined || raw === "" || command.getOptionValueSource(key) === "cli") continue;
    const value = raw.trim().toLowerCase();
    if (["1", "true", "yes", "on"].includes(value)) command.setOptionValueWithSource(key, true, "env");
    else if (["0", "false", "no", "off"].includes(value)) command.setOptionValueWithSource(key, undefined, "env");
    else usageFailure(`${name}=${JSON.stringify(raw)}: expected true or false (1 or 0)`);
  }
}
