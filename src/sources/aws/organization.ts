/**
 * Sweeps across an organisation: the member accounts (Organizations ListAccounts, ACTIVE only), a
 * session in each account's read-only role (STS AssumeRole, with an external id and a session name that
 * names the tool), the regions enabled in each account (EC2 DescribeRegions), and then the ordinary
 * collection for every account and region, a bounded number at a time. An account whose role cannot be
 * assumed, or a region that fails, becomes a named failure of that unit; the sweep goes on.
 */
import { InputError, type StatedAssumptions } from "../../model/index.js";
import { Caller, type ConnectionOptions, errorCode, Limiter } from "./caller.js";
import type { Selection } from "./collect/index.js";
import { collectLiveWorld, type LiveResult } from "./index.js";
import { sdk } from "./sdk.js";

export const SESSION_NAME = "ssm-doctor";
export const DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole";

export interface SweepPlan {
  /** "all" (Organizations), or account ids. */
  accounts: "all" | string[];
  /** "all" (enabled in each account), or region names. */
  regions: "all" | string[];
  roleName: string;
  externalId?: string;
  /** Account/region pairs read at once. */
  parallel: number;
  /** What the caller states for every pair's run (the agent version to assume). */
  stated?: Pick<StatedAssumptions, "agentVersion">;
}

export interface MemberAccount {
  id: string;
  name?: string;
}

export type UnitOutcome =
  | { kind: "done"; account: MemberAccount; region: string; live: LiveResult }
  | { kind: "failed"; account: MemberAccount; region: string | "*"; reason: string; decide: string };

type Credentials = NonNullable<ConnectionOptions["credentials"]>;

/** The management account's view: member accounts that are ACTIVE. */
export async function listAccounts(caller: Caller): Promise<MemberAccount[]> {
  const client = await caller.organizations();
  const { ListAccountsCommand } = sdk.organizations();
  const pages = await caller.pages(
    "organizations:ListAccounts",
    (token) => client.send(new ListAccountsCommand(token ? { NextToken: token } : {})),
    (p) => p.NextToken,
  );
  return pages
    .flatMap((p) => p.Accounts ?? [])
    .filter((a) => (a.State ?? a.Status) === "ACTIVE" && a.Id)
    .map((a) => ({ id: a.Id!, ...(a.Name ? { name: a.Name } : {}) }));
}

async function assumeRole(caller: Caller, account: string, partition: string, plan: SweepPlan): Promise<Credentials> {
  const sts = await caller.sts();
  const { AssumeRoleCommand } = sdk.sts();
  const answer = await caller.call("sts:AssumeRole", () =>
    sts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:${partition}:iam::${account}:role/${plan.roleName}`,
        RoleSessionName: SESSION_NAME,
        DurationSeconds: 3600,
        ...(plan.externalId ? { ExternalId: plan.externalId } : {}),
      }),
    ),
  );
  const c = answer.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error("AssumeRole returned no credentials");
  return {
    accessKeyId: c.AccessKeyId,
    secretAccessKey: c.SecretAccessKey,
    ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    ...(c.Expiration ? { expiration: c.Expiration } : {}),
  };
}

async function enabledRegions(connection: ConnectionOptions): Promise<string[]> {
  const caller = new Caller(connection);
  try {
    const ec2 = await caller.ec2();
    const { DescribeRegionsCommand } = sdk.ec2();
    const answer = await caller.call("ec2:DescribeRegions", () => ec2.send(new DescribeRegionsCommand({ AllRegions: false })));
    return (answer.Regions ?? []).flatMap((r) => (r.RegionName ? [r.RegionName] : [])).sort();
  } finally {
    caller.destroy();
  }
}

const reasonOf = (e: unknown) =>
  e instanceof InputError ? e.message : `${errorCode(e)}: ${((e as Error)?.message ?? String(e)).split("\n")[0]}`;

export interface SweepCallbacks {
  /** Units already done in an earlier run (--resume): skipped. */
  skip?: (account: string, region: string) => boolean;
  /** The regions of an account, once known: for progress. */
  onPlanned?: (account: MemberAccount, regions: string[]) => void;
  onUnit: (outcome: UnitOutcome) => void | Promise<void>;
}

/** One account and region to read, with the account's role session. */
interface SweepUnit {
  account: MemberAccount;
  region: string;
  credentials: Credentials;
}

/**
 * Every account × region of the plan. `connection` is the caller's own (management) connection; its
 * region is where STS and Organizations are asked, and the default for `--regions`.
 */
export async function sweep(
  connection: ConnectionOptions,
  plan: SweepPlan,
  selection: Selection,
  callbacks: SweepCallbacks,
): Promise<void> {
  const management = new Caller(connection);
  const { accounts, partition } = await memberAccounts(management, plan);
  const units: SweepUnit[] = [];
  // At most plan.parallel accounts, then account/region pairs, are read at once.
  const lanes = new Limiter(plan.parallel);
  try {
    await Promise.all(
      accounts.map((account) => lanes.run(() => planAccount({ management, connection, partition, plan, callbacks }, account, units))),
    );
  } finally {
    management.destroy();
  }
  await Promise.all(
    units.map(({ account, region, credentials }) =>
      lanes.run(async () => {
        try {
          const live = await collectLiveWorld(
            { ...connection, region, credentials, retryMode: "adaptive" },
            selection,
            undefined,
            plan.stated,
          );
          await callbacks.onUnit({ kind: "done", account, region, live });
        } catch (e) {
          await callbacks.onUnit({
            kind: "failed",
            account,
            region,
            reason: reasonOf(e),
            decide: "check that the region is enabled in the account and the role may read it",
          });
        }
      }),
    ),
  );
}

/** The accounts of the plan (listed by Organizations for "all"), and the partition of the caller; the run stops when they cannot be had. */
async function memberAccounts(management: Caller, plan: SweepPlan): Promise<{ accounts: MemberAccount[]; partition: string }> {
  let accounts: MemberAccount[];
  let partition = "aws";
  try {
    const sts = await management.sts();
    const { GetCallerIdentityCommand } = sdk.sts();
    const me = await management.call("sts:GetCallerIdentity", () => sts.send(new GetCallerIdentityCommand({})));
    partition = /^arn:([^:]+):/.exec(me.Arn ?? "")?.[1] ?? "aws";
    accounts = plan.accounts === "all" ? await listAccounts(management) : plan.accounts.map((id) => ({ id }));
  } catch (e) {
    management.destroy();
    if (e instanceof InputError) throw e;
    const code = errorCode(e);
    if (plan.accounts === "all" && /AccessDenied|AWSOrganizationsNotInUse/.test(code))
      throw new InputError(
        `cannot list the organisation's accounts (${code})`,
        undefined,
        undefined,
        undefined,
        "run from the management account or a delegated administrator with organizations:ListAccounts, or pass --accounts ID,ID",
      );
    throw e;
  }
  if (accounts.length === 0) {
    management.destroy();
    throw new InputError("the organisation lists no ACTIVE account");
  }
  return { accounts, partition };
}

interface SweepContext {
  management: Caller;
  connection: ConnectionOptions;
  partition: string;
  plan: SweepPlan;
  callbacks: SweepCallbacks;
}

/** Assumes the account's role and finds its regions, adding a unit per region not skipped; a failure is the account's. */
async function planAccount(
  { management, connection, partition, plan, callbacks }: SweepContext,
  account: MemberAccount,
  units: SweepUnit[],
): Promise<void> {
  let credentials: Credentials;
  try {
    credentials = await assumeRole(management, account.id, partition, plan);
  } catch (e) {
    await callbacks.onUnit({
      kind: "failed",
      account,
      region: "*",
      reason: `the role ${plan.roleName} could not be assumed (${reasonOf(e)})`,
      decide: `deploy the read-only role (docs/ssm-doctor-member-role.yaml) in ${account.id}, or check --role-name and --external-id`,
    });
    return;
  }
  let regions: string[];
  try {
    regions = plan.regions === "all" ? await enabledRegions({ ...connection, credentials }) : plan.regions;
  } catch (e) {
    await callbacks.onUnit({
      kind: "failed",
      account,
      region: "*",
      reason: `the enabled regions could not be read (${reasonOf(e)})`,
      decide: "grant ec2:DescribeRegions to the role, or pass --regions r1,r2",
    });
    return;
  }
  callbacks.onPlanned?.(account, regions);
  for (const region of regions) if (!callbacks.skip?.(account.id, region)) units.push({ account, region, credentials });
}
