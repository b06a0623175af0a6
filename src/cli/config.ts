/** `.ssm-doctor.yaml`: found upward from the working directory, or named by --config. Validated with zod. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { findRule } from "../../rules/index.js";
import { parseIpv4Cidr } from "../analysis/cidr.js";
import type { SuppressionEntry } from "../engine/run.js";
import { type HubDeclaration, InputError } from "../model/index.js";
import { describeSpecialFile } from "../sources/index.js";
import { closestRegion, isKnownRegion } from "./regions.js";

export const CONFIG_FILE = ".ssm-doctor.yaml";

const ruleRef = z
  .string()
  .regex(/^(SD\d{3}|[a-z0-9-]+)$/, "a rule id such as SD302 or a rule name")
  // The rule must exist: a typo (SD999, a misspelt name) would silently suppress nothing.
  .refine((id) => findRule(id) !== undefined, {
    error: (issue) => `no rule named ${String(issue.input)}; run 'ssm-doctor rules' for the list`,
  });

/** An AWS region the installed SDK's partition data knows; the message names the closest one. */
export const regionSchema = z.string().refine(isKnownRegion, {
  error: (issue) => `not a known AWS region (closest: ${closestRegion(String(issue.input))})`,
});

export const agentVersionSchema = z.string().regex(/^\d+(\.\d+){2,3}$/, "expected an SSM Agent version such as 3.3.40.0");

/** A real calendar date: 2027-02-30 is not one. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date YYYY-MM-DD")
  .refine((d) => {
    const date = new Date(`${d}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(d);
  }, "a date that exists (YYYY-MM-DD)");

const ipv4Cidr = z.string().refine((c) => parseIpv4Cidr(c) !== undefined && c.includes("/"), "an IPv4 CIDR such as 10.100.0.0/16");

/** A 12-digit account id; YAML reads an unquoted one as a number, which loses leading zeros: quote those. */
const accountId = z
  .union([z.string(), z.number().int().nonnegative().transform(String)])
  .pipe(z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id, quoted ("012345678901")'));

/** A hub of a hub-and-spoke network: which attachments lead to it and what it serves (README, Configuration). */
const hubSchema = z
  .object({
    name: z.string().min(1).optional(),
    transitGateways: z.array(z.string().min(1)).optional(),
    peeringConnections: z.array(z.string().min(1)).optional(),
    cidr: ipv4Cidr.optional(),
    account: accountId.optional(),
    endpoints: z.array(z.enum(["ssm", "ssmmessages", "ec2messages", "s3", "logs", "kms"])).optional(),
    internet: z.boolean().optional(),
  })
  .strict()
  .superRefine((hub, ctx) => {
    if (!hub.transitGateways?.length && !hub.peeringConnections?.length)
      ctx.addIssue({
        code: "custom",
        path: ["transitGateways"],
        message: "name the transit gateways or peering connections (peeringConnections) that lead to the hub",
      });
    if (hub.endpoints?.length && !hub.cidr)
      ctx.addIssue({ code: "custom", path: ["cidr"], message: "the hub's IPv4 range (where its endpoints are) is needed with endpoints" });
    if (!hub.endpoints?.length && !hub.internet)
      ctx.addIssue({
        code: "custom",
        path: ["endpoints"],
        message: "say what the hub serves: endpoints (services of its private hosted zones), internet: true, or both",
      });
  });

export const configSchema = z
  .object({
    region: regionSchema.optional(),
    agentVersion: agentVersionSchema.optional(),
    dhmc: z.enum(["enabled", "disabled", "unknown"]).optional(),
    failOn: z.enum(["error", "warning", "note", "never"]).optional(),
    hubs: z.array(hubSchema).optional(),
    severity: z.record(ruleRef, z.enum(["error", "warning", "note", "off"])).optional(),
    ignore: z
      .array(
        z
          .object({
            id: ruleRef,
            resource: z.string().min(1).optional(),
            reason: z.string().min(3, "say why (at least a few words)"),
            expires: z.union([isoDate, z.date().transform((d) => d.toISOString().slice(0, 10))]).optional(),
          })
          .strict(),
      )
      .optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** The command-line flags that have a configuration key: validated by the same schema as the file. */
const FLAG_NAMES: Record<string, string> = { region: "--region", agentVersion: "--agent-version" };

/** Check flag values with the configuration's schema; a bad one is exit 2 naming the flag, the value and what is expected. */
export function validateFlags(flags: Partial<Pick<Config, "region" | "agentVersion">>): void {
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = configSchema.pick({ region: true, agentVersion: true }).safeParse(given);
  if (parsed.success) return;
  const issue = parsed.error.issues[0]!;
  const key = String(issue.path[0]);
  throw new InputError(`${FLAG_NAMES[key] ?? key} ${String((given as Record<string, unknown>)[key])}: ${issue.message}`);
}

/** The repository root enclosing `start`: the nearest folder at or above it holding `.git` (a folder or a worktree's file). */
export function repositoryRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
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

/** `displayPath` is how the file is named in messages (relative where possible). */
export function loadConfig(path: string, displayPath: string): Config {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(`cannot read the configuration: ${describeSpecialFile(st)}, not a regular file`, displayPath);
    text = readFileSync(path, "utf8");
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read the configuration: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, displayPath);
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw new InputError(`invalid YAML: ${err.message.split("\n")[0]}`, displayPath, err.linePos?.[0]?.line, err.linePos?.[0]?.col);
  }
  const raw = doc.toJS({ maxAliasCount: 50 }) ?? {};
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    // Name the offending key itself: an unknown key, or a record key that is not a rule.
    const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]!] : issue.path;
    const message =
      issue.code === "unrecognized_keys"
        ? "unknown key"
        : issue.code === "invalid_key"
          ? (issue.issues[0]?.message ?? issue.message)
          : issue.message;
    const key = path.length > 0 ? path.map(String).join(".") : "(top level)";
    throw new InputError(
      `invalid configuration at ${key}: ${message}`,
      displayPath,
      undefined,
      undefined,
      "see README, section Configuration",
    );
  }
  return parsed.data;
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
