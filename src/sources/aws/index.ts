/**
 * Live source: an AWS account → World (source "live"), read-only. Public API: collectLiveWorld.
 * Only `check` imports this module; the SDK clients load lazily on the first call.
 */
import { InputError, type StatedAssumptions, type World } from "../../model/index.js";
import { buildWorld } from "./build.js";
import {
  Caller,
  type CallerStats,
  type CallFailure,
  type ConnectionOptions,
  CREDENTIAL_ERRORS,
  errorCode,
  failedOperation,
} from "./caller.js";
import { type AccountReads, collect, type Identity, type Selection } from "./collect/index.js";
import { sdk } from "./sdk.js";

export type { CallerStats, ConnectionOptions } from "./caller.js";
export type { Selection } from "./collect/index.js";
export { READ_ONLY_OPERATIONS } from "./operations.js";

export interface LiveResult {
  world: World;
  /** What was read, for a sweep's --resume file. */
  raw: AccountReads;
  identity: Identity;
  region: string;
  stats: CallerStats;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;

/** One clear line for what stops the whole run: no credentials, bad credentials, no or unknown region. */
export function setupError(e: unknown, where: { region?: string; endpointUrl?: string }): InputError | undefined {
  const code = errorCode(e);
  const message = (e as Error)?.message ?? String(e);
  const hint = (h: string) => new InputError(h);
  if (code === "CredentialsProviderError" || /Could not load credentials/i.test(message))
    return hint("no AWS credentials found: pass --profile, set AWS_PROFILE or AWS_ACCESS_KEY_ID, or run 'aws sso login'");
  if (code === "ExpiredToken" || code === "ExpiredTokenException" || code === "RequestExpired" || /expired/i.test(code))
    return hint(`the AWS credentials have expired (${code}): refresh them, e.g. 'aws sso login'`);
  if (CREDENTIAL_ERRORS.has(code)) return hint(`the AWS credentials were rejected (${code}): check the access key or the profile`);
  if (/Region is missing/i.test(message)) return hint("no AWS region: pass --region or set AWS_REGION (or a region in the profile)");
  const cause = (e as { code?: string; cause?: { code?: string } })?.code ?? (e as { cause?: { code?: string } })?.cause?.code;
  if (cause === "ENOTFOUND" || cause === "EAI_AGAIN")
    return hint(`cannot reach AWS in region ${where.region ?? "(unset)"}: unknown region, or no network (${cause})`);
  if (cause === "ECONNREFUSED") return hint(`cannot connect to ${where.endpointUrl ?? "the AWS endpoint"} (ECONNREFUSED)`);
  const operation = failedOperation(e) ?? "sts:GetCallerIdentity";
  if (code === "TimeoutError" || code === "RequestTimeout")
    return hint(`AWS did not answer ${operation} in time: check the network, or raise --timeout`);
  const meta = (e as { $metadata?: { attempts?: number; httpStatusCode?: number } })?.$metadata;
  const attempts = meta?.attempts && meta.attempts > 1 ? ` after ${meta.attempts} attempts` : "";
  const detail = message.split("\n")[0]!.slice(0, 200);
  if (THROTTLING.has(code))
    return hint(`${operation} failed${attempts}: AWS throttled the requests (${code}: ${detail}); try again later, or lower --concurrency`);
  if ((meta?.httpStatusCode ?? 0) >= 500 || SERVER_ERRORS.has(code))
    return hint(`${operation} failed${attempts}: AWS answered with a server error (${code}: ${detail}); try again later`);
  return undefined;
}

/** Throttling as the SDK's standard retry strategy recognises it. */
const THROTTLING = new Set([
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "RequestThrottledException",
  "TooManyRequestsException",
  "ProvisionedThroughputExceededException",
  "TransactionInProgressException",
  "RequestLimitExceeded",
  "BandwidthLimitExceeded",
  "LimitExceededException",
  "RequestThrottled",
  "SlowDown",
  "PriorRequestNotComplete",
  "EC2ThrottledException",
]);
const SERVER_ERRORS = new Set(["InternalError", "InternalFailure", "InternalServerError", "ServiceFailure", "ServiceUnavailable"]);

export async function collectLiveWorld(
  connection: ConnectionOptions,
  selection: Selection,
  onProgress?: (stats: CallerStats) => void,
  stated: Pick<StatedAssumptions, "agentVersion"> = {},
): Promise<LiveResult> {
  if (connection.region && !REGION.test(connection.region))
    throw new InputError(`unknown region "${connection.region}": expected a region such as us-east-1`);
  const caller = new Caller(connection);
  if (onProgress) caller.onCall = onProgress;
  const where = {
    ...(connection.region ? { region: connection.region } : {}),
    ...(connection.endpointUrl ? { endpointUrl: connection.endpointUrl } : {}),
  };
  try {
    const sts = await caller.sts();
    let region: string;
    try {
      region = await sts.config.region();
    } catch (e) {
      throw setupError(e, where) ?? e;
    }
    if (!REGION.test(region)) throw new InputError(`unknown region "${region}": expected a region such as us-east-1`);
    where.region = region;
    const { GetCallerIdentityCommand } = sdk.sts();
    const me = await caller.call("sts:GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({})));
    const identity: Identity = { account: me.Account ?? "", arn: me.Arn ?? "" };
    const raw = await collect(caller, selection, identity, region);
    if (selection.instanceIds.length > 0 && raw.instances.length === 0)
      throw new InputError(
        `no instance ${raw.missing.join(", ")} in ${region} of account ${identity.account}`,
        undefined,
        undefined,
        undefined,
        "check the id and --region",
      );
    const world = worldOfRaw(raw, caller.stats.failures, stated);
    return { world, raw, identity, region, stats: caller.stats };
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw setupError(e, where) ?? e;
  } finally {
    caller.destroy();
  }
}

/** The World of what was read, with a note for every read that failed (a sweep rebuilds resumed units with it). */
export function worldOfRaw(
  raw: AccountReads,
  failures: readonly CallFailure[],
  stated: Pick<StatedAssumptions, "agentVersion"> = {},
): World {
  const world = buildWorld(raw, stated);
  if (raw.missing.length > 0)
    world.notes.push({ level: "warning", code: "instances-missing", message: `not found in ${raw.region}: ${raw.missing.join(", ")}` });
  for (const f of dedupeFailures([...failures]))
    world.notes.push({
      level: "warning",
      code: `call-${f.kind}`,
      message:
        f.kind === "denied"
          ? `${f.operation} was denied (${f.code}): what it reads is unknown; grant ${f.operation} (docs/iam-policy.json)`
          : `${f.operation} ${f.kind === "timeout" ? "timed out" : `failed (${f.code})`}: what it reads is unknown`,
    });
  return world;
}

function dedupeFailures<T extends { operation: string; kind: string }>(failures: T[]): T[] {
  const seen = new Set<string>();
  return failures.filter((f) => {
    const k = `${f.operation}|${f.kind}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
