/**
 * A loopback fake of an AWS Organization for sweeps: one front server that answers Organizations
 * ListAccounts, STS AssumeRole (credentials that name the member account) and EC2 DescribeRegions (the
 * regions enabled in each account), and forwards every other request to the single-account fake of
 * that account and region, chosen by the access key and the signing region of the request. Everything
 * listens on 127.0.0.1. It can deny AssumeRole per account, leave a region disabled, and throttle a
 * share of all calls, and it records the role sessions it handed out.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as EC2 from "@aws-sdk/client-ec2";
import * as STS from "@aws-sdk/client-sts";
import { lookupAwsManagedPolicy } from "../../src/analysis/iam.js";
import { type Account, loadScenario } from "./scenario.js";
import { type FakeAws, startFakeAws } from "./server.js";
import { errorBody, jsonResponse, operationSchema, xmlResponse } from "./wire.js";

export interface MemberAccount {
  id: string;
  name: string;
  status?: "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE";
  /** Region → scenario (fixtures/accounts/NAME.yaml) or a ready Account. */
  regions: Record<string, string | Account>;
  /** AssumeRole into this account is denied. */
  denyAssumeRole?: boolean;
}

export interface OrganizationOptions {
  managementAccount?: string;
  accounts: MemberAccount[];
  latencyMs?: number;
  /**
   * Throttle every Nth EC2/SSM call forwarded, at most `max` times (the SDK retries them). Never a call's last attempt
   * (the SDK's amz-sdk-request header says which it is): calls from concurrent sweeps can fall into step, so that
   * every attempt of one call lands on an Nth place, and the test is of retrying, not of running out of attempts.
   */
  throttle?: { every: number; max: number };
}

export interface FakeOrganization {
  url: string;
  /** Every single-account fake, by "account|region". */
  members: Map<string, FakeAws>;
  sessions: { account: string; roleArn: string; sessionName: string; externalId?: string }[];
  throttled: number;
  /** Calls answered by the front itself (ListAccounts, AssumeRole, DescribeRegions, GetCallerIdentity). */
  frontCalls: string[];
  close(): Promise<void>;
}

const MANAGEMENT_KEY = "AKIDFAKE";
const assumedKey = (account: string) => `ASIAFAKE${account}`;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function scope(req: IncomingMessage): { key?: string; region?: string; service?: string } {
  const m = /Credential=([^/]+)\/\d+\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? "");
  return m ? { key: m[1]!, region: m[2]!, service: m[3]! } : {};
}

/** The same scenario in another region: service names and availability zones follow the region. */
function inRegion(account: Account, region: string): Account {
  if (account.region === region) return account;
  const from = account.region;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return v.split(from).join(region);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof Date || v === null || typeof v !== "object") return v;
    if (v instanceof Map) return new Map([...v].map(([k, x]) => [k, walk(x)]));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(account) as Account;
}

export async function startFakeOrganization(options: OrganizationOptions): Promise<FakeOrganization> {
  const management = options.managementAccount ?? "999999999999";
  const members = new Map<string, FakeAws>();
  for (const member of options.accounts) {
    for (const [region, scenario] of Object.entries(member.regions)) {
      const loaded = typeof scenario === "string" ? loadScenario(scenario, lookupAwsManagedPolicy) : scenario;
      const base = inRegion(loaded, region);
      const account: Account = {
        ...base,
        account: member.id,
        region,
        callerArn: `arn:aws:sts::${member.id}:assumed-role/Audit/ssm-doctor`,
      };
      members.set(`${member.id}|${region}`, await startFakeAws(account, { latencyMs: options.latencyMs ?? 0 }));
    }
  }
  const org: FakeOrganization = { url: "", members, sessions: [], throttled: 0, frontCalls: [], close: async () => {} };
  let forwarded = 0;
  const byKey = new Map(options.accounts.map((a) => [assumedKey(a.id), a]));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const { key, region = "us-east-1", service } = scope(req);
    const target = req.headers["x-amz-target"];
    const form = Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
    const send = (status: number, contentType: string, body: string) => {
      res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": "fake-org", "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    if (typeof target === "string" && target.startsWith("AWSOrganizationsV20161128.")) {
      org.frontCalls.push("organizations:ListAccounts");
      if (key !== MANAGEMENT_KEY) {
        send(
          400,
          "application/x-amz-json-1.1",
          JSON.stringify({ __type: "AccessDeniedException", message: "only the management account may list accounts" }),
        );
        return;
      }
      const params = raw.length > 0 ? (JSON.parse(raw.toString("utf8")) as { NextToken?: string }) : {};
      const start = params.NextToken ? Number(params.NextToken) : 0;
      const accounts = options.accounts.slice(start, start + 20).map((a) => ({
        Id: a.id,
        Arn: `arn:aws:organizations::${management}:account/o-fake/${a.id}`,
        Email: `aws+${a.id}@example.com`,
        Name: a.name,
        Status: a.status ?? "ACTIVE",
        State: a.status ?? "ACTIVE",
        JoinedMethod: "CREATED",
        JoinedTimestamp: new Date("2024-01-01T00:00:00Z"),
      }));
      const next = start + 20 < options.accounts.length ? { NextToken: String(start + 20) } : {};
      send(200, "application/x-amz-json-1.1", jsonResponse({ Accounts: accounts, ...next }));
      return;
    }
    if (service === "sts" && form.Action === "AssumeRole") {
      org.frontCalls.push("sts:AssumeRole");
      const roleArn = form.RoleArn ?? "";
      const account = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? "";
      const member = options.accounts.find((a) => a.id === account);
      if (!member || member.denyAssumeRole || key !== MANAGEMENT_KEY) {
        const e = errorBody(
          "sts",
          {
            status: 403,
            code: "AccessDenied",
            message: `User: arn:aws:sts::${management}:assumed-role/Auditor/x is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
          },
          "fake-org",
        );
        send(403, e.contentType, e.body);
        return;
      }
      org.sessions.push({
        account,
        roleArn,
        sessionName: form.RoleSessionName ?? "",
        ...(form.ExternalId ? { externalId: form.ExternalId } : {}),
      });
      const value = {
        Credentials: {
          AccessKeyId: assumedKey(account),
          SecretAccessKey: "fake-secret",
          SessionToken: `token-${account}`,
          Expiration: new Date(Date.now() + 3600_000),
        },
        AssumedRoleUser: {
          AssumedRoleId: `AROAFAKE:${form.RoleSessionName}`,
          Arn: `arn:aws:sts::${account}:assumed-role/${roleArn.split("/").pop()}/${form.RoleSessionName}`,
        },
      };
      send(
        200,
        "text/xml",
        xmlResponse(
          "sts",
          "AssumeRole",
          operationSchema(STS as unknown as Record<string, unknown>, "AssumeRole").output,
          value,
          "fake-org",
        ),
      );
      return;
    }
    const member = key ? byKey.get(key) : undefined;
    if (service === "ec2" && form.Action === "DescribeRegions") {
      org.frontCalls.push("ec2:DescribeRegions");
      const regions = member ? Object.keys(member.regions) : ["us-east-1"];
      const value = {
        Regions: regions.map((r) => ({ RegionName: r, Endpoint: `ec2.${r}.amazonaws.com`, OptInStatus: "opt-in-not-required" })),
      };
      send(
        200,
        "text/xml",
        xmlResponse(
          "ec2",
          "DescribeRegions",
          operationSchema(EC2 as unknown as Record<string, unknown>, "DescribeRegions").output,
          value,
          "fake-org",
        ),
      );
      return;
    }
    if (!member) {
      if (service === "sts" && form.Action === "GetCallerIdentity") {
        org.frontCalls.push("sts:GetCallerIdentity");
        const value = { Account: management, Arn: `arn:aws:sts::${management}:assumed-role/Auditor/x`, UserId: "AROAFAKE:x" };
        send(
          200,
          "text/xml",
          xmlResponse(
            "sts",
            "GetCallerIdentity",
            operationSchema(STS as unknown as Record<string, unknown>, "GetCallerIdentity").output,
            value,
            "fake-org",
          ),
        );
        return;
      }
      const e = errorBody(
        "sts",
        { status: 403, code: "AccessDenied", message: "the management account's own resources are not part of this fake" },
        "fake-org",
      );
      send(403, e.contentType, e.body);
      return;
    }
    const fake = members.get(`${member.id}|${region}`);
    if (!fake) {
      // A region that is not enabled in the account rejects the credentials.
      const sdkService = typeof target === "string" ? "ssm" : service === "ec2" ? "ec2" : "sts";
      const e = errorBody(
        sdkService,
        sdkService === "ec2"
          ? { status: 401, code: "AuthFailure", message: "AWS was not able to validate the provided access credentials" }
          : {
              status: 403,
              code: sdkService === "ssm" ? "UnrecognizedClientException" : "InvalidClientTokenId",
              message: "The security token included in the request is invalid",
            },
        "fake-org",
      );
      send(e.contentType.includes("json") ? 400 : sdkService === "ec2" ? 401 : 403, e.contentType, e.body);
      return;
    }
    const throttle = options.throttle;
    if (
      throttle &&
      (service === "ec2" || typeof target === "string") &&
      ++forwarded % throttle.every === 0 &&
      org.throttled < throttle.max &&
      !lastAttempt(req.headers["amz-sdk-request"])
    ) {
      org.throttled++;
      const e =
        typeof target === "string"
          ? errorBody("ssm", { status: 400, code: "ThrottlingException", message: "Rate exceeded" }, "fake-org")
          : errorBody("ec2", { status: 503, code: "RequestLimitExceeded", message: "Request limit exceeded." }, "fake-org");
      send(typeof target === "string" ? 400 : 503, e.contentType, e.body);
      return;
    }
    // Forward to the account's own fake, unchanged.
    await new Promise<void>((resolve) => {
      const forward = request(
        {
          host: "127.0.0.1",
          port: fake.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${fake.port}` },
        },
        (answer) => {
          const chunks: Buffer[] = [];
          answer.on("data", (c: Buffer) => chunks.push(c));
          answer.on("end", () => {
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(Buffer.concat(chunks));
            resolve();
          });
        },
      );
      forward.on("error", () => {
        res.writeHead(502);
        res.end();
        resolve();
      });
      forward.end(raw);
    });
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  org.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  org.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all([...members.values()].map((m) => m.close()));
  };
  return org;
}

/** Environment for a sweep against the fake organization: the management account's static keys. */
export function organizationEnv(org: FakeOrganization, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: org.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: MANAGEMENT_KEY,
    AWS_SECRET_ACCESS_KEY: "fake-secret",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    NO_COLOR: "1",
    ...extra,
  };
}

/** Whether the SDK's `amz-sdk-request: attempt=N; max=M` header says this is the call's last attempt. */
function lastAttempt(header: string | string[] | undefined): boolean {
  const m = /attempt=(\d+);\s*max=(\d+)/.exec(String(header ?? ""));
  return m !== null && Number(m[1]) >= Number(m[2]);
}
