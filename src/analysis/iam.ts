/**
 * A small IAM policy evaluator for the agent's permissions (DESIGN section 2, prerequisite 5): identity-based
 * policies of one account, a permissions boundary, explicit denies, Action/NotAction and Resource/NotResource with
 * wildcards. A Condition makes a statement's contribution unknown (never a silent pass); so does any unresolved part.
 * Pure: no I/O. AWS managed policies come from src/data/managed-policies.json (vendored by scripts/vendor-managed-policies.mjs).
 */
import data from "../data/managed-policies.json" with { type: "json" };
import type { Origin, PolicyRef, Role, UnknownReason, Value, World } from "../model/index.js";
import { isUnresolvedPart, known, REQUIRED_ACTIONS, unknown } from "../model/index.js";
import { type Check, dedupeReasons, type Evidence, fail, pass, undecided, type YesMaybeNo } from "./verdict.js";

// ---------------------------------------------------------------- vendored AWS managed policies

interface VendoredPolicy {
  arn: string;
  versionId: string;
  document: unknown;
}

interface VendoredData {
  source: string;
  generated: string;
  policies: Record<string, VendoredPolicy>;
}

const vendored = data as unknown as VendoredData;

/** Where the vendored AWS managed policies come from and the date of that data (printed by --version). */
export function managedPolicyData(): { source: string; generated: string } {
  return { source: vendored.source, generated: vendored.generated };
}

/** The policy name from a name or an ARN ("arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforSSM" → "AmazonEC2RoleforSSM"). */
export function managedPolicyName(nameOrArn: string): string {
  const s = nameOrArn.trim();
  const slash = s.lastIndexOf("/");
  return slash >= 0 ? s.slice(slash + 1) : s;
}

/** True for an ARN of an AWS managed policy (account "aws"), in any partition (or an unresolved `${AWS::Partition}`). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:[^:]*:iam::aws:policy\//.test(arn.trim());
}

function findVendored(nameOrArn: string): [string, VendoredPolicy] | undefined {
  const name = managedPolicyName(nameOrArn);
  const exact = vendored.policies[name];
  if (exact) return [name, exact];
  return vendoredByLowerName().get(name.toLowerCase());
}

let byLowerName: Map<string, [string, VendoredPolicy]> | undefined;

/** The vendored policies by their names in lower case (the first of names equal but for case), made on first use. */
function vendoredByLowerName(): Map<string, [string, VendoredPolicy]> {
  if (!byLowerName) {
    byLowerName = new Map();
    for (const [n, p] of Object.entries(vendored.policies)) {
      const lower = n.toLowerCase();
      if (!byLowerName.has(lower)) byLowerName.set(lower, [n, p]);
    }
  }
  return byLowerName;
}

/** The document of a vendored AWS managed policy by name or ARN; undefined when it is not in the vendored set. */
export function lookupAwsManagedPolicy(nameOrArn: string): unknown | undefined {
  return findVendored(nameOrArn)?.[1].document;
}

// ---------------------------------------------------------------- the agent's actions

/** What the agent needs for Session Manager (DESIGN section 2, prerequisite 5). */
export const SESSION_MANAGER_AGENT_ACTIONS: readonly string[] = [...REQUIRED_ACTIONS.ssm, ...REQUIRED_ACTIONS.ssmmessages];

/** Needed in addition by agents older than 3.3.40.0. */
export const EC2MESSAGES_AGENT_ACTIONS: readonly string[] = REQUIRED_ACTIONS.ec2messages;

// ---------------------------------------------------------------- wildcard matching

/**
 * IAM-style glob: `*` matches any run of characters (also none), `?` exactly one. Everything else is literal.
 * Case-insensitive unless told otherwise (actions are case-insensitive; ARNs mostly are not).
 */
export function wildcardMatch(pattern: string, text: string, caseInsensitive = true): boolean {
  const p = caseInsensitive ? pattern.toLowerCase() : pattern;
  const t = caseInsensitive ? text.toLowerCase() : text;
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    if (pi < p.length && (p[pi] === "?" || (p[pi] !== "*" && p[pi] === t[ti]))) {
      pi++;
      ti++;
    } else if (pi < p.length && p[pi] === "*") {
      star = pi++;
      mark = ti;
    } else if (star !== -1) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === "*") pi++;
  return pi === p.length;
}

/** Whether an Action pattern ("ssm:*", "ssmmessages:Create*", "ssm*:*", "*") matches an action. */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern.trim(), action.trim(), true);
}

// ---------------------------------------------------------------- evaluation

export type Decision = "allowed" | "implicit-deny" | "explicit-deny" | "unknown";

export interface PolicySource {
  name: string;
  document: Value<unknown>;
  origin?: Origin;
  kind: "identity" | "boundary";
  /** A resource policy (a VPC endpoint's): a statement applies to the principals its Principal names. */
  byPrincipal?: true;
}

export interface ActionResult {
  action: string;
  decision: Decision;
  evidence: Evidence[];
  unknowns: UnknownReason[];
}

const rank: Record<YesMaybeNo, number> = { no: 0, maybe: 1, yes: 2 };
const and = (a: YesMaybeNo, b: YesMaybeNo): YesMaybeNo => (rank[a] <= rank[b] ? a : b);
const not = (a: YesMaybeNo): YesMaybeNo => (a === "yes" ? "no" : a === "no" ? "yes" : "maybe");

type Parsed = { ok: true; statements: unknown[] } | { ok: false; reason: UnknownReason };

/** The statements of a policy document (parsing JSON strings); or why they are not known. */
function parseDocument(name: string, doc: Value<unknown>): Parsed {
  if (doc.kind === "unknown") return { ok: false, reason: doc.reason };
  let value = doc.value;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return { ok: false, reason: { code: "unsupported", message: `policy ${name} is not valid JSON` } };
    }
  }
  if (isUnresolvedPart(value)) return { ok: false, reason: value.$unresolved };
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { ok: false, reason: { code: "unsupported", message: `policy ${name} is not a policy document` } };
  }
  const statement = (value as Record<string, unknown>).Statement;
  if (statement === undefined || statement === null) return { ok: true, statements: [] };
  if (isUnresolvedPart(statement)) return { ok: false, reason: statement.$unresolved };
  return { ok: true, statements: Array.isArray(statement) ? statement : [statement] };
}

interface StatementEvaluation {
  effect: "allow" | "deny" | "unknown";
  applies: YesMaybeNo;
  reasons: UnknownReason[];
  label: string | number;
  conditional: boolean;
  /** The statement names the action, but its Resource (these patterns) does not cover the resource asked about. */
  otherResources?: readonly string[];
}

function statementLabel(st: unknown, index: number): string | number {
  if (typeof st === "object" && st !== null && !isUnresolvedPart(st)) {
    const sid = (st as Record<string, unknown>).Sid;
    if (typeof sid === "string" && sid !== "") return sid;
  }
  return index;
}

function describeStatement(policy: string, label: string | number): string {
  return typeof label === "number" ? `statement ${label} of ${policy}` : `statement "${label}" of ${policy}`;
}

/** Any-of over a string-or-array element; unresolved parts make it "maybe". null when the element is absent. */
function matchAny(
  element: unknown,
  test: (pattern: string) => YesMaybeNo,
  what: string,
  where: string,
  reasons: UnknownReason[],
): YesMaybeNo | null {
  if (element === undefined) return null;
  if (isUnresolvedPart(element)) {
    reasons.push({ ...element.$unresolved, message: `${what} of ${where}: ${element.$unresolved.message}` });
    return "maybe";
  }
  const items = Array.isArray(element) ? element : [element];
  let result: YesMaybeNo = "no";
  for (const item of items) {
    if (typeof item === "string") {
      const r = test(item);
      if (rank[r] > rank[result]) result = r;
    } else if (isUnresolvedPart(item)) {
      reasons.push({ ...item.$unresolved, message: `${what} of ${where}: ${item.$unresolved.message}` });
      if (result === "no") result = "maybe";
    }
    if (result === "yes") return "yes";
  }
  return result;
}

/** Services whose resources the agent's calls of `service` may name. */
function relatedService(resourceService: string, actionService: string): boolean {
  const r = resourceService.toLowerCase();
  const a = actionService.toLowerCase();
  if (r === a) return true;
  const family = ["ssm", "ssmmessages", "ec2messages", "ec2"];
  return family.includes(a) && family.includes(r);
}

/** Whether a pattern matches every one of some sample values (yes), none (no), or some (maybe). */
function matchesSamples(pattern: string, samples: readonly string[]): YesMaybeNo {
  const hits = samples.filter((v) => wildcardMatch(pattern, v, false)).length;
  return hits === samples.length ? "yes" : hits === 0 ? "no" : "maybe";
}

/**
 * Does a Resource pattern cover what the agent's ssm:UpdateInstanceInformation names: the EC2 instance,
 * arn:PARTITION:ec2:REGION:ACCOUNT:instance/ID? A pattern written for every instance covers it; one for another
 * service or resource type does not (an SSM document or parameter); a literal region, account or instance id
 * depends on where the instance runs.
 */
function instanceArnCovered(pattern: string): YesMaybeNo {
  const parts = pattern.split(":");
  if (parts[0]?.toLowerCase() !== "arn" || parts.length < 6) return "no";
  const [, partition = "", service = "", region = "", account = ""] = parts;
  const resource = parts.slice(5).join(":");
  if (!wildcardMatch(service, "ec2") || !/^aws/.test(partition.replace(/[*?]/g, "aws"))) return "no";
  let instance = matchesSamples(resource, ["instance/i-0123456789abcdef0", "instance/i-0fedcba9876543210"]);
  // An instance's own id (instance/i-0abc…) may be this instance's: which one it is is known only after launch.
  const slash = resource.indexOf("/");
  if (instance === "no" && slash >= 0 && wildcardMatch(resource.slice(0, slash), "instance")) instance = "maybe";
  if (instance === "no") return "no";
  const where = [matchesSamples(region, ["us-east-1", "eu-west-3"]), matchesSamples(account, ["123456789012", "210987654321"]), instance];
  return where.every((w) => w === "yes") ? "yes" : "maybe";
}

/** The agent's actions that have no resource-level permissions: a statement grants them only with Resource "*". */
const UNSCOPED_AGENT_SERVICES = new Set(["ssmmessages", "ec2messages"]);

/**
 * Does a Resource pattern cover the resource? For the resource "*" (the agent's calls are not resource-scoped
 * in practice) a pattern "*" applies, a wildcard pattern applies unless it is clearly scoped to another
 * service's resources, and a literal ARN (one specific resource) does not. The agent's own actions are
 * judged by what they name: ssmmessages and ec2messages actions take "*" only (the Service Authorization
 * Reference lists no resource type for them), ssm:UpdateInstanceInformation the instance's ARN.
 */
function resourceCovers(pattern: string, resource: string, action: string): YesMaybeNo {
  const p = pattern.trim();
  if (resource !== "*") return wildcardMatch(p, resource, false) ? "yes" : "no";
  if (p === "*") return "yes";
  const [actionService = "", actionName = ""] = action.toLowerCase().split(":");
  if (UNSCOPED_AGENT_SERVICES.has(actionService)) return "no";
  if (actionService === "ssm" && actionName === "updateinstanceinformation") return instanceArnCovered(p);
  if (!/[*?]/.test(p)) return "no";
  const parts = p.split(":");
  if (parts[0]?.toLowerCase() === "arn" && parts.length >= 3) {
    const svc = parts[2] ?? "";
    if (svc === "" || /[*?]/.test(svc)) return "yes";
    const actionService = action.split(":")[0] ?? "";
    return relatedService(svc, actionService) ? "yes" : "no";
  }
  return "yes";
}

/**
 * Whether a resource policy's statement names the instance's role session among its principals: "*" (or AWS "*")
 * names every principal; AWS accounts, roles or users may name it or not (which role the instance has, and in which
 * account, is not matched here); only services, federated or canonical users name none of the agent's calls.
 */
function principalApplies(s: Record<string, unknown>, where: string, reasons: UnknownReason[]): YesMaybeNo {
  if (s.NotPrincipal !== undefined) {
    reasons.push({ code: "unsupported", message: `${where} uses NotPrincipal, which ssm-doctor does not evaluate` });
    return "maybe";
  }
  const principal = s.Principal;
  // An endpoint policy must name its principals: without, it is refused at creation; the statement is read as for all.
  if (principal === undefined || principal === "*") return "yes";
  if (isUnresolvedPart(principal)) {
    reasons.push({ ...principal.$unresolved, message: `Principal of ${where}: ${principal.$unresolved.message}` });
    return "maybe";
  }
  if (typeof principal !== "object" || principal === null || Array.isArray(principal)) return "no";
  const aws = (principal as Record<string, unknown>).AWS;
  if (aws === undefined) return "no";
  const entries = Array.isArray(aws) ? aws : [aws];
  if (entries.some((e) => e === "*")) return "yes";
  reasons.push({
    code: "outside",
    message: `${where} applies only to some principals, which may not include the instance's role`,
    decide: "check that the Principal names the instance's role (or its account)",
  });
  return "maybe";
}

function evaluateStatement(
  policy: string,
  st: unknown,
  index: number,
  action: string,
  resource: string,
  byPrincipal = false,
): StatementEvaluation {
  const label = statementLabel(st, index);
  const where = describeStatement(policy, label);
  const reasons: UnknownReason[] = [];
  if (isUnresolvedPart(st)) {
    return {
      effect: "unknown",
      applies: "maybe",
      reasons: [{ ...st.$unresolved, message: `${where}: ${st.$unresolved.message}` }],
      label,
      conditional: false,
    };
  }
  if (typeof st !== "object" || st === null || Array.isArray(st))
    return { effect: "allow", applies: "no", reasons, label, conditional: false };
  const s = st as Record<string, unknown>;

  let effect: StatementEvaluation["effect"];
  if (isUnresolvedPart(s.Effect)) {
    effect = "unknown";
    reasons.push({ ...s.Effect.$unresolved, message: `Effect of ${where}: ${s.Effect.$unresolved.message}` });
  } else if (typeof s.Effect === "string" && s.Effect.toLowerCase() === "allow") effect = "allow";
  else if (typeof s.Effect === "string" && s.Effect.toLowerCase() === "deny") effect = "deny";
  else return { effect: "allow", applies: "no", reasons: [], label, conditional: false }; // invalid statement: IAM rejects it

  const actionTest = (p: string): YesMaybeNo => (actionMatches(p, action) ? "yes" : "no");
  let actionApplies: YesMaybeNo;
  const a = matchAny(s.Action, actionTest, "Action", where, reasons);
  if (a !== null) actionApplies = a;
  else {
    const na = matchAny(s.NotAction, actionTest, "NotAction", where, reasons);
    if (na === null) return { effect, applies: "no", reasons: [], label, conditional: false };
    actionApplies = not(na);
  }
  if (actionApplies === "no") return { effect, applies: "no", reasons: [], label, conditional: false };

  let resourceApplies: YesMaybeNo = "yes";
  const r = matchAny(s.Resource, (p) => resourceCovers(p, resource, action), "Resource", where, reasons);
  if (r !== null) resourceApplies = r;
  else {
    const nr = matchAny(
      s.NotResource,
      (p) => {
        if (resource !== "*") return wildcardMatch(p.trim(), resource, false) ? "yes" : "no";
        if (p.trim() === "*") return "yes";
        // "everything except these": the agent's resource may be among them when the pattern covers it
        return resourceCovers(p, resource, action) === "yes" ? "maybe" : "no";
      },
      "NotResource",
      where,
      reasons,
    );
    if (nr !== null) {
      if (nr === "maybe") reasons.push({ code: "unsupported", message: `NotResource of ${where} may exclude the agent's resources` });
      resourceApplies = not(nr);
    }
  }
  // The action is named (it returned above otherwise): a statement that does not apply names other resources.
  if (resourceApplies === "no") {
    const patterns = typeof s.Resource === "string" ? [s.Resource] : Array.isArray(s.Resource) ? s.Resource : [];
    const otherResources = patterns.filter((p): p is string => typeof p === "string");
    return { effect, applies: "no", reasons: [], label, conditional: false, ...(otherResources.length > 0 ? { otherResources } : {}) };
  }
  let applies = and(actionApplies, resourceApplies);
  if (byPrincipal) applies = and(applies, principalApplies(s, where, reasons));
  if (applies === "no") return { effect, applies, reasons: [], label, conditional: false };

  const condition = s.Condition;
  const hasCondition =
    condition !== undefined &&
    condition !== null &&
    (isUnresolvedPart(condition) || typeof condition !== "object" || Object.keys(condition as object).length > 0);
  if (hasCondition) {
    applies = "maybe";
    reasons.push({
      code: "condition",
      message: `${where} ${effect === "deny" ? "denies" : "allows"} ${action} only under a Condition`,
      decide: "check the condition against the instance, or evaluate live with iam:SimulatePrincipalPolicy",
    });
  }
  return { effect, applies, reasons, label, conditional: hasCondition };
}

interface MatchedStatement {
  policy: string;
  statement: string | number;
  origin?: Origin;
}

interface PolicyOutcome {
  allow: YesMaybeNo;
  allowHit?: MatchedStatement;
  /** The first Allow statement that names the action only for other resources. */
  allowedElsewhere?: MatchedStatement & { resources: readonly string[] };
  allowReasons: UnknownReason[];
  deny: YesMaybeNo;
  denyHit?: MatchedStatement;
  denyReasons: UnknownReason[];
}

/**
 * Outcomes already found, by the policy's document (the same AWS managed policy, or the same policy text,
 * attached to every role of a fleet) and everything else the outcome depends on. Pure, so shared; bounded.
 */
const outcomes = new Map<unknown, Map<string, PolicyOutcome>>();

function evaluatePolicy(source: PolicySource, action: string, resource: string): PolicyOutcome {
  const doc = source.document;
  if (doc.kind === "unknown" || (typeof doc.value !== "string" && (typeof doc.value !== "object" || doc.value === null)))
    return decidePolicy(source, action, resource);
  let byQuestion = outcomes.get(doc.value);
  if (!byQuestion) {
    if (outcomes.size >= 10_000) outcomes.clear();
    byQuestion = new Map();
    outcomes.set(doc.value, byQuestion);
  }
  const key = JSON.stringify([source.name, source.kind, source.byPrincipal === true, action, resource, source.origin ?? null]);
  let outcome = byQuestion.get(key);
  if (!outcome) {
    outcome = decidePolicy(source, action, resource);
    byQuestion.set(key, outcome);
  }
  return outcome;
}

function decidePolicy(source: PolicySource, action: string, resource: string): PolicyOutcome {
  const out: PolicyOutcome = { allow: "no", allowReasons: [], deny: "no", denyReasons: [] };
  const parsed = parseDocument(source.name, source.document);
  if (!parsed.ok) {
    const reason: UnknownReason = { ...parsed.reason, message: `policy ${source.name}: ${parsed.reason.message}` };
    return { allow: "maybe", allowReasons: [reason], deny: "maybe", denyReasons: [reason] };
  }
  parsed.statements.forEach((st, i) => {
    const e = evaluateStatement(source.name, st, i, action, resource, source.byPrincipal === true);
    const hit: MatchedStatement = source.origin
      ? { policy: source.name, statement: e.label, origin: source.origin }
      : { policy: source.name, statement: e.label };
    if (e.applies === "no") {
      if (e.effect === "allow" && e.otherResources && !out.allowedElsewhere) out.allowedElsewhere = { ...hit, resources: e.otherResources };
      return;
    }
    if (e.effect === "allow" || e.effect === "unknown") {
      if (e.applies === "yes" && e.effect === "allow") {
        if (out.allow !== "yes") out.allowHit = hit;
        out.allow = "yes";
      } else {
        if (out.allow === "no") out.allow = "maybe";
        out.allowReasons.push(...e.reasons);
      }
    }
    if (e.effect === "deny" || e.effect === "unknown") {
      if (e.applies === "yes" && e.effect === "deny") {
        if (out.deny !== "yes") out.denyHit = hit;
        out.deny = "yes";
      } else {
        if (out.deny === "no") out.deny = "maybe";
        out.denyReasons.push(...e.reasons);
      }
    }
  });
  return out;
}

function hitEvidence(code: "iam-allowed-by" | "iam-denied-by", action: string, hit: MatchedStatement): Evidence {
  const ev: Evidence = { code, args: { action, policy: hit.policy, statement: hit.statement } };
  if (hit.origin) ev.origin = hit.origin;
  return ev;
}

/**
 * Evaluate each action on `resource` (default "*": the agent's calls are not resource-scoped in practice).
 * Explicit Deny (in any policy, the boundary included) wins; else an Allow from an identity policy, and from the
 * boundary when there is one, gives "allowed"; else "implicit-deny". "unknown" when the answer hinges on an unknown.
 */
export function evaluateActions(policies: PolicySource[], actions: string[], resource = "*"): ActionResult[] {
  const identity = policies.filter((p) => p.kind === "identity");
  const boundaries = policies.filter((p) => p.kind === "boundary");
  return actions.map((action) => {
    let allow: YesMaybeNo = "no";
    let allowHit: MatchedStatement | undefined;
    let allowedElsewhere: PolicyOutcome["allowedElsewhere"];
    const allowReasons: UnknownReason[] = [];
    const denied: { answer: YesMaybeNo; hit?: MatchedStatement; reasons: UnknownReason[] } = { answer: "no", reasons: [] };

    const takeDeny = (o: PolicyOutcome) => {
      if (o.deny === "yes" && denied.answer !== "yes") {
        denied.answer = "yes";
        denied.hit = o.denyHit;
      } else if (o.deny === "maybe" && denied.answer === "no") denied.answer = "maybe";
      denied.reasons.push(...o.denyReasons);
    };

    for (const p of identity) {
      const o = evaluatePolicy(p, action, resource);
      takeDeny(o);
      allowedElsewhere ??= o.allowedElsewhere;
      if (o.allow === "yes" && allow !== "yes") {
        allow = "yes";
        allowHit = o.allowHit;
      } else if (o.allow === "maybe" && allow === "no") allow = "maybe";
      allowReasons.push(...o.allowReasons);
    }

    // The boundary must allow too (every boundary, when a caller passes more than one).
    let boundary: YesMaybeNo = "yes";
    const boundaryReasons: UnknownReason[] = [];
    const blockingBoundaries: string[] = [];
    for (const b of boundaries) {
      const o = evaluatePolicy(b, action, resource);
      takeDeny(o);
      if (o.allow === "no") {
        boundary = "no";
        blockingBoundaries.push(b.name);
      } else if (o.allow === "maybe") {
        if (boundary === "yes") boundary = "maybe";
        boundaryReasons.push(...o.allowReasons);
      }
    }

    const evaluated = identity.map((p) => p.name);
    const deny = denied.answer;
    if (deny === "yes" && denied.hit) {
      return { action, decision: "explicit-deny", evidence: [hitEvidence("iam-denied-by", action, denied.hit)], unknowns: [] };
    }
    if (allow === "no") {
      // A statement that names the action for other resources only is the likelier mistake: say which.
      const evidence: Evidence[] = [];
      if (allowedElsewhere) {
        const { policy, statement, resources, origin } = allowedElsewhere;
        evidence.push({ code: "iam-allowed-elsewhere", args: { action, policy, statement, resources }, ...(origin ? { origin } : {}) });
      } else evidence.push({ code: "iam-not-allowed", args: { action, policies: evaluated } });
      return { action, decision: "implicit-deny", evidence, unknowns: [] };
    }
    if (boundary === "no") {
      const evidence: Evidence[] = [];
      if (allowHit) evidence.push(hitEvidence("iam-allowed-by", action, allowHit));
      const ev: Evidence = { code: "iam-boundary-blocks", args: { action, boundary: blockingBoundaries.join(", ") } };
      const origin = boundaries.find((b) => b.name === blockingBoundaries[0])?.origin;
      if (origin) ev.origin = origin;
      evidence.push(ev);
      return { action, decision: "implicit-deny", evidence, unknowns: [] };
    }
    if (allow === "yes" && boundary === "yes" && deny === "no" && allowHit) {
      return { action, decision: "allowed", evidence: [hitEvidence("iam-allowed-by", action, allowHit)], unknowns: [] };
    }
    const unknowns = dedupeReasons([
      ...(allow === "yes" ? [] : allowReasons),
      ...(boundary === "maybe" ? boundaryReasons : []),
      ...(deny === "maybe" ? denied.reasons : []),
    ]);
    const evidence: Evidence[] = allowHit ? [hitEvidence("iam-allowed-by", action, allowHit)] : [];
    return { action, decision: "unknown", evidence, unknowns };
  });
}

// ---------------------------------------------------------------- trust policy

/**
 * Whether a role's trust policy lets `service` ("ec2.amazonaws.com") assume it: an Allow of sts:AssumeRole
 * (or a wildcard covering it) to a Service principal naming the service. "*" principals pass with evidence
 * "trust-any-principal"; a Condition still passes (usually aws:SourceAccount) with evidence "trust-condition".
 */
export function trustsService(trustPolicy: Value<unknown>, service: string): Check {
  const parsed = parseDocument("trust policy", trustPolicy);
  if (!parsed.ok) return undecided([parsed.reason]);
  const wanted = service.trim().toLowerCase();
  const principals: string[] = [];
  const maybe: UnknownReason[] = [];
  type Candidate = { label: string | number; any: boolean; condition: boolean };
  const candidates: Candidate[] = [];
  let denied: string | number | undefined;
  let denyMaybe = false;

  parsed.statements.forEach((st, i) => {
    const label = statementLabel(st, i);
    const where = describeStatement("the trust policy", label);
    if (isUnresolvedPart(st)) {
      maybe.push({ ...st.$unresolved, message: `${where}: ${st.$unresolved.message}` });
      return;
    }
    if (typeof st !== "object" || st === null || Array.isArray(st)) return;
    const s = st as Record<string, unknown>;
    const reasons: UnknownReason[] = [];
    let effect: "allow" | "deny" | "unknown";
    if (isUnresolvedPart(s.Effect)) {
      effect = "unknown";
      reasons.push(s.Effect.$unresolved);
    } else if (typeof s.Effect === "string" && s.Effect.toLowerCase() === "allow") effect = "allow";
    else if (typeof s.Effect === "string" && s.Effect.toLowerCase() === "deny") effect = "deny";
    else return;

    const test = (p: string): YesMaybeNo => (actionMatches(p, "sts:AssumeRole") ? "yes" : "no");
    let actionApplies = matchAny(s.Action, test, "Action", where, reasons);
    if (actionApplies === null) {
      const na = matchAny(s.NotAction, test, "NotAction", where, reasons);
      actionApplies = na === null ? "no" : not(na);
    }
    if (actionApplies === "no") return;

    // Principal
    let principal: YesMaybeNo = "no";
    let any = false;
    const p = s.Principal;
    if (p === "*") {
      principal = "yes";
      any = true;
    } else if (isUnresolvedPart(p)) {
      principal = "maybe";
      reasons.push(p.$unresolved);
    } else if (typeof p === "object" && p !== null && !Array.isArray(p)) {
      for (const [kind, v] of Object.entries(p as Record<string, unknown>)) {
        const values = isUnresolvedPart(v) ? [v] : Array.isArray(v) ? v : [v];
        for (const item of values) {
          if (isUnresolvedPart(item)) {
            // Only a Service principal could be the EC2 service; an unresolved account, federated or
            // canonical-user principal never is (except an unresolved "AWS" that could be "*").
            if (kind !== "Service" && !(kind === "AWS" && effect === "deny")) {
              if (effect !== "deny") principals.push(`${kind}:(${item.$unresolved.message})`);
              continue;
            }
            if (principal === "no") principal = "maybe";
            reasons.push(item.$unresolved);
          } else if (typeof item === "string") {
            if (effect !== "deny") principals.push(kind === "Service" ? item : `${kind}:${item}`);
            if (kind === "AWS" && item === "*") {
              principal = "yes";
              any = true;
            } else if (kind === "Service" && item.trim().toLowerCase() === wanted) principal = "yes";
          }
        }
      }
    }
    if (principal === "no") return;

    const condition =
      s.Condition !== undefined && s.Condition !== null && (typeof s.Condition !== "object" || Object.keys(s.Condition).length > 0);
    const sure = actionApplies === "yes" && principal === "yes" && effect !== "unknown";
    if (effect === "deny" || effect === "unknown") {
      if (sure && !condition && effect === "deny") denied ??= label;
      else {
        denyMaybe = true;
        maybe.push(...reasons, { code: "condition", message: `${where} may deny ${service}` });
      }
    }
    if (effect === "allow" || effect === "unknown") {
      if (sure && effect === "allow") candidates.push({ label, any, condition });
      else maybe.push(...(reasons.length > 0 ? reasons : [{ code: "unresolved" as const, message: `${where} may not name ${service}` }]));
    }
  });

  if (denied !== undefined) return fail([{ code: "trust-denied", args: { service, statement: denied } }]);
  const missing: Evidence = {
    code: "trust-missing-service",
    args: { service, principals },
  };
  if (candidates.length === 0) return maybe.length > 0 ? undecided(dedupeReasons(maybe), [missing]) : fail([missing]);
  const best = candidates.find((c) => !c.any && !c.condition) ?? candidates.find((c) => !c.any) ?? candidates[0]!;
  const evidence: Evidence[] = [];
  if (best.any) evidence.push({ code: "trust-any-principal", args: { service, statement: best.label } });
  if (best.condition) evidence.push({ code: "trust-condition", args: { service, statement: best.label } });
  if (denyMaybe) return undecided(dedupeReasons(maybe), evidence);
  return pass(evidence);
}

// ---------------------------------------------------------------- a role's policies

function sourceOfRef(world: World, ref: PolicyRef, kind: PolicySource["kind"], role: Role): PolicySource {
  if (ref.kind === "element") {
    const mp = world.managedPolicies.get(ref.ref);
    if (mp) return { name: mp.name, document: mp.document, origin: mp.origin, kind };
    return { name: ref.ref, document: unknown("outside", `policy ${ref.ref} is not in the input`), kind };
  }
  const arn = ref.arn;
  const name = ref.kind === "aws-managed" ? ref.name || managedPolicyName(arn) : managedPolicyName(arn);
  if (ref.kind === "aws-managed" || isAwsManagedPolicyArn(arn)) {
    const found = findVendored(ref.kind === "aws-managed" && ref.name ? ref.name : arn);
    if (found) return { name: found[0], document: known(found[1].document), kind };
    return {
      name,
      document: unknown(
        "outside",
        `AWS managed policy ${name} is not in the vendored set`,
        "check the policy in the IAM console, or run ssm-doctor check against the account",
      ),
      kind,
    };
  }
  return {
    name,
    document: unknown(
      "outside",
      kind === "boundary"
        ? `the permissions boundary of ${role.name}, policy ${arn}, is outside the input`
        : `policy ${arn} attached to ${role.name} is outside the input`,
      "run ssm-doctor check against the account",
    ),
    kind,
  };
}

/**
 * A role's effective policy sources from the model: inline policies, attached managed policies (AWS managed ones
 * from the vendored data; customer managed ones from the input; others unknown), and the permissions boundary.
 * A role whose attachments are not all in the input gets one unknown source standing for the rest.
 */
export function policySourcesOfRole(world: World, role: Role): PolicySource[] {
  const out: PolicySource[] = [];
  for (const p of role.inlinePolicies) out.push({ name: p.name, document: p.document, origin: p.origin, kind: "identity" });
  const managed = role.managedPolicies;
  if (managed.kind === "unknown") {
    out.push({ name: `managed policies of ${role.name}`, document: managed, kind: "identity" });
  } else {
    for (const item of managed.value) {
      if (item.kind === "unknown") out.push({ name: `a managed policy of ${role.name}`, document: item, kind: "identity" });
      else out.push(sourceOfRef(world, item.value, "identity", role));
    }
  }
  if (!role.policiesComplete) {
    out.push({
      name: `other policies of ${role.name}`,
      document: unknown(
        "outside",
        `the policies attached to ${role.name} are not all in the input`,
        "run ssm-doctor check against the account",
      ),
      kind: "identity",
    });
  }
  const boundary = role.permissionsBoundary;
  if (boundary.kind === "unknown") out.push({ name: `permissions boundary of ${role.name}`, document: boundary, kind: "boundary" });
  else if (boundary.value !== null) out.push(sourceOfRef(world, boundary.value, "boundary", role));
  return out;
}
