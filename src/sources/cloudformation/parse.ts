/**
 * Text → template tree with positions, or an InputError that says what is wrong and where.
 */
import { InputError } from "../../model/index.js";
import { JsonSyntaxError, parseJsonWithSpans } from "./parse-json.js";
import { parseYamlWithSpans, YamlSyntaxError } from "./parse-yaml.js";
import { type Json, LineIndex, type SpanTable } from "./positions.js";

export interface ParsedTemplate {
  root: { [key: string]: Json };
  spans: SpanTable;
  lines: LineIndex;
  format: "json" | "yaml";
  unknownTags: Map<string, number>;
}

const HINT = "expected a CloudFormation template (YAML or JSON)";

/** CloudFormation's own limit is 1 MB; far beyond it the input is not a deployable template (and parsing would be slow). */
const MAX_TEMPLATE_CHARACTERS = 16_000_000;

/**
 * Change review parses each template twice (to lint it, and for @aws-cdk/cloudformation-diff): while
 * retaining is on, the second parse of the same file and text is the first one's result. Off by
 * default, so a lint run never holds on to its templates.
 */
const retained = new Map<string, { text: string; parsed: ParsedTemplate }>();
let retaining = false;

export function retainParsedTemplates(on: boolean): void {
  retaining = on;
  if (!on) retained.clear();
}

export function parseTemplate(file: string, rawText: string): ParsedTemplate {
  const hit = retained.get(file);
  if (hit && hit.text === rawText) return hit.parsed;
  const parsed = parseTemplateText(file, rawText);
  if (retaining) retained.set(file, { text: rawText, parsed });
  return parsed;
}

function parseTemplateText(file: string, rawText: string): ParsedTemplate {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  if (text.trim() === "") throw new InputError("empty file: not a CloudFormation template", file, undefined, undefined, HINT);
  if (looksBinary(text)) throw new InputError("binary file: not a CloudFormation template", file, undefined, undefined, HINT);
  if (text.length > MAX_TEMPLATE_CHARACTERS) {
    const megabytes = (text.length / 1_000_000).toFixed(1);
    throw new InputError(
      `file too large for a CloudFormation template (${megabytes} MB)`,
      file,
      undefined,
      undefined,
      "CloudFormation accepts templates up to 1 MB",
    );
  }
  const lines = new LineIndex(text);
  const at = (offset: number) => lines.position(Math.min(Math.max(offset, 0), text.length));

  let root: Json;
  let spans: SpanTable;
  let format: "json" | "yaml";
  let unknownTags = new Map<string, number>();
  const firstChar = text.trimStart()[0];
  if (firstChar === "{" || firstChar === "[") {
    try {
      ({ root, spans } = parseJsonWithSpans(text));
      format = "json";
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      // JSON with comments or trailing commas may still be valid YAML; otherwise report the JSON error.
      const yaml = error.final ? undefined : tryYaml(text);
      if (!yaml) {
        const { line, column } = at(error.offset);
        throw new InputError(error.final ? error.message : `invalid JSON: ${error.message}`, file, line, column);
      }
      ({ root, spans, unknownTags } = yaml);
      format = "yaml";
    }
  } else {
    try {
      ({ root, spans, unknownTags } = parseYamlWithSpans(text));
      format = "yaml";
    } catch (error) {
      if (!(error instanceof YamlSyntaxError)) throw error;
      const { line, column } = at(error.offset);
      throw new InputError(`invalid YAML: ${error.message}`, file, line, column);
    }
  }

  if (root === null || typeof root !== "object" || Array.isArray(root)) {
    const kind = root === null ? "empty" : Array.isArray(root) ? "a list" : `a ${typeof root}`;
    const { line, column } = at(spans.root[0]);
    throw new InputError(`not a CloudFormation template: the document is ${kind}, not a mapping`, file, line, column, HINT);
  }
  const resources = root.Resources;
  if (resources === undefined) {
    throw new InputError("not a CloudFormation template: no Resources section", file, 1, 1, HINT);
  }
  if (resources === null || typeof resources !== "object" || Array.isArray(resources)) {
    const { line, column } = at(spans.spanOf(root, "/Resources")[0]);
    throw new InputError("not a CloudFormation template: Resources is not a mapping", file, line, column, HINT);
  }
  return { root, spans, lines, format, unknownTags };
}

function tryYaml(text: string) {
  try {
    return parseYamlWithSpans(text);
  } catch {
    return undefined;
  }
}

/** NUL bytes or many replacement characters (undecodable bytes) in the first 8 KB. */
function looksBinary(text: string): boolean {
  const head = text.slice(0, 8192);
  if (head.includes("\u0000")) return true;
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) bad++;
  }
  return bad > 8 && bad > head.length / 50;
}
