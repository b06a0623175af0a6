/** `ssm-doctor check`: live, read-only diagnosis of instances in an AWS account. */
import { type Command, InvalidArgumentError, Option } from "commander";
import { RULES } from "../../rules/index.js";
import { type EngineOptions, runRules } from "../engine/run.js";
import { type StatedAssumptions, Timings, timed } from "../model/index.js";
import { type ConnectionOptions, liveSource } from "../sources/index.js";
import { collect, ExitError, readConfigFile, usageFailure } from "./common.js";
import { CONFIG_FILE, hubsOf, suppressionsOf } from "./config.js";
import { addOutputOptions, type OutputOptions, writeReports } from "./output.js";
import { addRuleSelectionOptions, type RuleSelectionOptions, selectRules } from "./rule-selection.js";
import { runSweep, type SweepOptions } from "./sweep.js";

/** The role AWS Organizations creates in every account it creates (docs/ssm-doctor-member-role.yaml is leaner). */
const DEFAULT_ROLE = "OrganizationAccountAccessRole";

interface CheckOptions extends OutputOptions, RuleSelectionOptions, SweepOptions {
  instance?: string[];
  all?: boolean;
  tag?: string[];
  region?: string;
  profile?: string;
  endpointUrl?: string;
  concurrency: number;
  principal?: string;
  timeout: number;
  config?: string;
}

/** How to reach AWS: the same for one account and for a sweep's management connection. */
function connectionOf(opts: CheckOptions, region: string | undefined): ConnectionOptions {
  return {
    ...(region ? { region } : {}),
    ...(opts.profile ? { profile: opts.profile } : {}),
    ...(opts.endpointUrl ? { endpointUrl: opts.endpointUrl } : {}),
    timeoutMs: Math.round(opts.timeout * 1000),
    concurrency: opts.concurrency,
  };
}

const INSTANCE_ID = /^(i|mi)-[0-9a-f]{8,17}$/;

function positiveInt(name: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}.`);
    return n;
  };
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new InvalidArgumentError("the timeout must be a number of seconds (0 < s ≤ 600).");
  return n;
}

function parseTags(tags: string[]): { key: string; value: string }[] {
  return tags.map((t) => {
    const eq = t.indexOf("=");
    if (eq <= 0) usageFailure(`--tag ${t}: expected KEY=VALUE, e.g. --tag Env=prod`);
    return { key: t.slice(0, eq), value: t.slice(eq + 1) };
  });
}

/** Progress on stderr, redrawn in place, only on a terminal and only when there is enough to wait for. */
function progress(enabled: boolean) {
  let last = 0;
  return {
    update(calls: number) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      process.stderr.write(`\rssm-doctor: reading the account… ${calls} calls`);
    },
    done() {
      if (enabled) process.stderr.write("\r\x1b[K");
    },
  };
}

async function check(options: CheckOptions): Promise<number> {
  const opts = { ...options, instance: options.instance ?? [], tag: options.tag ?? [] };
  const clock = opts.timings ? new Timings() : undefined;
  clock?.add("start-up", performance.now());
  const { config, file: configFile, path: configPath } = await readConfigFile(opts.config, opts.verbose);
  for (const id of opts.instance) if (!INSTANCE_ID.test(id)) usageFailure(`--instance ${id}: not an instance id (i-0123456789abcdef0)`);
  const tags = parseTags(opts.tag);
  if (opts.instance.length === 0 && !opts.all && tags.length === 0)
    usageFailure("say which instances: --instance ID (repeatable), --tag KEY=VALUE, or --all");
  if (opts.all && opts.instance.length > 0) usageFailure("--all and --instance exclude each other");
  if (opts.principal && !/^arn:[^:]+:(iam|sts)::\d{12}:/.test(opts.principal))
    usageFailure(`--principal ${opts.principal}: expected an IAM user or role ARN (arn:aws:iam::123456789012:role/Name)`);
  const region = opts.region ?? config.region;

  const suppressions = suppressionsOf(config);
  const severities = selectRules(config.severity, opts);
  // The agent version to assume where an instance reports none: the live source puts it on the World.
  const stated: Pick<StatedAssumptions, "agentVersion"> = config.agentVersion ? { agentVersion: config.agentVersion } : {};
  const engine: EngineOptions = {
    ...(severities ? { severities } : {}),
    ...(config.hubs ? { hubs: hubsOf(config, configFile ?? CONFIG_FILE) } : {}),
    suppressions,
    ...(clock ? { timings: clock } : {}),
  };

  // The SDK warns on every run under Node < 22 (eight lines on stderr before any answer): this tool supports
  // Node 20.19 and says so itself, so the warning is turned off before the SDK loads, unless the user set it.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  if (opts.accounts !== undefined || opts.regions !== undefined || opts.resume !== undefined) {
    if (opts.instance.length > 0) usageFailure("a sweep (--accounts / --regions) selects instances with --all or --tag, not --instance");
    return sweepCheck(
      opts,
      { instanceIds: [], all: Boolean(opts.all), tags, ...(opts.principal ? { principal: opts.principal } : {}) },
      engine,
      config.failOn,
      region,
      stated,
    );
  }
  const fleet = opts.all || tags.length > 0 || opts.instance.length > 3;
  const bar = progress(Boolean(process.stderr.isTTY) && fleet && !opts.quiet);
  // The AWS SDK costs ~300 ms to load: only `check` pays for it, through liveSource's dynamic import.
  const loading = performance.now();
  const { collectLiveWorld } = await liveSource();
  clock?.add("start-up", performance.now() - loading);
  let live: Awaited<ReturnType<typeof collectLiveWorld>>;
  const reading = performance.now();
  try {
    live = await collectLiveWorld(
      connectionOf(opts, region),
      { instanceIds: opts.instance, all: Boolean(opts.all), tags, ...(opts.principal ? { principal: opts.principal } : {}) },
      (stats) => bar.update(stats.calls),
      stated,
    );
  } finally {
    bar.done();
    // Reading the account (the AWS calls) and building its model are one phase here: they overlap.
    clock?.add("read", performance.now() - reading);
  }
  const file = live.world.files[0] ?? `account ${live.identity.account}, ${live.region}`;
  const result = runRules(live.world, RULES, engine);
  if (process.env.SSM_DOCTOR_CALL_STATS === "1")
    process.stderr.write(`ssm-doctor: ${live.stats.calls} AWS calls ${JSON.stringify(live.stats.byOperation)}\n`);
  const code = timed(clock, "report", () =>
    writeReports([{ file, result }], opts, {
      rules: RULES,
      failOn: config.failOn,
      ...(configPath ? { inputs: [configPath], configFile: configPath } : {}),
    }),
  );
  if (clock) process.stderr.write(clock.format());
  return code;
}

/** Progress of a sweep on a terminal: pairs done, instances seen, and an estimate of the time left. */
function sweepProgress(enabled: boolean) {
  const started = Date.now();
  let last = 0;
  return {
    update(done: number, total: number, instances: number) {
      if (!enabled) return;
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      const eta = done > 0 && total > done ? ` · about ${Math.ceil((((now - started) / done) * (total - done)) / 1000)} s left` : "";
      process.stderr.write(`\rssm-doctor: ${done}/${total} account/region pairs · ${instances} instances${eta}\x1b[K`);
    },
    done() {
      if (enabled) process.stderr.write("\r\x1b[K");
    },
  };
}

async function sweepCheck(
  opts: CheckOptions,
  selection: Parameters<typeof runSweep>[1],
  engine: EngineOptions,
  failOn: Parameters<typeof writeReports>[2]["failOn"],
  region: string | undefined,
  stated: Pick<StatedAssumptions, "agentVersion">,
): Promise<number> {
  const bar = sweepProgress(Boolean(process.stderr.isTTY) && !opts.quiet && !process.env.CI);
  let run: Awaited<ReturnType<typeof runSweep>>;
  try {
    run = await runSweep(connectionOf(opts, region), selection, opts, engine, stated, (done, total, instances) =>
      bar.update(done, total, instances),
    );
  } finally {
    bar.done();
  }
  if (process.env.SSM_DOCTOR_CALL_STATS === "1")
    process.stderr.write(`ssm-doctor: ${run.stats.calls} AWS calls in ${run.stats.units} account/region pairs\n`);
  return writeReports(run.results, opts, { rules: RULES, failOn });
}

export function registerCheck(program: Command): void {
  addRuleSelectionOptions(addOutputOptions(program.command("check")))
    .summary("diagnose instances in an AWS account (live, read-only)")
    .description(
      "Read an AWS account (read-only: Describe/Get/List/Simulate calls only) and tell, per instance, whether " +
        "Session Manager can reach it: agent, path to the endpoints, HTTPS 443, DNS, IAM, hop by hop.\n\n" +
        "Credentials and region come from the standard AWS chain (--profile, AWS_PROFILE, AWS_REGION, …); " +
        "AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> work unchanged.",
    )
    .addOption(new Option("-i, --instance <id>", "an instance id (repeatable)").argParser(collect))
    .option("--all", "every running instance in the region")
    .addOption(new Option("-t, --tag <key=value>", "running instances with this tag (repeatable: all must match)").argParser(collect))
    .addOption(new Option("-r, --region <region>", "the region (default: from the profile or AWS_REGION)").env("SSM_DOCTOR_REGION"))
    .option("--profile <name>", "a named AWS profile (its region and credentials)")
    .option("--endpoint-url <url>", "one endpoint for every AWS service (a local fake, LocalStack)")
    .option("--principal <arn>", "also check that this IAM user or role may start a session (ssm:StartSession)")
    .option("--concurrency <n>", "AWS calls in flight at once", positiveInt("--concurrency", 64), 16)
    .option("--timeout <seconds>", "per AWS request, before it fails", seconds, 10)
    .option("--accounts <all|ids|@file>", "sweep these accounts: all (Organizations ListAccounts, ACTIVE only), ID,ID, or @file")
    .option("--regions <all|list>", "sweep these regions: all (enabled in each account) or r1,r2 (default: --region)")
    .option("--role-name <name>", "the read-only role a sweep assumes in each account", DEFAULT_ROLE)
    .option("--external-id <id>", "the external id the role's trust policy requires")
    .option("--parallel <n>", "account/region pairs a sweep reads at once", positiveInt("--parallel", 32), 4)
    .option("--resume <file>", "keep a sweep's progress in this file and continue from it when run again")
    .addOption(
      new Option("-c, --config <file>", `configuration file (default: ${CONFIG_FILE} found upward from here to the repository root)`).env(
        "SSM_DOCTOR_CONFIG",
      ),
    )
    .addHelpText(
      "after",
      `
Examples:
  ssm-doctor check --instance i-0123456789abcdef0
  ssm-doctor check --instance i-0123456789abcdef0 --profile prod --region eu-west-1 --principal arn:aws:iam::123456789012:role/Oncall
  ssm-doctor check --all --format json --output fleet.json
  ssm-doctor check --tag Env=prod --fail-on warning
  ssm-doctor check --all --skip-check SD204 --quiet               # only what will not connect
  AWS_PROFILE=prod SSM_DOCTOR_REGION=eu-west-1 ssm-doctor check --all
  ssm-doctor check --all --accounts all --regions all --resume sweep.state --format json --output org.json
  ssm-doctor check --all --accounts 111111111111,222222222222 --regions eu-west-1,us-east-1 --role-name SsmDoctorReadOnly

Options can also come from SSM_DOCTOR_* environment variables (shown beside each option; SSM_DOCTOR_QUIET=1
for -q): the command line wins over them, and they win over ${CONFIG_FILE}.

The minimal IAM policy for the caller is docs/iam-policy.json. A call the caller may not make leaves
what it reads unknown (a note naming the permission); everything else is still checked.

Exit codes: 0 nothing at or above --fail-on, 1 findings at or above it, 2 usage error, no or expired
credentials, or an unknown region. Unknown verdicts never fail the run unless --strict.`,
    )
    .action(async (opts: CheckOptions) => {
      throw new ExitError(await check(opts));
    });
}
