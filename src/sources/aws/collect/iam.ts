/**
 * IAM: the instance profiles of the selected instances, their roles' attached policies, one simulation of the
 * agent's actions per role, and with --principal a simulation of ssm:StartSession for the operator.
 */
import type * as EC2 from "@aws-sdk/client-ec2";
import type * as IAM from "@aws-sdk/client-iam";
import { AGENT_ACTIONS, SESSION_DOCUMENT_NAME } from "../../../model/index.js";
import { type Caller, chunks, type Outcome } from "../caller.js";
import { type Sdk, sdk } from "../sdk.js";
import { allOutcomes } from "./listing.js";
import { sessionInput } from "./session-preferences.js";

export interface OperatorReads {
  principal: string;
  results: Outcome<IAM.EvaluationResult[]>;
  /**
   * The resources whose answer lacked a condition key this run knows, simulated again with it (an instance's tags,
   * ssm:SessionDocumentAccessCheck true), with what each retry supplied and which keys a real request lacks too.
   */
  retries: OperatorRetry[];
  /** By resource ARN, the lower-case resource tag keys it does not have: a real request lacks them as the simulation did. */
  absent: Map<string, ReadonlySet<string>>;
  documentArn: string;
  /** Each instance's ARN, by instance id. */
  instanceArns: Map<string, string>;
}

export interface OperatorRetry {
  resources: string[];
  results: Outcome<IAM.EvaluationResult[]>;
  /** Whether ssm:SessionDocumentAccessCheck was given as true (the first answer went without it). */
  documentAccessCheck: boolean;
}

export interface IamReads {
  /** By instance profile ARN. */
  profiles: Map<string, Outcome<IAM.InstanceProfile>>;
  /** By role ARN. */
  attachedPolicies: Map<string, Outcome<IAM.AttachedPolicy[]>>;
  /** By role ARN. */
  simulations: Map<string, Outcome<IAM.EvaluationResult[]>>;
  operator?: OperatorReads;
}

/** Where the IAM reads happen: the account, region and partition name the ARNs simulated. */
export interface IamScope {
  instances: EC2.Instance[];
  principal?: string;
  account: string;
  region: string;
  partition: string;
  /** Agent actions to simulate on the resource the session preferences name (known once they are read). */
  scoped?: Promise<ScopedSimulation[]>;
}

/** Agent actions simulated on one resource instead of "*", the resource SimulatePrincipalPolicy assumes without one. */
export interface ScopedSimulation {
  actions: string[];
  resource: string;
  /** The region the agent's requests for this resource go to (aws:RequestedRegion), when the resource names it. */
  region?: string;
}

/**
 * The resources the session preferences name for the agent's actions: the KMS key it decrypts with (by ARN or key
 * id; an alias names no key without reading KMS, so its actions stay on "*"), and the S3 bucket and object it writes
 * the session log to. A policy granting these actions on that key or bucket only (as AWS's sample instance policy
 * does) is implicitly denied on "*".
 */
export function scopedSimulations(
  inputs: Record<string, unknown>,
  { partition, region, account }: Pick<IamScope, "partition" | "region" | "account">,
): ScopedSimulation[] {
  const text = (name: string) => sessionInput(inputs, name);
  const out: ScopedSimulation[] = [];
  const key = text("kmsKeyId");
  const keyArn = key ? /^arn:[^:]+:kms:([^:]*):\d*:key\/./.exec(key) : null;
  if (key && keyArn) out.push({ actions: ["kms:Decrypt"], resource: key, ...(keyArn[1] ? { region: keyArn[1] } : {}) });
  else if (key && /^(mrk-)?[0-9a-f-]{32,}$/i.test(key))
    out.push({ actions: ["kms:Decrypt"], resource: `arn:${partition}:kms:${region}:${account}:key/${key}`, region });
  const bucket = text("s3BucketName");
  if (bucket) {
    const prefix = (text("s3KeyPrefix") ?? "").replace(/^\/+|\/+$/g, "");
    out.push({ actions: ["s3:PutObject"], resource: `arn:${partition}:s3:::${bucket}/${prefix ? `${prefix}/` : ""}session.log` });
    out.push({ actions: ["s3:GetEncryptionConfiguration"], resource: `arn:${partition}:s3:::${bucket}` });
  }
  return out;
}

interface IamReader {
  caller: Caller;
  iam: IAM.IAMClient;
  sdk: Sdk["iam"];
}

/** The last segment of an instance profile or role ARN: its name. */
function nameOfArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

/** An STS assumed-role ARN names the role it came from; simulation needs the role. */
export function principalArn(arn: string): string {
  const m = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

export async function readIam(caller: Caller, scope: IamScope): Promise<IamReads> {
  const reads: IamReads = { profiles: new Map(), attachedPolicies: new Map(), simulations: new Map() };
  const profileArns = [...new Set(scope.instances.map((i) => i.IamInstanceProfile?.Arn).filter((x): x is string => Boolean(x)))];
  if (profileArns.length === 0 && !scope.principal) return reads;
  const reader: IamReader = { caller, iam: await caller.iam(), sdk: sdk.iam() };
  const roles = new Set<string>();
  await Promise.all(
    profileArns.map(async (arn) => {
      const profile = await getInstanceProfile(reader, arn);
      reads.profiles.set(arn, profile);
      if (!profile.ok) return;
      await Promise.all(
        (profile.value.Roles ?? []).map(async (role) => {
          if (!role.Arn || roles.has(role.Arn)) return;
          roles.add(role.Arn);
          const [attached, simulated] = await Promise.all([
            listAttachedRolePolicies(reader, role.Arn),
            caller.attempt("iam:SimulatePrincipalPolicy", async () => {
              const results = (pages: IAM.SimulatePrincipalPolicyCommandOutput[]) => pages.flatMap((p) => p.EvaluationResults ?? []);
              // The actions the preferences name a resource for, simulated on it; their answer replaces that on "*".
              const [general, scoped] = await Promise.all([
                simulate(reader, role.Arn!, [...AGENT_ACTIONS], undefined, requestContext(scope.region)).then(results),
                (scope.scoped ?? Promise.resolve([])).then(async (list) =>
                  (
                    await Promise.all(list.map((s) => simulate(reader, role.Arn!, s.actions, [s.resource], requestContext(s.region))))
                  ).flatMap(results),
                ),
              ]);
              const replaced = new Set(scoped.map((e) => e.EvalActionName?.toLowerCase()));
              return [...general.filter((e) => !replaced.has(e.EvalActionName?.toLowerCase())), ...scoped];
            }),
          ]);
          reads.attachedPolicies.set(role.Arn, attached);
          reads.simulations.set(role.Arn, simulated);
        }),
      );
    }),
  );
  if (scope.principal) reads.operator = await simulateOperator(reader, scope.principal, scope);
  return reads;
}

function getInstanceProfile({ caller, iam, sdk }: IamReader, arn: string): Promise<Outcome<IAM.InstanceProfile>> {
  return caller.attempt("iam:GetInstanceProfile", async () => {
    const r = await caller.call("iam:GetInstanceProfile", () =>
      iam.send(new sdk.GetInstanceProfileCommand({ InstanceProfileName: nameOfArn(arn) })),
    );
    return r.InstanceProfile!;
  });
}

function listAttachedRolePolicies({ caller, iam, sdk }: IamReader, roleArn: string): Promise<Outcome<IAM.AttachedPolicy[]>> {
  return caller.attempt("iam:ListAttachedRolePolicies", async () =>
    (
      await caller.pages(
        "iam:ListAttachedRolePolicies",
        (Marker) =>
          iam.send(
            new sdk.ListAttachedRolePoliciesCommand({ RoleName: nameOfArn(roleArn), MaxItems: 1000, ...(Marker ? { Marker } : {}) }),
          ),
        (p) => (p.IsTruncated ? p.Marker : undefined),
      )
    ).flatMap((p) => p.AttachedPolicies ?? []),
  );
}

/** ssm:resourceTag/<key> or aws:ResourceTag/<key>: the tag of the resource the request names. */
const RESOURCE_TAG_KEY = /^(?:ssm|aws):resourcetag\/(.+)$/i;
const DOCUMENT_ACCESS_CHECK = "ssm:sessiondocumentaccesscheck";

/**
 * The request context the agent's calls are known to carry, so a Condition on these keys is evaluated, not reported
 * missing: they go over HTTPS, and to the region of the resource when it is known. The agent's actions on "*" are all
 * called in the instance's region (S3 and a KMS key named by ARN are simulated on their resource, with its region).
 */
function requestContext(region: string | undefined): IAM.ContextEntry[] {
  return [
    { ContextKeyName: "aws:SecureTransport", ContextKeyValues: ["true"], ContextKeyType: "boolean" },
    ...(region ? [{ ContextKeyName: "aws:RequestedRegion", ContextKeyValues: [region], ContextKeyType: "string" as const }] : []),
  ];
}

function simulate(
  { caller, iam, sdk }: IamReader,
  PolicySourceArn: string,
  ActionNames: string[],
  ResourceArns?: string[],
  ContextEntries?: IAM.ContextEntry[],
): Promise<IAM.SimulatePrincipalPolicyCommandOutput[]> {
  return caller.pages(
    "iam:SimulatePrincipalPolicy",
    (Marker) =>
      iam.send(
        new sdk.SimulatePrincipalPolicyCommand({
          PolicySourceArn,
          ActionNames,
          ...(ResourceArns ? { ResourceArns } : {}),
          ...(ContextEntries ? { ContextEntries } : {}),
          MaxItems: 1000,
          ...(Marker ? { Marker } : {}),
        }),
      ),
    (p) => (p.IsTruncated ? p.Marker : undefined),
  );
}

/** May the operator start a session on each instance with the session document? One simulation per 100 resources. */
async function simulateOperator(reader: IamReader, operator: string, scope: IamScope): Promise<OperatorReads> {
  const { caller } = reader;
  const { partition, region, account } = scope;
  const principal = principalArn(operator);
  const documentArn = `arn:${partition}:ssm:${region}:${account}:document/${SESSION_DOCUMENT_NAME}`;
  const instanceArns = new Map(
    scope.instances.map((i) => [i.InstanceId!, `arn:${partition}:ec2:${region}:${account}:instance/${i.InstanceId}`]),
  );
  const context = requestContext(region);
  const run = (resources: string[], extra: IAM.ContextEntry[] = []) =>
    Promise.all(
      chunks(resources, 100).map((chunk) =>
        caller.attempt("iam:SimulatePrincipalPolicy", async () =>
          (await simulate(reader, principal, ["ssm:StartSession"], chunk, [...context, ...extra])).flatMap(
            (p) => p.EvaluationResults ?? [],
          ),
        ),
      ),
    ).then(allOutcomes);
  const results = await run([documentArn, ...instanceArns.values()]);
  // Resources whose answer lacked keys this run knows, grouped by what they get, simulated again with it.
  const tagsByArn = new Map(scope.instances.map((i) => [instanceArns.get(i.InstanceId!)!, i.Tags ?? []]));
  const groups = new Map<string, { resources: string[]; entries: IAM.ContextEntry[]; check: boolean }>();
  const absent = new Map<string, ReadonlySet<string>>();
  for (const r of results.ok ? results.value.flatMap((e) => e.ResourceSpecificResults ?? []) : []) {
    const missing = r.MissingContextValues ?? [];
    if (missing.length === 0 || !r.EvalResourceName) continue;
    const known = knownContext(missing, tagsByArn.get(r.EvalResourceName));
    if (known.absent.size > 0) absent.set(r.EvalResourceName, known.absent);
    if (known.entries.length === 0) continue;
    const signature = JSON.stringify(known.entries);
    const group = groups.get(signature) ?? { resources: [], entries: known.entries, check: known.check };
    group.resources.push(r.EvalResourceName);
    groups.set(signature, group);
  }
  const retries = await Promise.all(
    [...groups.values()].map(async (g) => ({
      resources: g.resources,
      results: await run(g.resources, g.entries),
      documentAccessCheck: g.check,
    })),
  );
  return { principal, results, retries, absent, documentArn, instanceArns };
}

/**
 * The values of missing keys this run knows: an instance's tags (`tags` undefined: the resource's tags are not
 * known), and ssm:SessionDocumentAccessCheck, given as true so that an answer the same with and without it does not
 * depend on it. A tag the instance does not have is absent from a real request too.
 */
function knownContext(
  missing: readonly string[],
  tags: readonly EC2.Tag[] | undefined,
): { entries: IAM.ContextEntry[]; absent: Set<string>; check: boolean } {
  const entries: IAM.ContextEntry[] = [];
  const absent = new Set<string>();
  let check = false;
  for (const key of [...new Set(missing)].sort()) {
    if (key.toLowerCase() === DOCUMENT_ACCESS_CHECK) {
      check = true;
      entries.push({ ContextKeyName: key, ContextKeyValues: ["true"], ContextKeyType: "boolean" });
      continue;
    }
    const tag = RESOURCE_TAG_KEY.exec(key)?.[1];
    if (tag === undefined || tags === undefined) continue;
    const found = tags.filter((t) => t.Key?.toLowerCase() === tag.toLowerCase());
    if (found.length === 0) absent.add(key.toLowerCase());
    else if (found.length === 1) entries.push({ ContextKeyName: key, ContextKeyValues: [found[0]!.Value ?? ""], ContextKeyType: "string" });
  }
  return { entries, absent, check };
}
