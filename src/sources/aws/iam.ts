/**
 * IAM: the instance profiles of the instances, their roles (trust policy, attached policies, the agent's actions
 * as the simulation decided them), and with --principal what the operator may start a session on.
 */
import type * as IAM from "@aws-sdk/client-iam";
import {
  AGENT_ACTIONS,
  type InstanceProfile,
  known,
  type PolicyRef,
  type Role,
  type SimulatedDecision,
  unknown,
  type Value,
  type World,
} from "../../model/index.js";
import type { Outcome } from "./caller.js";
import type { AccountReads } from "./collect/index.js";
import { failed, type LiveScope } from "./values.js";

export function buildIam(world: World, reads: AccountReads, { origin }: LiveScope): void {
  for (const [arn, outcome] of reads.profiles) {
    const name = arn.slice(arn.lastIndexOf("/") + 1);
    const profile: InstanceProfile = {
      key: arn,
      name,
      origin: origin(name, arn),
      roles: outcome.ok ? known((outcome.value.Roles ?? []).map((r) => known(r.Arn!))) : failed(outcome.failure),
    };
    world.instanceProfiles.set(arn, profile);
    if (!outcome.ok) continue;
    for (const r of outcome.value.Roles ?? []) {
      if (!r.Arn || world.roles.has(r.Arn)) continue;
      world.roles.set(r.Arn, buildRole(r, reads));
    }
  }
}

function buildRole(r: IAM.Role, reads: AccountReads): Role {
  const arn = r.Arn!;
  let trust: Value<unknown>;
  try {
    trust = known(JSON.parse(decodeURIComponent(r.AssumeRolePolicyDocument ?? "")));
  } catch {
    trust = unknown("unsupported", `the trust policy of ${r.RoleName} is not valid JSON`);
  }
  const boundaryArn = r.PermissionsBoundary?.PermissionsBoundaryArn;
  return {
    key: arn,
    name: r.RoleName ?? arn,
    origin: { source: "live", id: r.RoleName ?? arn, arn },
    trustPolicy: trust,
    managedPolicies: managedPolicies(reads.attachedPolicies.get(arn)),
    inlinePolicies: [],
    permissionsBoundary: boundaryArn
      ? known({ kind: "external-arn", arn: boundaryArn })
      : unknown("outside", "not read; iam:SimulatePrincipalPolicy includes the boundary"),
    policiesComplete: false,
    simulated: agentActionDecisions(reads.simulations.get(arn)),
  };
}

function managedPolicies(attached: Outcome<IAM.AttachedPolicy[]> | undefined): Role["managedPolicies"] {
  if (!attached) return unknown("outside", "not read");
  if (!attached.ok) return failed(attached.failure);
  return known(
    attached.value.map((p) => {
      const ref: PolicyRef = /^arn:[^:]+:iam::aws:policy\//.test(p.PolicyArn ?? "")
        ? { kind: "aws-managed", arn: p.PolicyArn!, name: p.PolicyName ?? "" }
        : { kind: "external-arn", arn: p.PolicyArn ?? "" };
      return known(ref);
    }),
  );
}

/** The simulation's decision for each of the agent's actions, by lower-case action name. */
function agentActionDecisions(simulation: Outcome<IAM.EvaluationResult[]> | undefined): Map<string, Value<SimulatedDecision>> {
  const decisions = new Map<string, Value<SimulatedDecision>>();
  for (const action of AGENT_ACTIONS) {
    if (!simulation) decisions.set(action.toLowerCase(), unknown("outside", "not simulated"));
    else if (!simulation.ok) decisions.set(action.toLowerCase(), failed(simulation.failure));
  }
  if (simulation?.ok)
    for (const e of simulation.value)
      if (e.EvalActionName) {
        const missing = missingContext(e);
        decisions.set(
          e.EvalActionName.toLowerCase(),
          missing.length > 0
            ? unverified(missing, e.EvalDecision, "the role's policies", AGENT_DECIDE)
            : known(simulated(e.EvalDecision, e.MatchedStatements, e.PermissionsBoundaryDecisionDetail)),
        );
      }
  return decisions;
}

const AGENT_DECIDE =
  "compare the Condition with what the agent's requests carry on their path (aws:SourceVpce and aws:SourceVpc through an endpoint, aws:SourceIp the NAT's public address through a NAT gateway)";

/**
 * The condition keys a policy reads that the simulation had no value for. IAM then evaluates the condition as if the
 * request lacked the key, which a real request may not: a Deny on aws:SourceVpce matches no simulated request, so
 * "allowed" is not verified, nor is a refusal an Allow under such a Condition gave. With resources, AWS lists the keys
 * under each resource's result.
 */
function missingContext(e: IAM.EvaluationResult): string[] {
  const keys = [...(e.MissingContextValues ?? []), ...(e.ResourceSpecificResults ?? []).flatMap((r) => r.MissingContextValues ?? [])];
  return [...new Set(keys)].sort();
}

function simulated(
  decision: string | undefined,
  statements: IAM.Statement[] | undefined,
  boundary: IAM.PermissionsBoundaryDecisionDetail | undefined,
): SimulatedDecision {
  const d: SimulatedDecision["decision"] =
    decision === "allowed" ? "allowed" : decision === "explicitDeny" ? "explicitDeny" : "implicitDeny";
  const matched = [...new Set((statements ?? []).map((s) => s.SourcePolicyId ?? "").filter(Boolean))];
  return {
    decision: d,
    ...(matched.length > 0 ? { matchedPolicies: matched } : {}),
    ...(boundary?.AllowedByPermissionsBoundary === false ? { allowedByBoundary: false } : {}),
  };
}

/** With --principal: may the operator start a session on each instance, and use the session document? */
export function operatorOf(reads: AccountReads, { origin }: LiveScope): World["operator"] {
  const simulation = reads.operator;
  if (!simulation) return undefined;
  const decisionFor = (arn: string): Value<SimulatedDecision> => {
    const first = answerFor(simulation.results, arn);
    if (!first.ok) return failed(first.failure);
    if (!first.value) return unknown("outside", `the simulation returned no answer for ${arn}`);
    const absent = simulation.absent.get(arn) ?? new Set<string>();
    const open = (a: Answer) => a.missing.filter((k) => !absent.has(k.toLowerCase()));
    if (open(first.value).length === 0) return known(simulated(first.value.decision, first.value.statements, first.value.boundary));
    const retry = simulation.retries.find((r) => r.resources.includes(arn));
    const second = retry ? answerFor(retry.results, arn) : undefined;
    if (second && !second.ok) return failed(second.failure);
    const answer = second?.value ?? first.value;
    if (retry?.documentAccessCheck && second?.value && second.value.decision !== first.value.decision)
      return unknown(
        "condition",
        `the answer for ${arn} depends on ssm:SessionDocumentAccessCheck: ${first.value.decision} without it, ${second.value.decision} with it true`,
        "allow ssm:StartSession on the session document whether or not the request carries that key",
      );
    const missing = open(answer);
    if (missing.length === 0) return known(simulated(answer.decision, answer.statements, answer.boundary));
    return unverified(missing, answer.decision, `${simulation.principal}'s policies`, OPERATOR_DECIDE);
  };
  return {
    principal: simulation.principal,
    origin: origin(simulation.principal, simulation.principal),
    instances: new Map([...simulation.instanceArns].map(([id, arn]) => [id, decisionFor(arn)])),
    document: decisionFor(simulation.documentArn),
    documentArn: simulation.documentArn,
  };
}

const OPERATOR_DECIDE = "compare the Condition with what the operator's requests carry (their source address, MFA, the principal's tags)";

interface Answer {
  decision: string | undefined;
  statements: IAM.Statement[] | undefined;
  boundary: IAM.PermissionsBoundaryDecisionDetail | undefined;
  missing: string[];
}

/** The simulation's answer for one resource: its own result among the resource-specific ones, else the action's. */
function answerFor(results: Outcome<IAM.EvaluationResult[]>, arn: string): Outcome<Answer | undefined> {
  if (!results.ok) return results;
  const answer = (
    decision: string | undefined,
    statements: IAM.Statement[] | undefined,
    boundary: IAM.PermissionsBoundaryDecisionDetail | undefined,
    missing: string[] | undefined,
  ): Outcome<Answer> => ({ ok: true, value: { decision, statements, boundary, missing: missing ?? [] } });
  for (const r of results.value) {
    for (const rs of r.ResourceSpecificResults ?? [])
      if (rs.EvalResourceName === arn)
        return answer(rs.EvalResourceDecision, rs.MatchedStatements, rs.PermissionsBoundaryDecisionDetail, rs.MissingContextValues);
    if (r.EvalResourceName === arn)
      return answer(r.EvalDecision, r.MatchedStatements, r.PermissionsBoundaryDecisionDetail, r.MissingContextValues);
  }
  return { ok: true, value: undefined };
}

/** An answer the simulation gave without keys a Condition reads: not verified, naming the keys and what decides them. */
function unverified(keys: readonly string[], decision: string | undefined, whose: string, decide: string): Value<SimulatedDecision> {
  return unknown(
    "condition",
    `iam:SimulatePrincipalPolicy had no value for ${[...new Set(keys)].sort().join(", ")}, which a Condition in ${whose} reads, so its answer (${decision ?? "none"}) is not verified`,
    decide,
  );
}
