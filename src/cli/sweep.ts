/**
 * `ssm-doctor check --accounts … --regions …`: every account and region of an organisation in one
 * merged report, each account/region a section (a named failure when it could not be read), with a
 * summary table on top. `--resume FILE` keeps what each finished unit read, so an interrupted sweep
 * continues where it stopped.
 */
import { existsSync, readFileSync } from "node:fs";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, runRules } from "../engine/run.js";
import { assumedAgentVersion, emptyWorld, InputError, known, type StatedAssumptions, unknown } from "../model/index.js";
import type { FileResult } from "../report/index.js";
import { type ConnectionOptions, liveSource, organizationSource, type Selection } from "../sources/index.js";
import { writeOutput } from "./common.js";
import { closestRegion, isKnownRegion } from "./regions.js";

export interface SweepOptions {
  accounts?: string;
  regions?: string;
  roleName: string;
  externalId?: string;
  resume?: string;
  parallel: number;
}

const ACCOUNT = /^\d{12}$/;

/** --accounts all | ID,ID | @file (ids separated by commas, spaces or lines; # comments). */
export function parseAccounts(value: string | undefined): "all" | string[] {
  if (value === undefined || value === "all") return "all";
  let text = value;
  if (value.startsWith("@")) {
    try {
      text = readFileSync(value.slice(1), "utf8").replace(/#.*$/gm, "");
    } catch {
      throw new InputError("cannot read the accounts file", value.slice(1));
    }
  }
  const ids = text.split(/[\s,]+/).filter((s) => s !== "");
  const bad = ids.find((id) => !ACCOUNT.test(id));
  if (bad !== undefined)
    throw new InputError(`--accounts: '${bad}' is not a 12-digit account id`, undefined, undefined, undefined, "use all, ID,ID or @file");
  if (ids.length === 0) throw new InputError("--accounts names no account", undefined, undefined, undefined, "use all, ID,ID or @file");
  return [...new Set(ids)];
}

export function parseRegions(value: string | undefined, fallback: string | undefined): "all" | string[] {
  if (value === "all") return "all";
  const list = (value ?? fallback ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  const bad = list.find((r) => !isKnownRegion(r));
  if (bad !== undefined)
    throw new InputError(
      `--regions: '${bad}' is not a known region`,
      undefined,
      undefined,
      undefined,
      `did you mean ${closestRegion(bad)}? use all or r1,r2`,
    );
  if (list.length === 0) throw new InputError("say which regions: --regions all or --regions r1,r2");
  return [...new Set(list)];
}

// ------------------------------------------------------------------ the resume file

interface UnitRecord {
  account: string;
  accountName?: string;
  region: string;
  /** What the unit read (the collector's raw data, Maps and Dates encoded), or why it failed. */
  raw?: unknown;
  failures?: unknown[];
  failed?: string;
  decide?: string;
}

interface ResumeState {
  version: 1;
  plan: { accounts: "all" | string[]; regions: "all" | string[]; roleName: string };
  units: UnitRecord[];
}

function encode(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return { $date: raw.toISOString() };
  if (value instanceof Map) return { $map: [...value.entries()] };
  return value;
}

function decode(_key: string, value: unknown): unknown {
  if (value && typeof value === "object" && "$map" in value && Array.isArray((value as { $map: unknown }).$map))
    return new Map((value as { $map: [unknown, unknown][] }).$map);
  if (value && typeof value === "object" && typeof (value as { $date?: unknown }).$date === "string")
    return new Date((value as { $date: string }).$date);
  return value;
}

function readState(file: string, plan: ResumeState["plan"]): ResumeState {
  if (!existsSync(file)) return { version: 1, plan, units: [] };
  let state: ResumeState;
  try {
    state = JSON.parse(readFileSync(file, "utf8"), decode) as ResumeState;
  } catch (e) {
    throw new InputError(
      `not a resume file of ssm-doctor: ${(e as Error).message}`,
      file,
      undefined,
      undefined,
      "delete it to start the sweep anew",
    );
  }
  if (state.version !== 1 || JSON.stringify(state.plan) !== JSON.stringify(plan))
    throw new InputError(
      "this resume file is of another sweep (other accounts, regions or role)",
      file,
      undefined,
      undefined,
      "delete it, or give the same --accounts, --regions and --role-name",
    );
  // A unit that failed is tried again.
  state.units = state.units.filter((u) => u.failed === undefined);
  return state;
}

// ------------------------------------------------------------------ the sweep

export interface SweepRun {
  results: FileResult[];
  stats: { calls: number; units: number; resumed: number };
}

const label = (account: string, name: string | undefined, region: string) =>
  `account ${account}${name ? ` (${name})` : ""}, ${region === "*" ? "every region" : region}`;

export async function runSweep(
  connection: ConnectionOptions,
  selection: Selection,
  options: SweepOptions,
  engine: EngineOptions,
  stated: Pick<StatedAssumptions, "agentVersion">,
  progress: (done: number, total: number, instances: number) => void,
): Promise<SweepRun> {
  const plan = {
    accounts: parseAccounts(options.accounts),
    regions: parseRegions(options.regions, connection.region),
    roleName: options.roleName,
  };
  const aws = await liveSource();
  const { sweep } = await organizationSource();
  const state = options.resume ? readState(options.resume, plan) : { version: 1 as const, plan, units: [] as UnitRecord[] };
  const done = new Set(state.units.map((u) => `${u.account}|${u.region}`));
  const results: FileResult[] = [];
  const dhmcUnknown = unknown("outside", "not read");
  let total = state.units.length;
  let finished = state.units.length;
  let instances = 0;
  let calls = 0;

  const add = (
    record: UnitRecord,
    world = aws.worldOfRaw(
      record.raw as Parameters<typeof aws.worldOfRaw>[0],
      (record.failures ?? []) as Parameters<typeof aws.worldOfRaw>[1],
      stated,
    ),
  ) => {
    const result = runRules(world, RULES, engine);
    instances += result.instances.length;
    results.push({
      file: label(record.account, record.accountName, record.region),
      result,
      scope: { account: record.account, ...(record.accountName ? { accountName: record.accountName } : {}), region: record.region },
    });
  };
  for (const record of state.units) add(record);
  const save = () => {
    if (options.resume) writeOutput(options.resume, `${JSON.stringify(state, encode)}\n`);
  };

  await sweep(
    connection,
    {
      accounts: plan.accounts,
      regions: plan.regions,
      roleName: plan.roleName,
      parallel: options.parallel,
      stated,
      ...(options.externalId ? { externalId: options.externalId } : {}),
    },
    selection,
    {
      skip: (account, region) => done.has(`${account}|${region}`),
      onPlanned: (account, regions) => {
        total += regions.filter((r) => !done.has(`${account.id}|${r}`)).length;
        progress(finished, total, instances);
      },
      onUnit: (outcome) => {
        const base = {
          account: outcome.account.id,
          ...(outcome.account.name ? { accountName: outcome.account.name } : {}),
          region: outcome.region,
        };
        if (outcome.kind === "done") {
          calls += outcome.live.stats.calls;
          const record: UnitRecord = { ...base, raw: outcome.live.raw, failures: outcome.live.stats.failures };
          state.units.push(record);
          add(record, outcome.live.world);
          finished++;
        } else {
          if (outcome.region === "*") total++;
          finished++;
          const file = label(base.account, base.accountName, outcome.region);
          const world = emptyWorld("live", [file], {
            region: outcome.region === "*" ? unknown("outside", "no region was read") : known(outcome.region),
            dhmc: dhmcUnknown,
            agentVersion: assumedAgentVersion(stated.agentVersion),
          });
          world.notes.push({ level: "warning", code: "sweep-not-read", message: `not read: ${outcome.reason}; ${outcome.decide}` });
          results.push({ file, result: runRules(world, RULES, engine), scope: { ...base, failed: outcome.reason } });
        }
        save();
        progress(finished, total, instances);
      },
    },
  );
  save();
  results.sort((a, b) => a.file.localeCompare(b.file));
  return { results, stats: { calls, units: finished, resumed: done.size } };
}
