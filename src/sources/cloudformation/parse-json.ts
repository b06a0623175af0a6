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
  return new JsonReader(text).read();
}

/** One reading of a JSON text: `pos` moves forward through it as each value is read. */
class JsonReader {
  private readonly spans = new SpanTable();
  private pos = 0;
  private readonly length: number;

  constructor(private readonly text: string) {
    this.length = text.length;
  }

  read(): { root: Json; spans: SpanTable } {
    this.skipWhitespace();
    const start = this.pos;
    const root = this.parseValue(0);
    this.spans.root = [start, this.pos];
    this.skipWhitespace();
    if (this.pos < this.length) this.fail(`unexpected ${this.describe(this.pos)} after the end of the JSON document`);
    return { root, spans: this.spans };
  }

  private fail(message: string, at = this.pos): never {
    throw new JsonSyntaxError(message, at);
  }

  private skipWhitespace(): void {
    const { text, length } = this;
    let pos = this.pos;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private describe(at: number): string {
    return at >= this.length ? "end of file" : `'${this.text[at]}'`;
  }

  private parseString(): string {
    const { text, length } = this;
    const start = this.pos; // at the opening quote
    let pos = start + 1;
    let escaped = false;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        pos++;
        this.pos = pos;
        if (!escaped) return text.slice(start + 1, pos - 1);
        try {
          return JSON.parse(text.slice(start, pos)) as string;
        } catch {
          return this.fail("invalid escape sequence in string", start);
        }
      }
      if (c === 0x5c) {
        escaped = true;
        pos += 2;
        continue;
      }
      if (c < 0x20) this.fail("control character in string", pos);
      pos++;
    }
    this.pos = pos;
    return this.fail("unterminated string", start);
  }

  private parseNumber(): number {
    const { text, length } = this;
    const start = this.pos;
    let pos = start;
    if (text[pos] === "-") pos++;
    while (pos < length) {
      const c = text.charCodeAt(pos);
      if ((c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) pos++;
      else break;
    }
    this.pos = pos;
    const source = text.slice(start, pos);
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(source)) this.fail(`invalid number '${source}'`, start);
    return Number(source);
  }

  private parseValue(depth: number): Json {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    this.skipWhitespace();
    const { text } = this;
    const c = text.charCodeAt(this.pos);
    if (c === 0x22) return this.parseString();
    if (c === 0x7b) return this.parseObject(depth);
    if (c === 0x5b) return this.parseArray(depth);
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.parseNumber();
    if (text.startsWith("true", this.pos)) {
      this.pos += 4;
      return true;
    }
    if (text.startsWith("false", this.pos)) {
      this.pos += 5;
      return false;
    }
    if (text.startsWith("null", this.pos)) {
      this.pos += 4;
      return null;
    }
    return this.fail(`unexpected ${this.describe(this.pos)}, expected a value`);
  }

  private parseObject(depth: number): Json {
    const { text } = this;
    const result: { [key: string]: Json } = {};
    const table = new Map<string, Span>();
    this.pos++; // {
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      this.spans.setObject(result, table);
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== 0x22) this.fail(`unexpected ${this.describe(this.pos)}, expected a property name in double quotes`);
      const keyStart = this.pos;
      const key = this.parseString();
      this.skipWhitespace();
      if (text.charCodeAt(this.pos) !== 0x3a) this.fail(`unexpected ${this.describe(this.pos)}, expected ':' after the property name`);
      this.pos++;
      if (table.has(key))
        throw new JsonSyntaxError(`duplicate key "${key}" (CloudFormation rejects templates that repeat a key)`, keyStart, true);
      const value = this.parseValue(depth + 1);
      table.set(key, [keyStart, this.pos]);
      setEntry(result, key, value);
      this.skipWhitespace();
      const next = text.charCodeAt(this.pos);
      if (next === 0x2c) {
        this.pos++;
        continue;
      }
      if (next === 0x7d) {
        this.pos++;
        break;
      }
      this.fail(`unexpected ${this.describe(this.pos)}, expected ',' or '}'`);
    }
    this.spans.setObject(result, table);
    return result;
  }

  private parseArray(depth: number): Json {
    const { text } = this;
    const result: Json[] = [];
    const table: Span[] = [];
    this.pos++; // [
    this.skipWhitespace();
    if (text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.spans.setArray(result, table);
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      const start = this.pos;
      result.push(this.parseValue(depth + 1));
      table.push([start, this.pos]);
      this.skipWhitespace();
      const next = text.charCodeAt(this.pos);
      if (next === 0x2c) {
        this.pos++;
        continue;
      }
      if (next === 0x5d) {
        this.pos++;
        break;
      }
      this.fail(`unexpected ${this.describe(this.pos)}, expected ',' or ']'`);
    }
    this.spans.setArray(result, table);
    return result;
  }
}
