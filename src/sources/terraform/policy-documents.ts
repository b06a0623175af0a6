/**
 * IAM policy documents in a plan: JSON strings (assume_role_policy, policy), or `data
 * "aws_iam_policy_document"` whose `json` is known once Terraform read it, else rebuilt from its
 * `statement` blocks (unknown parts become UnresolvedPart markers, which the IAM evaluator treats as unknown).
 */
import { defaulted, known, type UnknownReason, unknown, unresolvedPart, type Value } from "../../model/index.js";
import type { TfResource } from "./plan-index.js";
import type { Path, Reader } from "./reader.js";
import { isObject, type Json, type RawExpression, type RawExpressions } from "./types.js";

function parseJsonDocument(text: string, what: string): Value<unknown> {
  try {
    return known(JSON.parse(text) as unknown);
  } catch {
    return unknown("unsupported", `${what} is not valid JSON`);
  }
}

/** A policy document argument: the document, null when not set (the default policy), or why it is not known. */
export function policyDocument(reader: Reader, resource: TfResource, path: Path): Value<unknown | null> {
  const raw = reader.raw(resource, path);
  const origin = reader.origin(resource, path);
  const label = `${path.join(".")} of ${resource.address}`;
  if (raw.kind === "null") return defaulted(null);
  if (raw.kind === "value") {
    if (typeof raw.value !== "string") return known(raw.value, origin);
    if (raw.value.trim() === "") return defaulted(null);
    const doc = parseJsonDocument(raw.value, label);
    return doc.kind === "known" ? known(doc.value, origin) : { ...doc, origin };
  }
  if (raw.kind === "sensitive") return unknown("unsupported", `${label} is sensitive in the plan`, undefined, origin);
  if (reader.configured(resource, path) === false) return defaulted(null);
  const expression = reader.expression(resource, path);
  const context = reader.contextOf(resource);
  if (expression && context) {
    if (typeof expression.constant_value === "string") {
      const doc = parseJsonDocument(expression.constant_value, label);
      return doc.kind === "known" ? known(doc.value, origin) : { ...doc, origin };
    }
    for (const target of reader.refs.resolve(expression, context)) {
      if (target.kind === "resource" && target.resource.mode === "data" && target.resource.type === "aws_iam_policy_document") {
        const doc = documentFromData(reader, target.resource);
        return doc.kind === "known" ? known(doc.value, origin) : { ...doc, origin };
      }
    }
    // A policy document data source without a read result (old plans): its configuration still says it.
    for (const ref of expression.references ?? []) {
      const m = /^data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)/.exec(ref);
      const config = m ? context.scope.resources.get(`data.aws_iam_policy_document.${m[1]}`) : undefined;
      if (config?.expressions) return known(documentFromExpressions(config.expressions), origin);
    }
  }
  const reason = reader.computedReason(resource, path);
  return unknown(reason.code, reason.message, reason.decide, origin);
}

const unresolved = (reason: UnknownReason) => unresolvedPart(reason);

/** The document of a data "aws_iam_policy_document": its json when known, else its statements. */
export function documentFromData(reader: Reader, data: TfResource): Value<unknown> {
  const json = reader.raw(data, ["json"]);
  if (json.kind === "value" && typeof json.value === "string") return parseJsonDocument(json.value, data.address);
  const statements = reader.raw(data, ["statement"]);
  if (statements.kind !== "value" || !Array.isArray(statements.value)) {
    if (data.config?.expressions) return known(documentFromExpressions(data.config.expressions));
    return unknown("computed", `${data.address} is known only after apply`);
  }
  const reason = (path: Path): UnknownReason => ({
    code: "computed",
    message: `${path.join(".")} of ${data.address} is known only after apply`,
  });
  const value = (path: Path): Json | ReturnType<typeof unresolved> | undefined => {
    const raw = reader.raw(data, path);
    if (raw.kind === "value") return raw.value;
    if (raw.kind === "null") return undefined;
    return unresolved(raw.kind === "sensitive" ? { code: "unsupported", message: `${data.address} is sensitive` } : reason(path));
  };
  const out = statements.value.map((_, i) => {
    const at = (name: string, j?: number, sub?: string): Path =>
      j === undefined ? ["statement", i, name] : ["statement", i, name, j, sub ?? ""];
    const st: Record<string, unknown> = {};
    const sid = value(at("sid"));
    if (typeof sid === "string" && sid !== "") st.Sid = sid;
    const effect = value(at("effect"));
    st.Effect = effect ?? "Allow";
    for (const [field, key] of [
      ["actions", "Action"],
      ["not_actions", "NotAction"],
      ["resources", "Resource"],
      ["not_resources", "NotResource"],
    ] as const) {
      const v = value(at(field));
      if (Array.isArray(v) ? v.length > 0 : v !== undefined) st[key] = v;
    }
    for (const [field, key] of [
      ["principals", "Principal"],
      ["not_principals", "NotPrincipal"],
    ] as const) {
      const list = reader.raw(data, at(field));
      if (list.kind !== "value" || !Array.isArray(list.value) || list.value.length === 0) {
        if (list.kind === "unknown") st[key] = unresolved(reason(at(field)));
        continue;
      }
      const principal: Record<string, unknown> = {};
      list.value.forEach((_, j) => {
        const type = value(at(field, j, "type"));
        const ids = value(at(field, j, "identifiers"));
        if (typeof type === "string") principal[type] = ids;
      });
      st[key] = principal;
    }
    const conditions = reader.raw(data, at("condition"));
    if (conditions.kind === "value" && Array.isArray(conditions.value) && conditions.value.length > 0)
      st.Condition = conditionsOf(conditions.value);
    else if (conditions.kind === "unknown") st.Condition = unresolved(reason(at("condition")));
    return st;
  });
  const extra = ["source_policy_documents", "override_policy_documents", "source_json", "override_json"].some((f) => {
    const raw = reader.raw(data, [f]);
    return raw.kind === "unknown" || (raw.kind === "value" && (!Array.isArray(raw.value) || raw.value.length > 0));
  });
  if (extra)
    out.push({ Effect: unresolved({ code: "unsupported", message: `${data.address} merges other policy documents` }) } as Record<
      string,
      unknown
    >);
  return known({ Version: "2012-10-17", Statement: out });
}

function conditionsOf(list: Json[]): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const c of list) {
    if (!isObject(c) || typeof c.test !== "string" || typeof c.variable !== "string") continue;
    out[c.test] = { ...(out[c.test] ?? {}), [c.variable]: c.values };
  }
  return out;
}

/** A document from the data source's configuration (constants only; references become markers). */
function documentFromExpressions(expressions: RawExpressions): unknown {
  const statements = Array.isArray(expressions.statement) ? expressions.statement : [];
  const constant = (e: RawExpression | RawExpressions[] | undefined, what: string): unknown => {
    if (e === undefined || Array.isArray(e)) return undefined;
    if (e.constant_value !== undefined) return e.constant_value;
    return unresolved({ code: "computed", message: `${what} is known only after apply` });
  };
  return {
    Version: "2012-10-17",
    Statement: statements.map((st) => {
      const out: Record<string, unknown> = { Effect: constant(st.effect, "effect") ?? "Allow" };
      for (const [field, key] of [
        ["actions", "Action"],
        ["not_actions", "NotAction"],
        ["resources", "Resource"],
        ["not_resources", "NotResource"],
      ] as const) {
        const v = constant(st[field], field);
        if (v !== undefined) out[key] = v;
      }
      const principals = st.principals;
      if (Array.isArray(principals)) {
        const p: Record<string, unknown> = {};
        for (const item of principals) {
          const type = constant(item.type, "principal type");
          if (typeof type === "string") p[type] = constant(item.identifiers, "principal identifiers");
        }
        out.Principal = p;
      }
      if (Array.isArray(st.condition) && st.condition.length > 0)
        out.Condition = unresolved({ code: "condition", message: "the statement has a condition" });
      return out;
    }),
  };
}
