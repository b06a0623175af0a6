/**
 * The fake's iam:SimulatePrincipalPolicy request context: a statement's Condition is evaluated against the
 * ContextEntries of the call, as IAM evaluates it against a request (IAM User Guide, "Condition operators" and
 * "...IfExists condition operators"). A key the call gave no value for is listed in MissingContextValues, and the
 * condition is decided as for a request without the key: a positive operator does not match, a negated one does,
 * an ...IfExists operator matches, Null "true" matches. Only the operators the scenarios use are modelled; any other
 * makes the fake refuse the scenario rather than answer wrongly.
 */

/** Context values by lower-case key (condition key names are case-insensitive). */
export type RequestContext = ReadonlyMap<string, readonly string[]>;

type Statement = Record<string, unknown>;

const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

const glob = (pattern: string, value: string, caseless = false) => {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
    caseless ? "is" : "s",
  );
  return re.test(value);
};

/** Does the statement's Action (or NotAction) cover the action? Action names are case-insensitive. */
export function statementCoversAction(s: Statement, action: string): boolean {
  if (s.NotAction !== undefined) return !list(s.NotAction).some((p) => glob(p, action, true));
  return list(s.Action).some((p) => glob(p, action, true));
}

/** Does the statement's Resource (or NotResource) cover the resource? A statement without either covers all. */
function statementCoversResource(s: Statement, resource: string): boolean {
  if (s.NotResource !== undefined) return !list(s.NotResource).some((p) => glob(p, resource));
  if (s.Resource === undefined) return true;
  return list(s.Resource).some((p) => glob(p, resource));
}

/** The condition keys of a statement, as the policy spells them. */
export function conditionKeys(s: Statement): string[] {
  const c = s.Condition;
  if (!c || typeof c !== "object") return [];
  return Object.values(c as Record<string, unknown>).flatMap((block) => (block && typeof block === "object" ? Object.keys(block) : []));
}

const POSITIVE: Record<string, (policy: string, value: string) => boolean> = {
  StringEquals: (p, v) => p === v,
  StringEqualsIgnoreCase: (p, v) => p.toLowerCase() === v.toLowerCase(),
  StringLike: (p, v) => glob(p, v),
  ArnEquals: (p, v) => glob(p, v),
  ArnLike: (p, v) => glob(p, v),
  Bool: (p, v) => p.toLowerCase() === v.toLowerCase(),
  IpAddress: (p, v) => inCidr(v, p),
};

const ipv4 = (ip: string) => ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);

/** IPv4 only, which is all the scenarios use. */
function inCidr(ip: string, cidr: string): boolean {
  const [base, bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4(ip) / size) === Math.floor(ipv4(base!) / size);
}

const NEGATED: Record<string, string> = {
  StringNotEquals: "StringEquals",
  StringNotEqualsIgnoreCase: "StringEqualsIgnoreCase",
  StringNotLike: "StringLike",
  ArnNotEquals: "ArnEquals",
  ArnNotLike: "ArnLike",
  NotIpAddress: "IpAddress",
};

/** Does the statement's Condition hold for the context? Every operator block and every key in it must. */
export function conditionHolds(s: Statement, context: RequestContext): boolean {
  const c = s.Condition;
  if (!c || typeof c !== "object") return true;
  return Object.entries(c as Record<string, Record<string, unknown>>).every(([operator, block]) => {
    if (operator.includes(":")) throw new Error(`the fake does not model the set operator ${operator}`);
    const ifExists = operator.endsWith("IfExists");
    const name = ifExists ? operator.slice(0, -"IfExists".length) : operator;
    return Object.entries(block).every(([key, expected]) => {
      const values = context.get(key.toLowerCase());
      const wanted = list(expected);
      if (name === "Null") return wanted.some((w) => (w.toLowerCase() === "true") === (values === undefined));
      if (values === undefined) return ifExists || name in NEGATED;
      const positive = POSITIVE[NEGATED[name] ?? name];
      if (!positive) throw new Error(`the fake does not model the condition operator ${operator}`);
      const match = values.some((v) => wanted.some((w) => positive(w, v)));
      return name in NEGATED ? !match : match;
    });
  });
}

/**
 * The policy as the request sees it: statements whose Condition holds lose it, the others are dropped. Returns it with
 * the keys that statements covering the action and resource read and the context lacked.
 */
export function resolveConditions(
  document: unknown,
  action: string,
  resource: string,
  context: RequestContext,
): { document: unknown; missing: string[] } {
  if (!document || typeof document !== "object") return { document, missing: [] };
  const d = document as { Statement?: unknown };
  const statements = (Array.isArray(d.Statement) ? d.Statement : d.Statement ? [d.Statement] : []) as Statement[];
  const missing: string[] = [];
  const kept: Statement[] = [];
  for (const s of statements) {
    if (s.Condition === undefined) {
      kept.push(s);
      continue;
    }
    if (statementCoversAction(s, action) && statementCoversResource(s, resource))
      missing.push(...conditionKeys(s).filter((k) => !context.has(k.toLowerCase())));
    if (conditionHolds(s, context)) {
      const { Condition: _, ...rest } = s;
      kept.push(rest);
    }
  }
  return { document: { ...d, Statement: kept }, missing: [...new Set(missing)] };
}
