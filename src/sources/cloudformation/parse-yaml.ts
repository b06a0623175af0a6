/**
 * YAML templates → plain JSON in long form (`!Ref X` → `{ "Ref": "X" }`, `!Sub s` → `{ "Fn::Sub": s }`)
 * with spans. Tags we do not know (`!Rain::Embed`, …) become `{ "!Rain::Embed": value }`, which the
 * evaluator reports as unsupported.
 *
 * Two readers give the same answer: the light composer over the `yaml` package's syntax tree
 * (compose-yaml.ts), fast, for well-formed templates; and the package's document model with a custom
 * tag for every short-form intrinsic, for everything the composer leaves to it (syntax errors, whose
 * messages come from the package, aliases and their bomb check, rarely used YAML features).
 */
import { type Document, isAlias, isMap, isScalar, isSeq, type Node, parseDocument, Scalar, visit } from "yaml";
import { composeYaml } from "./compose-yaml.js";
import { MAX_DEPTH, setEntry } from "./parse-json.js";
import { type Json, type Span, SpanTable } from "./positions.js";
import { CUSTOM_TAGS, scalarJson, wrapTag as wrap, YamlSyntaxError } from "./yaml-tags.js";

export { INTRINSIC_TAGS, YamlSyntaxError } from "./yaml-tags.js";

export interface ParsedYaml {
  root: Json;
  spans: SpanTable;
  /** Tags that are not CloudFormation intrinsics, with the offset of their first use. */
  unknownTags: Map<string, number>;
}

/** Alias expansions allowed before the document counts as an alias bomb (the yaml package's check). */
const MAX_ALIAS_COUNT = 100;

export function parseYamlWithSpans(text: string): ParsedYaml {
  return composeYaml(text) ?? parseYamlDocument(text);
}

/** The reference reader: the `yaml` package's document model, converted node by node. */
export function parseYamlDocument(text: string): ParsedYaml {
  let doc: Document.Parsed;
  try {
    // uniqueKeys off: the package's check is quadratic in the size of a mapping; duplicates are found below.
    doc = parseDocument(text, { customTags: CUSTOM_TAGS, prettyErrors: false, uniqueKeys: false, strict: false });
  } catch (error) {
    if (error instanceof RangeError) throw new YamlSyntaxError("nesting too deep to parse", 0);
    throw error;
  }
  const first = doc.errors[0];
  if (first) {
    const raw = first.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
    const message = /call stack/i.test(raw)
      ? "nesting too deep to parse"
      : raw.startsWith("Source contains multiple documents")
        ? "the file holds more than one YAML document; a template is one document"
        : raw;
    throw new YamlSyntaxError(message, first.pos[0]);
  }

  const spans = new SpanTable();
  const unknownTags = new Map<string, number>();
  const anchors = new Map<string, Json>();
  let aliases = 0;

  const rangeOf = (node: Node | null | undefined): Span | undefined => {
    const r = node?.range;
    return r ? [r[0], r[1]] : undefined;
  };

  const wrapTag = (tag: string | undefined, value: Json, span: Span): Json =>
    tag?.startsWith("!") ? wrap(tag, value, span, spans, unknownTags) : value;

  const convert = (node: unknown, depth: number): Json => {
    if (depth > MAX_DEPTH) throw new YamlSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, (node as Node | null)?.range?.[0] ?? 0);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      aliases++;
      const target = anchors.get(node.source);
      if (target === undefined) throw new YamlSyntaxError(`unknown alias *${node.source}`, node.range?.[0] ?? 0);
      return target;
    }
    let result: Json;
    if (isScalar(node)) {
      result = scalarValue(node);
    } else if (isMap(node)) {
      const object: { [key: string]: Json } = {};
      const table = new Map<string, Span>();
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        const key = isScalar(keyNode) ? String(keyNode.value) : JSON.stringify(convert(keyNode, depth + 1));
        const start = rangeOf(keyNode)?.[0] ?? rangeOf(pair.value as Node)?.[0] ?? 0;
        if (table.has(key)) throw new YamlSyntaxError(`duplicate key '${key}'`, start);
        const value = convert(pair.value, depth + 1);
        const end = rangeOf(pair.value as Node)?.[1] ?? rangeOf(keyNode)?.[1] ?? start;
        table.set(key, [start, end]);
        setEntry(object, key, value);
      }
      spans.setObject(object, table);
      result = object;
    } else if (isSeq(node)) {
      const array: Json[] = [];
      const table: Span[] = [];
      for (const item of node.items) {
        array.push(convert(item, depth + 1));
        const span = rangeOf(item as Node);
        table.push(span ?? [0, 0]);
      }
      spans.setArray(array, table);
      result = array;
    } else {
      result = null;
    }
    const tagged = node as Node;
    const span = rangeOf(tagged) ?? [0, 0];
    result = wrapTag(tagged.tag, result, span);
    if (tagged.anchor) anchors.set(tagged.anchor, result);
    return result;
  };

  let root: Json;
  try {
    root = convert(doc.contents, 0);
  } catch (error) {
    if (error instanceof RangeError) throw new YamlSyntaxError("nesting too deep to parse", 0);
    throw error;
  }
  if (aliases > 0) checkAliasBomb(doc);
  spans.root = rangeOf(doc.contents as Node | null) ?? [0, text.length];
  return { root, spans, unknownTags };
}

/** Converted values share the anchored node, so memory is safe; evaluation is not: use the package's limit. */
function checkAliasBomb(doc: Document.Parsed): void {
  let offset = 0;
  visit(doc, {
    Alias(_, node) {
      offset = node.range?.[0] ?? 0;
      return visit.BREAK;
    },
  });
  try {
    doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof RangeError) {
      throw new YamlSyntaxError(`too many YAML aliases (more than ${MAX_ALIAS_COUNT} expansions): refusing a possible alias bomb`, offset);
    }
    throw error;
  }
}

function scalarValue(node: Scalar): Json {
  return scalarJson(node.value, String(node.source ?? node.value), node.type === Scalar.PLAIN && typeof node.source === "string");
}
