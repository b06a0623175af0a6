/**
 * Positions of the parsed template. Parsers record, per container (object or array), the source
 * span of each entry (for a mapping entry: from the key to the end of the value). A JSON pointer is
 * located by walking the parsed tree, so nothing is stored per pointer and lookups cost O(depth).
 */
import type { Region } from "../../model/index.js";

/** [start, end) offsets into the source text. */
export type Span = readonly [number, number];

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export class SpanTable {
  // A Map, not a WeakMap: the table lives as long as the tree it describes, and weak keys cost the
  // garbage collector on every pass (tens of thousands of containers in a large template).
  private readonly table = new Map<object, Map<string, Span> | Span[]>();
  root: Span = [0, 0];

  setObject(container: object, spans: Map<string, Span>): void {
    this.table.set(container, spans);
  }

  setArray(container: object, spans: Span[]): void {
    this.table.set(container, spans);
  }

  /** The span of the entry at `pointer` (RFC 6901), or of its nearest located ancestor. */
  spanOf(root: Json, pointer: string): Span {
    if (pointer === "" || pointer === "/") return this.root;
    let node: Json | undefined = root;
    let span: Span = this.root;
    for (const segment of splitPointer(pointer)) {
      if (node === null || typeof node !== "object") break;
      const spans = this.table.get(node);
      if (Array.isArray(node)) {
        const index = Number(segment);
        const s = Array.isArray(spans) ? spans[index] : undefined;
        if (!s) break;
        span = s;
        node = node[index];
      } else {
        const s = spans instanceof Map ? spans.get(segment) : undefined;
        if (!s) break;
        span = s;
        node = Object.hasOwn(node, segment) ? node[segment] : undefined;
      }
    }
    return span;
  }
}

import { childPointer, escapePointerSegment, splitPointer } from "../common/json-pointer.js";
import { LineIndex as BaseLineIndex } from "../common/line-index.js";

export { childPointer, escapePointerSegment, splitPointer };

/** Line/column of offsets, and regions of spans, in a template's text. */
export class LineIndex extends BaseLineIndex {
  /** A region; the end is exclusive (the column after the last character), trailing blanks trimmed. */
  region(span: Span): Region {
    let end = span[1];
    while (end > span[0] && /\s/.test(this.text[end - 1] ?? "")) end--;
    const start = this.position(span[0]);
    const stop = this.position(end);
    return { startLine: start.line, startColumn: start.column, endLine: stop.line, endColumn: stop.column };
  }
}
