/**
 * A small JSON parser that records the span of every entry (see positions.ts). JSON templates
 * (CDK output, most large templates) go through here: several times faster than a YAML parser on
 * the same text, with exact positions and line/column for syntax errors.
 */
import { type Json, type Span, SpanTable } from "./positions.js";

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** Well-formed JSON that CloudFormation still rejects (a repeated key): no YAML reading can save it. */
    readonly final = false,
  ) {
    super(message);
  }
}

export const MAX_DEPTH = 256;

export function setEntry(target: { [key: string]: Json }, key: string, value: Json): void {
  if (key === "__proto__") Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

export function parseJsonWithSpans(text: string): { root: Json; spans: SpanTable } {
  const spans = new SpanTable();
  let pos = 0;
  const length = text.length;

  const fail = (message: string, at = pos): never => {
    throw new JsonSyntaxError(message, at);
  };

  const skipWhitespace = (): void => {
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
  };

  const describe = (at: number): string => (at >= length ? "end of file" : `'${text[at]}'`);

  const parseString = (): string => {
    const start = pos; // at the opening quote
    pos++;
    let escaped = false;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        if (!escaped) return text.slice(start + 1, pos - 1);
        try {
          return JSON.parse(text.slice(start, pos)) as string;
        } catch {
          return fail("invalid escape sequence in string", start);
        }
      }
      if (c === 0x5c) {
        escaped = true;
        pos += 2;
        continue;
      }
      if (c < 0x20) fail("control character in string");
      pos++;
    }
    return fail("unterminated string", start);
  };

  const parseNumber = (): number => {
    const start = pos;
    if (text[pos] === "-") pos++;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) pos++;
      else break;
    }
    const source = text.slice(start, pos);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(source)) fail(`invalid number '${source}'`, start);
    return Number(source);
  };

  const parseValue = (depth: number): Json => {
    if (depth > MAX_DEPTH) fail(`nesting deeper than ${MAX_DEPTH} levels`);
    skipWhitespace();
    const c = text.charCodeAt(pos);
    if (c === 0x22) return parseString();
    if (c === 0x7b) return parseObject(depth);
    if (c === 0x5b) return parseArray(depth);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return parseNumber();
    if (text.startsWith("true", pos)) {
      pos += 4;
      return true;
    }
    if (text.startsWith("false", pos)) {
      pos += 5;
      return false;
    }
    if (text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    return fail(`unexpected ${describe(pos)}, expected a value`);
  };

  const parseObject = (depth: number): Json => {
    const result: { [key: string]: Json } = {};
    const table = new Map<string, Span>();
    pos++; // {
    skipWhitespace();
    if (text.charCodeAt(pos) === 0x7d) {
      pos++;
      spans.setObject(result, table);
      return result;
    }
    for (;;) {
      skipWhitespace();
      if (text.charCodeAt(pos) !== 0x22) fail(`unexpected ${describe(pos)}, expected a property name in double quotes`);
      const keyStart = pos;
      const key = parseString();
      skipWhitespace();
      if (text.charCodeAt(pos) !== 0x3a) fail(`unexpected ${describe(pos)}, expected ':' after the property name`);
      pos++;
      if (table.has(key))
        throw new JsonSyntaxError(`duplicate key "${key}" (CloudFormation rejects templates that repeat a key)`, keyStart, true);
      const value = parseValue(depth + 1);
      table.set(key, [keyStart, pos]);
      setEntry(result, key, value);
      skipWhitespace();
      const next = text.charCodeAt(pos);
      if (next === 0x2c) {
        pos++;
        continue;
      }
      if (next === 0x7d) {
        pos++;
        break;
      }
      fail(`unexpected ${describe(pos)}, expected ',' or '}'`);
    }
    spans.setObject(result, table);
    return result;
  };

  const parseArray = (depth: number): Json => {
    const result: Json[] = [];
    const table: Span[] = [];
    pos++; // [
    skipWhitespace();
    if (text.charCodeAt(pos) === 0x5d) {
      pos++;
      spans.setArray(result, table);
      return result;
    }
    for (;;) {
      skipWhitespace();
      const start = pos;
      result.push(parseValue(depth + 1));
      table.push([start, pos]);
      skipWhitespace();
      const next = text.charCodeAt(pos);
      if (next === 0x2c) {
        pos++;
        continue;
      }
      if (next === 0x5d) {
        pos++;
        break;
      }
      fail(`unexpected ${describe(pos)}, expected ',' or ']'`);
    }
    spans.setArray(result, table);
    return result;
  };

  skipWhitespace();
  const start = pos;
  const root = parseValue(0);
  spans.root = [start, pos];
  skipWhitespace();
  if (pos < length) fail(`unexpected ${describe(pos)} after the end of the JSON document`);
  return { root, spans };
}
