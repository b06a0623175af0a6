/**
 * `.ssm-doctor.yaml`: found upward from the working directory, or named by --config; read and validated by
 * config-file.ts. Here: finding it, checking the flags that share its keys, and turning it into engine options.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { SuppressionEntry } from "../engine/run.js";
import { type HubDeclaration, InputError } from "../model/index.js";
import type { Config } from "./config-file.js";
import { AGENT_VERSION, AGENT_VERSION_EXPECTED, regionProblem } from "./config-values.js";
import { repositoryRoot } from "./repository-root.js";

export type { Config } from "./config-file.js";

export const CONFIG_FILE = ".ssm-doctor.yaml";

/**
 * Check flag values as the configuration's schema checks the same keys; a bad one is exit 2 naming the flag,
 * the value and what is expected. Without zod, so that a run without a configuration file never loads it.
 */
export function validateFlags(flags: Partial<Pick<Config, "region" | "agentVersion">>, fromEnv: ReadonlySet<FlagKey> = new Set()): void {
  const problem = (key: FlagKey, value: string, message: string | undefined) => {
    if (message === undefined) return;
    const { flag, env } = FLAG_NAMES[key];
    throw new InputError(fromEnv.has(key) ? `${env}=${JSON.stringify(value)}: ${message}` : `${flag} ${value}: ${message}`);
  };
  if (flags.region !== undefined) problem("region", flags.region, regionProblem(flags.region));
  if (flags.agentVersion !== undefined)
    problem("agentVersion", flags.agentVersion, AGENT_VERSION.test(flags.agentVersion) ? undefined : AGENT_VERSION_EXPECTED);
}

type FlagKey = "region" | "agentVersion";

/** The flags validateFlags checks, with the variables that may set them instead (a bad value names the one used). */
export const FLAG_NAMES: Record<FlagKey, { flag: string; env: string }> = {
  region: { flag: "--region", env: "SSM_DOCTOR_REGION" },
  agentVersion: { flag: "--agent-version", env: "SSM_DOCTOR_AGENT_VERSION" },
};

/** The checked flags of a parsed command whose value came from their environment variable. */
export function flagsFromEnv(command: { getOptionValueSource(key: string): string | undefined }): Set<FlagKey> {
  return new Set((Object.keys(FLAG_NAMES) as FlagKey[]).filter((key) => command.getOptionValueSource(key) === "env"));
}

/**
 * The configuration for a run in `start`: the nearest `.ssm-doctor.yaml` from `start` up to the repository
 * root, never above it: a stray file in a parent folder must not change a repository's verdicts. Outside
 * any repository only `start` itself is looked at.
 */
export function findConfig(start: string): string | undefined {
  const root = repositoryRoot(start);
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (root === undefined || dir === root || parent === dir) return undefined;
    dir = parent;
  }
}

/** The configuration's ignore entries as the engine's suppressions. */
export function suppressionsOf(config: Config): SuppressionEntry[] {
  return (config.ignore ?? []).map((i) => ({
    ruleId: i.id,
    reason: i.reason,
    source: CONFIG_FILE,
    ...(i.resource ? { resource: i.resource } : {}),
    ...(i.expires ? { expires: i.expires } : {}),
  }));
}

/** The configuration's hubs as the analysis reads them; `file` is how the configuration is named in messages. */
export function hubsOf(config: Config, file: string): HubDeclaration[] {
  return (config.hubs ?? []).map((h) => {
    const attachments = [...(h.transitGateways ?? []), ...(h.peeringConnections ?? [])];
    return {
      name: h.name ?? attachments[0]!,
      attachments,
      ...(h.cidr ? { cidr: h.cidr } : {}),
      ...(h.account ? { account: h.account } : {}),
      endpoints: h.endpoints ?? [],
      internet: h.internet === true,
      file,
    };
  });
}
