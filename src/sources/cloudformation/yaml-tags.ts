/**
 * What both YAML readers (the light composer over the `yaml` package's CST, and the package's
 * document model for what the composer leaves to it) share: the CloudFormation short-form tags,
 * their long forms, and how a tagged node and a plain scalar become template JSON.
 */
import type { Scalar, Tags } from "yaml";
import { setEntry } from "./parse-json.js";
import type { Json, Span, SpanTable } from "./positions.js";

export class YamlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Short-form tags; `Ref` and `Condition` have no `Fn::` prefix in long form. */
export const INTRINSIC_TAGS = [
  "Ref",
  "Condition",
  "GetAtt",
  "Sub",
  "Join",
  "Select",
  "Split",
  "If",
  "Equals",
  "And",
  "Or",
  "Not",
  "FindInMap",
  "Base64",
  "Cidr",
  "GetAZs",
  "ImportValue",
  "Transform",
  "Length",
  "ToJsonString",
  "ForEach",
  // Rules-section functions
  "Contains",
  "EachMemberEquals",
  "EachMemberIn",
  "RefAll",
  "ValueOf",
  "ValueOfAll",
] as const;

export const LONG_FORM = new Map<string, string>(
  INTRINSIC_TAGS.map((name) => [`!${name}`, name === "Ref" || name === "Condition" ? name : `Fn::${name}`]),
);

/** Keeps tagged nodes as they are (the conversion reads the tag); a tagged scalar stays text. */
export const CUSTOM_TAGS: Tags = INTRINSIC_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value },
  { tag: `!${name}`, collection: "seq" as const, resolve: (value: unknown) => value as Scalar },
  { tag: `!${name}`, collection: "map" as const, resolve: (value: unknown) => value as Scalar },
]);

/**
 * `!Ref X` → `{ "Ref": X }`; a tag that is no intrinsic (`!Rain::Embed`) → `{ "!Rain::Embed": X }`,
 * recorded with the offset of its first use. The wrapper's one entry spans the tagged node.
 */
export function wrapTag(tag: string, value: Json, span: Span, spans: SpanTable, unknownTags: Map<string, number>): Json {
  const key = LONG_FORM.get(tag);
  if (!key && !unknownTags.has(tag)) unknownTags.set(tag, span[0]);
  const wrapper: { [key: string]: Json } = {};
  setEntry(wrapper, key ?? tag, value);
  spans.setObject(wrapper, new Map<string, Span>().set(key ?? tag, span));
  return wrapper;
}

/**
 * The template value of a scalar the `yaml` package typed as `value`, written as `source` (the
 * scalar's text after unquoting and folding), `plain` when unquoted.
 */
export function scalarJson(value: unknown, source: string, plain: boolean): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    // YAML 1.2 reads 012345678901 as a number; an account id or similar should stay text.
    if (plain && /^[-+]?0\d/.test(source)) return source;
    return Number.isFinite(value) ? value : source;
  }
  if (typeof value === "bigint") return value.toString();
  return source;
}
