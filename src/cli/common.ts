/** What every command shares: exit codes, one-line errors, atomic output, colour, configuration. */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import { type DhmcSetting, known, type Value } from "../model/index.js";
import { type Config, findConfig, loadConfig } from "./config.js";

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
  process.stderr.write(`ssm-doctor: ${message}\n`);
  throw new ExitError(2);
}

export function useColor(stream: NodeJS.WriteStream, flag: boolean | undefined): boolean {
  if (flag === false) return false;
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== "0") return true;
  return Boolean(stream.isTTY);
}

/** Write whole or not at all: a temporary file renamed into place. */
export function writeOutput(path: string, text: string): void {
  try {
    mkdirSync(dirname(path) || ".", { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    usageFailure(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A path as the user would write it: relative to the working directory when below it. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith("..") ? path : rel;
}

/** The configuration and how its file is named in messages (undefined when there is none). */
export function readConfigFile(path: string | undefined): { config: Config; file?: string } {
  const file = path ?? findConfig(process.cwd());
  if (!file) return { config: {} };
  const shown = displayPath(file);
  return { config: loadConfig(file, shown), file: shown };
}

export function dhmcValue(setting: string | undefined): Value<DhmcSetting> | undefined {
  if (setting === "enabled") return known({ enabled: true });
  if (setting === "disabled") return known({ enabled: false });
  return undefined;
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
