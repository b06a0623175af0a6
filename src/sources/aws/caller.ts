/**
 * The one way the collector talks to AWS: SDK clients loaded lazily (only `check` pays for them; see sdk.ts), every call
 * checked against READ_ONLY_OPERATIONS, counted, run under a concurrency bound, with the SDK's standard retries
 * (throttling, 5xx) and a request timeout that fails a hung call (throwOnRequestTimeout).
 */

import type { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { Route53Client } from "@aws-sdk/client-route-53";
import type { SSMClient } from "@aws-sdk/client-ssm";
import type { STSClient } from "@aws-sdk/client-sts";
import { type Operation, READ_ONLY_OPERATIONS, SWEEP_OPERATIONS } from "./operations.js";
import { loadSdk, sdk } from "./sdk.js";

export interface ConnectionOptions {
  region?: string;
  /** A named profile: the SDK takes both region and credentials from it. */
  profile?: string;
  /** One endpoint for every service (tests, LocalStack); AWS_ENDPOINT_URL* work without it. */
  endpointUrl?: string;
  /** Per request, in milliseconds. */
  timeoutMs: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** SDK attempts per call (standard retry mode: throttling and 5xx are retried with backoff). */
  maxAttempts?: number;
  /** "adaptive" adds client-side rate limiting on throttling (sweeps share the account's API quota). */
  retryMode?: "standard" | "adaptive";
  /** Temporary credentials of an assumed role (a sweep); otherwise the standard chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date };
}

export type FailureKind = "denied" | "timeout" | "error";

export interface CallFailure {
  operation: Operation;
  kind: FailureKind;
  code: string;
  message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; failure: CallFailure };

export interface CallerStats {
  calls: number;
  byOperation: Record<string, number>;
  failures: CallFailure[];
}

const DENIED = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "UnauthorizedAccess",
  "AuthorizationError",
  "AuthorizationErrorException",
]);

/** Errors that mean the credentials themselves are bad: the whole run stops with one line. */
export const CREDENTIAL_ERRORS = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "SignatureDoesNotMatch",
  "AuthFailure",
  "InvalidAccessKeyId",
  "RequestExpired",
]);

export function errorCode(e: unknown): string {
  const err = e as { name?: string; Code?: string; code?: string };
  return err?.Code ?? err?.name ?? err?.code ?? "Error";
}

export function classify(operation: Operation, e: unknown): CallFailure {
  const code = errorCode(e);
  const message = ((e as Error)?.message ?? String(e)).split("\n")[0]!.slice(0, 300);
  const kind: FailureKind = DENIED.has(code)
    ? "denied"
    : code === "TimeoutError" || /timed? ?out|timeout/i.test(message)
      ? "timeout"
      : "error";
  return { operation, kind, code, message };
}

/** At most `max` tasks at once; the others wait in order. */
export class Limiter {
  private active = 0;
  private readonly queue: (() => void)[] = [];
  constructor(private readonly max: number) {}
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }
}

interface Clients {
  ec2?: Promise<EC2Client>;
  ssm?: Promise<SSMClient>;
  iam?: Promise<IAMClient>;
  sts?: Promise<STSClient>;
  route53?: Promise<Route53Client>;
  logs?: Promise<CloudWatchLogsClient>;
  organizations?: Promise<OrganizationsClient>;
}

const ALLOWED: ReadonlySet<string> = new Set<string>([...READ_ONLY_OPERATIONS, ...SWEEP_OPERATIONS]);

/** The operation whose call threw an error, so a failure that ends the run names the call that failed. */
const FAILED_OPERATION = new WeakMap<object, Operation>();

export function failedOperation(e: unknown): Operation | undefined {
  return e !== null && typeof e === "object" ? FAILED_OPERATION.get(e) : undefined;
}

export class Caller {
  readonly stats: CallerStats = { calls: 0, byOperation: {}, failures: [] };
  private readonly limiter: Limiter;
  private readonly clients: Clients = {};
  private readonly config: Record<string, unknown>;
  onCall?: (stats: CallerStats) => void;

  constructor(readonly options: ConnectionOptions) {
    this.limiter = new Limiter(Math.max(1, options.concurrency));
    this.config = {
      ...(options.region ? { region: options.region } : {}),
      ...(options.profile ? { profile: options.profile } : {}),
      ...(options.endpointUrl ? { endpoint: options.endpointUrl } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
      maxAttempts: options.maxAttempts ?? 4,
      ...(options.retryMode ? { retryMode: options.retryMode } : {}),
      requestHandler: {
        requestTimeout: options.timeoutMs,
        connectionTimeout: options.timeoutMs,
        throwOnRequestTimeout: true,
      },
    };
  }

  ec2(): Promise<EC2Client> {
    this.clients.ec2 ??= loadSdk().then(() => new (sdk.ec2().EC2Client)(this.config));
    return this.clients.ec2;
  }
  ssm(): Promise<SSMClient> {
    this.clients.ssm ??= loadSdk().then(() => new (sdk.ssm().SSMClient)(this.config));
    return this.clients.ssm;
  }
  iam(): Promise<IAMClient> {
    this.clients.iam ??= loadSdk().then(() => new (sdk.iam().IAMClient)(this.config));
    return this.clients.iam;
  }
  sts(): Promise<STSClient> {
    this.clients.sts ??= loadSdk().then(() => new (sdk.sts().STSClient)(this.config));
    return this.clients.sts;
  }
  route53(): Promise<Route53Client> {
    this.clients.route53 ??= loadSdk().then(() => new (sdk.route53().Route53Client)(this.config));
    return this.clients.route53;
  }

  logs(): Promise<CloudWatchLogsClient> {
    this.clients.logs ??= loadSdk().then(() => new (sdk.logs().CloudWatchLogsClient)(this.config));
    return this.clients.logs;
  }

  organizations(): Promise<OrganizationsClient> {
    this.clients.organizations ??= loadSdk("organizations").then(() => new (sdk.organizations().OrganizationsClient)(this.config));
    return this.clients.organizations;
  }

  /** One request (one page). Throws what the SDK throws. */
  async call<T>(operation: Operation, fn: () => Promise<T>): Promise<T> {
    if (!ALLOWED.has(operation)) throw new Error(`refusing ${operation}: not a read-only operation of the collector`);
    return this.limiter.run(async () => {
      try {
        return await fn();
      } catch (e) {
        if (e !== null && typeof e === "object" && !FAILED_OPERATION.has(e)) FAILED_OPERATION.set(e, operation);
        throw e;
      } finally {
        this.stats.calls++;
        this.stats.byOperation[operation] = (this.stats.byOperation[operation] ?? 0) + 1;
        this.onCall?.(this.stats);
      }
    });
  }

  /** Every page of a paginated call; `next` reads the token from a page. */
  async pages<P>(operation: Operation, page: (token: string | undefined) => Promise<P>, next: (p: P) => string | undefined): Promise<P[]> {
    const out: P[] = [];
    let token: string | undefined;
    const seen = new Set<string>();
    do {
      const p = await this.call(operation, () => page(token));
      out.push(p);
      token = next(p);
      if (token !== undefined) {
        if (seen.has(token)) break; // a service repeating its token would loop forever
        seen.add(token);
      }
    } while (token);
    return out;
  }

  /** Like `call`/`pages`, but a failure becomes an Outcome (recorded) instead of an exception. */
  async attempt<T>(operation: Operation, fn: () => Promise<T>): Promise<Outcome<T>> {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      if (CREDENTIAL_ERRORS.has(errorCode(e))) throw e;
      const failure = classify(operation, e);
      this.stats.failures.push(failure);
      return { ok: false, failure };
    }
  }

  destroy(): void {
    for (const c of Object.values(this.clients)) void (c as Promise<{ destroy(): void }>).then((x) => x.destroy()).catch(() => {});
  }
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
