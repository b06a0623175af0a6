/**
 * From the file's text to the plan object. A plan is usually plain JSON; in CI it is often wrapped in
 * log lines (setup-terraform's wrapper prints `[command]… show -json`, then the JSON, then `::debug::`
 * lines): the first line that starts a JSON object holding a plan is taken, and a note says so.
 */
import { InputError, type SourceNote } from "../../model/index.js";
import { type ContainerEnds, findDuplicateKey } from "../common/json-duplicate-keys.js";
import { isObject, type RawPlan } from "./types.js";

export interface ParsedPlan {
  plan: RawPlan;
  /** The text the offsets count in (a byte order mark removed). */
  text: string;
  /** Offset of the plan object in the text. */
  offset: number;
  /** Where the plan's outer objects and arrays end (down to the entries of its top-level arrays), by where they start. */
  ends: Map<number, number>;
  notes: SourceNote[];
}

/** Containers recorded by the duplicate-key scan: the plan object, its members, and their elements (each resource change). */
const RECORDED_DEPTH = 3;

const PLAN_KEYS = ["resource_changes", "planned_values"];

/**
 * Offset of the first JSON syntax error (V8 does not always say where): a linear scan that checks the
 * structure and the tokens' first characters, enough to point at the mistake.
 */
function jsonErrorOffset(text: string): number {
  const stack: string[] = [];
  /** What may come next. */
  type Next = "value" | "value-or-end" | "key" | "key-or-end" | "colon" | "comma-or-end" | "end";
  let expect: Next = "value";
  const n = text.length;
  const afterValue = (): Next => (stack.length === 0 ? "end" : "comma-or-end");
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\n" || c === "\r" || c === "\t") {
      i++;
      continue;
    }
    const top = stack[stack.length - 1];
    if (expect === "end") return i;
    if (expect === "colon") {
      if (c !== ":") return i;
      expect = "value";
    } else if (expect === "comma-or-end") {
      if (c === ",") expect = top === "{" ? "key" : "value";
      else if ((c === "}" && top === "{") || (c === "]" && top === "[")) {
        stack.pop();
        expect = afterValue();
      } else return i;
    } else if ((expect === "key-or-end" && c === "}") || (expect === "value-or-end" && c === "]")) {
      stack.pop();
      expect = afterValue();
    } else if (c === '"') {
      const key: boolean = expect === "key" || expect === "key-or-end";
      i++;
      while (i < n && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (i >= n) return n;
      expect = key ? "colon" : afterValue();
    } else if (expect === "key" || expect === "key-or-end") {
      return i;
    } else if (c === "{" || c === "[") {
      stack.push(c);
      expect = c === "{" ? "key-or-end" : "value-or-end";
    } else {
      const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
      if (!literal) return i;
      i += literal[0].length;
      expect = afterValue();
      continue;
    }
    i++;
  }
  return n;
}

/**
 * Terraform never writes a key twice; JSON.parse would keep the last one silently. The scan notes where the
 * plan's outer containers end, which the positions of findings use.
 */
function refuseDuplicateKeys(file: string, text: string, from: number, to = text.length): Map<number, number> {
  const record: ContainerEnds = { depth: RECORDED_DEPTH, ends: new Map() };
  const duplicate = findDuplicateKey(text, from, to, record);
  if (!duplicate) return record.ends;
  const before = text.slice(0, duplicate.offset);
  throw new InputError(
    `duplicate key "${duplicate.key}" in the plan JSON (the later one would silently win)`,
    file,
    before.split("\n").length,
    duplicate.offset - before.lastIndexOf("\n"),
    "a plan from terraform show -json never repeats a key: was the file edited or concatenated?",
  );
}

/** Line and column of the first syntax error, counted in the whole text. */
function parseErrorPosition(text: string): { line: number; column: number } {
  const offset = jsonErrorOffset(text);
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

/** End (exclusive) of the JSON object starting at `start`, by bracket matching outside strings. */
function objectEnd(text: string, start: number): number | undefined {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i++;
      while (i < text.length && text.charCodeAt(i) !== 34) {
        if (text.charCodeAt(i) === 92) i++;
        i++;
      }
    } else if (c === 123 || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return undefined;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

function checkPlan(file: string, value: unknown): RawPlan {
  if (!isObject(value)) throw new InputError("not a Terraform plan: the JSON is not an object", file);
  if (PLAN_KEYS.some((k) => k in value)) return value as RawPlan;
  if ("values" in value && "format_version" in value)
    throw new InputError(
      "this is Terraform state, not a plan (terraform show -json without a plan file)",
      file,
      undefined,
      undefined,
      "run terraform plan -out=tfplan && terraform show -json tfplan > plan.json",
    );
  if ("lineage" in value && "resources" in value)
    throw new InputError(
      "this is a Terraform state file, not a plan",
      file,
      undefined,
      undefined,
      "lint the output of terraform show -json tfplan",
    );
  throw new InputError(
    "not a Terraform plan: no resource_changes or planned_values",
    file,
    undefined,
    undefined,
    "expected the output of terraform show -json tfplan",
  );
}

export function parsePlan(file: string, input: string): ParsedPlan {
  const text = input.replace(/^\uFEFF/, "");
  const first = /\S/.exec(text);
  if (!first) throw new InputError("empty file: expected a Terraform plan (terraform show -json tfplan)", file);
  if (text[first.index] === "{") {
    try {
      const plan = checkPlan(file, JSON.parse(text));
      const ends = refuseDuplicateKeys(file, text, first.index);
      return { plan, text, offset: first.index, ends, notes: [] };
    } catch (error) {
      if (error instanceof InputError) throw error;
      // Plain JSON that fails: report where, unless a plan object can still be found (trailing log lines).
      const found = findEmbedded(file, text);
      if (found) return found;
      const at = parseErrorPosition(text);
      const why = (error as Error).message.replace(/ (in JSON )?at position \d+.*$/s, "").replace(/, ".*" is not valid JSON$/s, "");
      throw new InputError(`invalid JSON: ${why}`, file, at.line, at.column);
    }
  }
  const found = findEmbedded(file, text);
  if (found) return found;
  throw new InputError(
    "not a Terraform plan: no JSON object found",
    file,
    undefined,
    undefined,
    "expected the output of terraform show -json tfplan",
  );
}

/** The first object starting a line (after optional log prefixes) that parses as a plan. */
function findEmbedded(file: string, text: string): ParsedPlan | undefined {
  const candidates = /(^|\n)[^\S\n]*(\{)/g;
  let tried = 0;
  for (let m = candidates.exec(text); m && tried < 50; m = candidates.exec(text)) {
    const start = m.index + m[0].length - 1;
    const end = objectEnd(text, start);
    if (end === undefined) continue;
    tried++;
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, end));
    } catch {
      continue;
    }
    if (!isObject(value) || !PLAN_KEYS.some((k) => k in value)) continue;
    const line = lineOf(text, start);
    const lines = text.replace(/\n+$/, "").split("\n").length;
    const plan = checkPlan(file, value);
    const ends = refuseDuplicateKeys(file, text, start, end);
    return {
      plan,
      text,
      offset: start,
      ends,
      notes: [
        {
          level: "warning",
          code: "plan-extracted",
          message: `the file is not plain JSON: ssm-doctor read the plan from line ${line} and ignored the other ${lines - 1} line${lines === 2 ? "" : "s"} (CI log output?); write the plan with terraform show -json tfplan > plan.json`,
          origin: { source: "terraform", file, region: { startLine: line, startColumn: 1 } },
        },
      ],
    };
  }
  return undefined;
}
