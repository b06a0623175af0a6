/**
 * Lazy positions in the plan file: a JSON pointer is found by walking the text, skipping whole values
 * that are not on the way, only when a report asks for a finding's line. The members and elements passed
 * on the way are remembered (for the objects and arrays on some finding's way only), so later lookups jump
 * there or go on where the last one stopped. Nothing is computed per node of a large plan.
 */
import type { Region } from "../../model/index.js";
import { splitPointer } from "../common/json-pointer.js";
import { LineIndex } from "../common/line-index.js";

/** What is known of one object of the text: the members found so far, and where the search for others goes on. */
interface ObjectScan {
  readonly members: Map<string, { key: number; value: number }>;
  /** Offset of the value of the last member found (the search goes on after it); -1 when the scan is over. */
  resume: number;
}

export class PlanPositions {
  /** Objects and arrays on the way to positions asked for, by their start offset: a later lookup goes on where one stopped. */
  private readonly objects = new Map<number, ObjectScan>();
  private readonly arrays = new Map<number, number[]>();
  private lines?: LineIndex;

  constructor(
    private readonly text: string,
    /** Where the plan object starts in the file (after CI log lines). */
    private readonly offset: number,
    /** Ends of containers already known (from the duplicate-key scan), by their start: skipped without a scan. */
    private readonly ends?: ReadonlyMap<number, number>,
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
    for (const segment of segments) {
      const c = this.text[at];
      if (c === "{") {
        const found = this.member(at, segment);
        if (!found) break;
        spanStart = found.key;
        at = found.value;
      } else if (c === "[") {
        const index = Number(segment);
        if (!Number.isInteger(index) || index < 0) break;
        const found = this.element(at, index);
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
      const known = this.ends?.get(i);
      if (known !== undefined) return known;
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

  /** The member `key` of the object at `start`: offsets of its key and value. */
  private member(start: number, key: string): { key: number; value: number } | undefined {
    let scan = this.objects.get(start);
    if (!scan) {
      scan = { members: new Map(), resume: -2 };
      this.objects.set(start, scan);
    }
    const known = scan.members.get(key);
    if (known || scan.resume === -1) return known;
    const t = this.text;
    let i: number;
    if (scan.resume === -2) i = this.skipWs(start + 1);
    else {
      i = this.skipWs(this.skipValue(scan.resume));
      if (t[i] === ",") i = this.skipWs(i + 1);
    }
    scan.resume = -1;
    while (i < t.length && t[i] !== "}") {
      if (t[i] !== '"') return undefined;
      const keyEnd = this.skipString(i);
      const raw = t.slice(i + 1, keyEnd - 1);
      const name = raw.includes("\\") ? (JSON.parse(t.slice(i, keyEnd)) as string) : raw;
      let v = this.skipWs(keyEnd);
      if (t[v] !== ":") return undefined;
      v = this.skipWs(v + 1);
      // The first of equal keys, as the search from the start found it.
      const found = { key: i, value: v };
      if (!scan.members.has(name)) scan.members.set(name, found);
      if (name === key) {
        scan.resume = v;
        return scan.members.get(name);
      }
      i = this.skipWs(this.skipValue(v));
      if (t[i] === ",") i = this.skipWs(i + 1);
    }
    return undefined;
  }

  /** Start of element `index` of the array at `start`; the starts of the elements passed on the way are kept. */
  private element(start: number, index: number): number | undefined {
    const t = this.text;
    let starts = this.arrays.get(start);
    if (!starts) {
      starts = [];
      this.arrays.set(start, starts);
    }
    if (index < starts.length) return starts[index];
    let at: number;
    let k: number;
    if (starts.length > 0) {
      at = this.skipWs(this.skipValue(starts[starts.length - 1]!));
      if (t[at] !== ",") return undefined;
      at = this.skipWs(at + 1);
      k = starts.length;
    } else {
      at = this.skipWs(start + 1);
      k = 0;
    }
    while (at < t.length && t[at] !== "]") {
      starts.push(at);
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
