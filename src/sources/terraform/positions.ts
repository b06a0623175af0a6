/**
 * Lazy positions in the plan file: a JSON pointer is found by walking the text, skipping whole values
 * that are not on the way, only when a report asks for a finding's line. Start offsets of the entries of
 * the top-level arrays (resource_changes, …) are remembered on the way, so later lookups jump there.
 * Nothing is computed per node of a large plan.
 */
import type { Region } from "../../model/index.js";
import { splitPointer } from "../common/json-pointer.js";
import { LineIndex } from "../common/line-index.js";

export class PlanPositions {
  /** "/resource_changes" → start offsets of its elements found so far. */
  private readonly arrayStarts = new Map<string, number[]>();
  private readonly memberStarts = new Map<string, { key: number; value: number }>();
  private lines?: LineIndex;

  constructor(
    private readonly text: string,
    /** Where the plan object starts in the file (after CI log lines). */
    private readonly offset: number,
  ) {}

  /** Regions already found: a report names the same instance in its checklist, findings and related locations. */
  private readonly regions = new Map<string, Region | undefined>();

  region(pointer: string): Region | undefined {
    if (!this.regions.has(pointer)) this.regions.set(pointer, this.find(pointer));
    const found = this.regions.get(pointer);
    return found ? { ...found } : undefined;
  }

  private find(pointer: string): Region | undefined {
    const span = this.span(pointer);
    if (!span) return undefined;
    const start = this.position(span[0]);
    const end = this.position(span[1]);
    return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
  }

  /** [start, end) of the member (key included) or element at the pointer; the nearest found ancestor otherwise. */
  private span(pointer: string): [number, number] | undefined {
    const segments = pointer === "" ? [] : splitPointer(pointer);
    let at = this.skipWs(this.offset);
    let spanStart = at;
    let path = "";
    for (const segment of segments) {
      const c = this.text[at];
      const parentPath = path;
      path = `${path}/${segment}`;
      if (c === "{") {
        const cached = parentPath.split("/").length <= 2 ? this.memberStarts.get(path) : undefined;
        const found = cached ?? this.member(at, segment);
        if (!found) break;
        if (parentPath.split("/").length <= 2) this.memberStarts.set(path, found);
        spanStart = found.key;
        at = found.value;
      } else if (c === "[") {
        const index = Number(segment);
        if (!Number.isInteger(index) || index < 0) break;
        const found = this.element(at, index, parentPath.split("/").length <= 2 ? parentPath : undefined);
        if (found === undefined) break;
        spanStart = found;
        at = found;
      } else break;
    }
    return [spanStart, this.skipValue(at)];
  }

  private skipWs(i: number): number {
    const t = this.text;
    while (i < t.length) {
      const c = t.charCodeAt(i);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
      i++;
    }
    return i;
  }

  /** End of the string starting at i (its opening quote). */
  private skipString(i: number): number {
    const t = this.text;
    i++;
    while (i < t.length) {
      const q = t.indexOf('"', i);
      if (q < 0) return t.length;
      let backslashes = 0;
      for (let k = q - 1; t[k] === "\\"; k--) backslashes++;
      if (backslashes % 2 === 0) return q + 1;
      i = q + 1;
    }
    return t.length;
  }

  /** End of the value starting at i. */
  private skipValue(i: number): number {
    const t = this.text;
    const c = t[i];
    if (c === '"') return this.skipString(i);
    if (c === "{" || c === "[") {
      let depth = 0;
      while (i < t.length) {
        const ch = t.charCodeAt(i);
        if (ch === 34) {
          i = this.skipString(i);
          continue;
        }
        if (ch === 123 || ch === 91) depth++;
        else if (ch === 125 || ch === 93) {
          depth--;
          if (depth === 0) return i + 1;
        }
        i++;
      }
      return t.length;
    }
    while (i < t.length && !",}] \n\r\t".includes(t[i]!)) i++;
    return i;
  }

  /** The member `key` of the object at i: offsets of its key and value. */
  private member(i: number, key: string): { key: number; value: number } | undefined {
    const t = this.text;
    i = this.skipWs(i + 1);
    while (i < t.length && t[i] !== "}") {
      if (t[i] !== '"') return undefined;
      const keyEnd = this.skipString(i);
      const raw = t.slice(i + 1, keyEnd - 1);
      const name = raw.includes("\\") ? (JSON.parse(t.slice(i, keyEnd)) as string) : raw;
      let v = this.skipWs(keyEnd);
      if (t[v] !== ":") return undefined;
      v = this.skipWs(v + 1);
      if (name === key) return { key: i, value: v };
      i = this.skipWs(this.skipValue(v));
      if (t[i] === ",") i = this.skipWs(i + 1);
    }
    return undefined;
  }

  /** Start of element `index` of the array at i; element starts are cached for top-level arrays. */
  private element(i: number, index: number, cacheKey: string | undefined): number | undefined {
    const t = this.text;
    const starts = cacheKey !== undefined ? (this.arrayStarts.get(cacheKey) ?? []) : [];
    if (cacheKey !== undefined) this.arrayStarts.set(cacheKey, starts);
    if (index < starts.length) return starts[index];
    let at: number;
    let k: number;
    if (starts.length > 0) {
      at = this.skipWs(this.skipValue(starts[starts.length - 1]!));
      if (t[at] !== ",") return undefined;
      at = this.skipWs(at + 1);
      k = starts.length;
    } else {
      at = this.skipWs(i + 1);
      k = 0;
    }
    while (at < t.length && t[at] !== "]") {
      if (cacheKey !== undefined) starts.push(at);
      if (k === index) return at;
      at = this.skipWs(this.skipValue(at));
      if (t[at] === ",") at = this.skipWs(at + 1);
      k++;
    }
    return undefined;
  }

  /** Lines are indexed only when a finding asks for a position. */
  private position(offset: number): { line: number; column: number } {
    this.lines ??= new LineIndex(this.text);
    return this.lines.position(offset);
  }
}
