/**
 * Reading and validating a `.ssm-doctor.yaml` with zod. Imported only when there is such a file: building the
 * schemas (and loading zod) is most of a small run's start-up otherwise.
 */
import { readFileSync, statSync } from "node:fs";
import { parseDocument } from "yaml";
import { z } from "zod";
import { findRule } from "../../rules/index.js";
import { parseIpv4Cidr } from "../analysis/cidr.js";
import { InputError } from "../model/index.js";
import { describeSpecialFile } from "../sources/index.js";
import { AGENT_VERSION, AGENT_VERSION_EXPECTED, regionProblem } from "./config-values.js";

const ruleRef = z
  .string()
  .regex(/^(SD\d{3}|[a-z0-9-]+)$/, "a rule id such as SD302 or a rule name")
  // The rule must exist: a typo (SD999, a misspelt name) would silently suppress nothing.
  .refine((id) => findRule(id) !== undefined, {
    error: (issue) => `no rule named ${String(issue.input)}; run 'ssm-doctor rules' for the list`,
  });

/** An AWS region the installed SDK's partition data knows; the message names the closest one. */
const regionSchema = z.string().refine((region) => regionProblem(region) === undefined, {
  error: (issue) => regionProblem(String(issue.input)),
});

const agentVersionSchema = z.string().regex(AGENT_VERSION, AGENT_VERSION_EXPECTED);

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

const configSchema = z
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
