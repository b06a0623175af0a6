/**
 * The `yaml` package's concrete syntax tree, built without its generators. The package's `Parser`
 * turns every lexical token into three to five nested generator calls (parse → next → step → blockMap
 * → pop/lineEnd); on a 1 MB template that machinery, not the tree, is most of the parser's time and
 * garbage. This is the same state machine (yaml 2.x `parse/parser.js`, ISC licence, method by method,
 * same decisions, same tokens, same property order) as plain calls, fed by the package's lexer, also
 * without generators (yaml-lexer.ts).
 *
 * It covers what templates use. Anything else (errors, explicit `?` keys, document end markers,
 * directives, flow collections as keys) makes it return `undefined`, and the caller takes the
 * package's `Parser` instead: the tree it gives is then the package's own, whatever the text.
 * `test/sources/cloudformation/compose-yaml.test.ts` compares both trees on every text it reads.
 */
import { CST } from "yaml";
import { lexYaml } from "./yaml-lexer.js";

type SourceToken = CST.SourceToken;

/** An item of a collection while it is built (the package's `BlockMap`/`BlockSequence`/`FlowCollection` items). */
interface Item {
  start: SourceToken[];
  key?: Open | null;
  sep?: SourceToken[];
  value?: Open;
}

/** A token on the parser's stack, and what it becomes in the tree: one loose shape for all of them. */
interface Open {
  type: string;
  offset: number;
  indent: number;
  source: string;
  start: SourceToken[] & SourceToken;
  items: Item[];
  end?: SourceToken[];
  props: SourceToken[];
  value?: Open;
}

/** Thrown (one instance, no stack) when the text is left to the package's parser. */
const UNSUPPORTED = new Error("left to the yaml package's parser");
function unsupported(): never {
  throw UNSUPPORTED;
}

function includesToken(list: readonly SourceToken[], type: string): boolean {
  for (let i = 0; i < list.length; ++i) if (list[i]!.type === type) return true;
  return false;
}

function findNonEmptyIndex(list: readonly SourceToken[]): number {
  for (let i = 0; i < list.length; ++i) {
    const type = list[i]!.type;
    if (type !== "space" && type !== "comment" && type !== "newline") return i;
  }
  return -1;
}

function isFlowToken(token: Open | null | undefined): boolean {
  switch (token?.type) {
    case "alias":
    case "scalar":
    case "single-quoted-scalar":
    case "double-quoted-scalar":
    case "flow-collection":
      return true;
    default:
      return false;
  }
}

/** A token built here, as the loose shape. */
const asOpen = (token: object): Open => token as Open;

const last = <T>(list: T[]): T => list[list.length - 1]!;

function getPrevProps(parent: Open): SourceToken[] {
  switch (parent.type) {
    case "document":
      return parent.start;
    case "block-map": {
      const it = last(parent.items);
      return it.sep ?? it.start;
    }
    case "block-seq":
      return last(parent.items).start;
    default:
      return [];
  }
}

/** Note: may modify `prev`. */
function getFirstKeyStartProps(prev: SourceToken[]): SourceToken[] {
  if (prev.length === 0) return [];
  let i = prev.length;
  loop: while (--i >= 0) {
    switch (prev[i]!.type) {
      case "doc-start":
      case "explicit-key-ind":
      case "map-value-ind":
      case "seq-item-ind":
      case "newline":
        break loop;
    }
  }
  while (prev[++i]?.type === "space") {
    // skip
  }
  return prev.splice(i, prev.length);
}

function pushAll<T>(target: T[], source: readonly T[]): void {
  for (let i = 0; i < source.length; ++i) target.push(source[i]!);
}

function fixFlowSeqItems(fc: Open): void {
  if (fc.start.type !== "flow-seq-start") return;
  for (const it of fc.items) {
    if (it.sep && !it.value && !includesToken(it.start, "explicit-key-ind") && !includesToken(it.sep, "map-value-ind")) {
      if (it.key) it.value = it.key;
      delete it.key;
      if (isFlowToken(it.value)) {
        if (it.value!.end) pushAll(it.value!.end, it.sep);
        else it.value!.end = it.sep;
      } else pushAll(it.start, it.sep);
      delete it.sep;
    }
  }
}

/** Told of each tag as it is read, and of each block collection inside another as it closes (complete). */
export interface CstListener {
  tag(source: string): void;
  /** `depth` counts the collections around it: 1 for a value of the root collection. */
  closed(token: CST.BlockMap | CST.BlockSequence, depth: number): void;
}

/** The top-level tokens of the text as the package's `Parser` gives them, or `undefined` (see above). */
export function parseCst(text: string, listener?: CstListener): CST.Token[] | undefined {
  const parser = new CstParser(listener);
  try {
    lexYaml(text, parser);
    parser.end();
  } catch (error) {
    if (error === UNSUPPORTED || error instanceof RangeError) return undefined;
    throw error;
  }
  return parser.out as unknown as CST.Token[];
}

class CstParser {
  readonly out: Open[] = [];
  /** If true, space and sequence indicators count as indentation. */
  private atNewLine = true;
  /** If true, the next lexeme is a scalar value. */
  private atScalar = false;
  private indent = 0;
  private offset = 0;
  /** On the same line as a block map key. */
  private onKeyLine = false;
  private readonly stack: Open[] = [];
  private source = "";
  private type = "";

  constructor(private readonly listener: CstListener | undefined) {}

  next(source: string): void {
    this.source = source;
    if (this.atScalar) {
      this.atScalar = false;
      this.step();
      this.offset += source.length;
      return;
    }
    const type = CST.tokenType(source);
    if (type === "scalar") {
      this.atNewLine = false;
      this.atScalar = true;
      this.type = "scalar";
      return;
    }
    // not a token, or something the package's parser is left to
    if (!type || type === "explicit-key-ind" || type === "doc-end" || type === "directive-line" || type === "flow-error-end") unsupported();
    this.type = type;
    if (type === "tag") this.listener?.tag(source);
    this.step();
    switch (type) {
      case "newline":
        this.atNewLine = true;
        this.indent = 0;
        break;
      case "space":
        if (this.atNewLine && source[0] === " ") this.indent += source.length;
        break;
      case "map-value-ind":
      case "seq-item-ind":
        if (this.atNewLine) this.indent += source.length;
        break;
      case "doc-mode":
        return;
      default:
        this.atNewLine = false;
    }
    this.offset += source.length;
  }

  end(): void {
    while (this.stack.length > 0) this.pop();
  }

  private token(): SourceToken {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as SourceToken;
  }

  /**
   * `list` with the current token appended. A short list is copied at its exact size: a list pushed
   * to keeps room for 17 tokens, and nearly all of them hold one to three (most of the tree's memory).
   * Every list has one owner at any time, so the copy is never seen through another reference.
   */
  private add(list: SourceToken[]): SourceToken[] {
    const token = this.token();
    switch (list.length) {
      case 0:
        return [token];
      case 1:
        return [list[0]!, token];
      case 2:
        return [list[0]!, list[1]!, token];
      default:
        list.push(token);
        return list;
    }
  }

  private peek(n: number): Open | undefined {
    return this.stack[this.stack.length - n];
  }

  private step(): void {
    const top = this.peek(1);
    if (!top) {
      this.stream();
      return;
    }
    switch (top.type) {
      case "document":
        this.document(top);
        return;
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        this.scalar(top);
        return;
      case "block-scalar":
        this.blockScalar(top);
        return;
      case "block-map":
        this.blockMap(top);
        return;
      case "block-seq":
        this.blockSequence(top);
        return;
      case "flow-collection":
        this.flowCollection(top);
        return;
    }
    unsupported();
  }

  private pop(): void {
    const token = this.stack.pop();
    if (!token) unsupported();
    if (this.stack.length === 0) {
      this.out.push(token);
      return;
    }
    const top = this.peek(1)!;
    if (token.type === "block-scalar") {
      // block scalars use their parent's indent rather than their header's
      token.indent = "indent" in top ? top.indent : 0;
    } else if (token.type === "flow-collection" && top.type === "document") {
      token.indent = 0; // top-level flow collections ignore indentation
    }
    if (token.type === "flow-collection") fixFlowSeqItems(token);
    switch (top.type) {
      case "document":
        top.value = token;
        break;
      case "block-map": {
        const it = last(top.items);
        if (it.value) {
          top.items.push({ start: [], key: token, sep: [] });
          this.onKeyLine = true;
          return;
        }
        if (it.sep) it.value = token;
        else {
          Object.assign(it, { key: token, sep: [] });
          this.onKeyLine = true;
          return;
        }
        break;
      }
      case "block-seq": {
        const it = last(top.items);
        if (it.value) top.items.push({ start: [], value: token });
        else it.value = token;
        break;
      }
      case "flow-collection": {
        const it = top.items[top.items.length - 1];
        if (!it || it.value) top.items.push({ start: [], key: token, sep: [] });
        else if (it.sep) it.value = token;
        else Object.assign(it, { key: token, sep: [] });
        return;
      }
      default:
        unsupported(); // a block scalar's props, an error in the package's parser
    }
    this.moveTrailingItem(top, token);
    if (
      this.listener &&
      (top.type === "block-map" || top.type === "block-seq") &&
      (token.type === "block-map" || token.type === "block-seq")
    ) {
      this.listener.closed(token as unknown as CST.BlockMap | CST.BlockSequence, this.stack.length - 1);
    }
  }

  /** A closed block collection hands its trailing comment and blank lines to its parent, unless they are indented into it. */
  private moveTrailingItem(top: Open, token: Open): void {
    if (top.type !== "document" && top.type !== "block-map" && top.type !== "block-seq") return;
    if (token.type !== "block-map" && token.type !== "block-seq") return;
    const lastItem = token.items[token.items.length - 1];
    if (
      lastItem &&
      !lastItem.sep &&
      !lastItem.value &&
      lastItem.start.length > 0 &&
      findNonEmptyIndex(lastItem.start) === -1 &&
      (token.indent === 0 || lastItem.start.every((st) => st.type !== "comment" || st.indent < token.indent))
    ) {
      if (top.type === "document") top.end = lastItem.start;
      else top.items.push({ start: lastItem.start });
      token.items.splice(-1, 1);
    }
  }

  private stream(): void {
    switch (this.type) {
      case "byte-order-mark":
      case "space":
      case "comment":
      case "newline":
        this.out.push(this.token() as Open);
        return;
      case "doc-mode":
      case "doc-start": {
        const doc = asOpen({ type: "document", offset: this.offset, start: [] as SourceToken[] });
        if (this.type === "doc-start") doc.start.push(this.token());
        this.stack.push(doc);
        return;
      }
    }
    unsupported(); // an error token
  }

  private document(doc: Open): void {
    if (doc.value) {
      this.lineEnd(doc);
      return;
    }
    switch (this.type) {
      case "doc-start":
        if (findNonEmptyIndex(doc.start) !== -1) unsupported(); // a second document
        doc.start.push(this.token());
        return;
      case "anchor":
      case "tag":
      case "space":
      case "comment":
      case "newline":
        doc.start.push(this.token());
        return;
    }
    const bv = this.startBlockValue(doc);
    if (!bv) unsupported();
    this.stack.push(bv);
  }

  private scalar(scalar: Open): void {
    if (this.type !== "map-value-ind") {
      this.lineEnd(scalar);
      return;
    }
    const prev = getPrevProps(this.peek(2)!);
    const start = getFirstKeyStartProps(prev);
    let sep: SourceToken[];
    if (scalar.end) {
      sep = this.add(scalar.end);
      delete scalar.end;
    } else sep = [this.token()];
    const map = asOpen({ type: "block-map", offset: scalar.offset, indent: scalar.indent, items: [{ start, key: scalar, sep }] });
    this.onKeyLine = true;
    this.stack[this.stack.length - 1] = map;
  }

  private blockScalar(scalar: Open): void {
    switch (this.type) {
      case "space":
      case "comment":
      case "newline":
        scalar.props = this.add(scalar.props);
        return;
      case "scalar":
        scalar.source = this.source;
        // a block scalar's source includes its trailing newline
        this.atNewLine = true;
        this.indent = 0;
        this.pop();
        break;
      default:
        this.pop();
        this.step();
    }
  }

  private blockMap(map: Open): void {
    const it = last(map.items);
    switch (this.type) {
      case "newline":
        this.onKeyLine = false;
        if (it.value) {
          const end = "end" in it.value ? it.value.end : undefined;
          const lastToken = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (lastToken?.type === "comment") it.value.end = this.add(end!);
          else map.items.push({ start: [this.token()] });
        } else if (it.sep) it.sep = this.add(it.sep);
        else it.start = this.add(it.start);
        return;
      case "space":
      case "comment":
        if (it.value) map.items.push({ start: [this.token()] });
        else if (it.sep) it.sep = this.add(it.sep);
        else if (!this.indentedComment(map, it)) it.start = this.add(it.start);
        return;
    }
    if (this.indent >= map.indent && this.blockMapValue(map, it)) return;
    this.pop();
    this.step();
  }

  /** A comment indented past the collection right after a value goes to that value's end. */
  private indentedComment(collection: Open, it: Item): boolean {
    if (!this.atIndentedComment(it.start, collection.indent)) return false;
    const prev = collection.items[collection.items.length - 2];
    const end = prev?.value?.end;
    if (!Array.isArray(end)) return false;
    pushAll(end, it.start);
    end.push(this.token());
    collection.items.pop();
    return true;
  }

  /** A token at or past the map's indentation; false when it closes the map instead. */
  private blockMapValue(map: Open, it: Item): boolean {
    const atMapIndent = !this.onKeyLine && this.indent === map.indent;
    const atNextItem = atMapIndent && it.sep !== undefined && this.type !== "seq-item-ind";
    // for empty nodes, newline-separated tokens that are not indented go to the following node
    let start: SourceToken[] = [];
    if (atNextItem && it.sep && !it.value) {
      const nl: number[] = [];
      for (let i = 0; i < it.sep.length; ++i) {
        const st = it.sep[i]!;
        switch (st.type) {
          case "newline":
            nl.push(i);
            break;
          case "space":
            break;
          case "comment":
            if (st.indent > map.indent) nl.length = 0;
            break;
          default:
            nl.length = 0;
        }
      }
      if (nl.length >= 2) start = it.sep.splice(nl[1]!);
    }
    switch (this.type) {
      case "anchor":
      case "tag":
        if (atNextItem || it.value) {
          start.push(this.token());
          map.items.push({ start });
          this.onKeyLine = true;
        } else if (it.sep) it.sep = this.add(it.sep);
        else it.start = this.add(it.start);
        return true;
      case "map-value-ind":
        if (!it.sep) Object.assign(it, { key: null, sep: [this.token()] });
        else if (it.value || atNextItem) map.items.push({ start, key: null, sep: [this.token()] });
        else if (includesToken(it.sep, "map-value-ind")) {
          this.stack.push(
            asOpen({ type: "block-map", offset: this.offset, indent: this.indent, items: [{ start: [], key: null, sep: [this.token()] }] }),
          );
        } else it.sep = this.add(it.sep);
        this.onKeyLine = true;
        return true;
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar": {
        const fs = this.flowScalar(this.type);
        if (atNextItem || it.value) {
          map.items.push({ start, key: fs, sep: [] });
          this.onKeyLine = true;
        } else if (it.sep) this.stack.push(fs);
        else {
          Object.assign(it, { key: fs, sep: [] });
          this.onKeyLine = true;
        }
        return true;
      }
    }
    const bv = this.startBlockValue(map);
    if (!bv) return false;
    if (bv.type === "block-seq") {
      if (it.sep && !includesToken(it.sep, "newline")) unsupported(); // a sequence on the same line as its key
    } else if (atMapIndent) map.items.push({ start });
    this.stack.push(bv);
    return true;
  }

  private blockSequence(seq: Open): void {
    const it = last(seq.items);
    switch (this.type) {
      case "newline":
        if (it.value) {
          const end = "end" in it.value ? it.value.end : undefined;
          const lastToken = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (lastToken?.type === "comment") it.value.end = this.add(end!);
          else seq.items.push({ start: [this.token()] });
        } else it.start = this.add(it.start);
        return;
      case "space":
      case "comment":
        if (it.value) seq.items.push({ start: [this.token()] });
        else if (!this.indentedComment(seq, it)) it.start = this.add(it.start);
        return;
      case "anchor":
      case "tag":
        if (it.value || this.indent <= seq.indent) break;
        it.start = this.add(it.start);
        return;
      case "seq-item-ind":
        if (this.indent !== seq.indent) break;
        if (it.value || includesToken(it.start, "seq-item-ind")) seq.items.push({ start: [this.token()] });
        else it.start = this.add(it.start);
        return;
    }
    if (this.indent > seq.indent) {
      const bv = this.startBlockValue(seq);
      if (bv) {
        this.stack.push(bv);
        return;
      }
    }
    this.pop();
    this.step();
  }

  private flowCollection(fc: Open): void {
    if (fc.end!.length === 0) {
      this.openFlowCollection(fc);
      return;
    }
    const parent = this.peek(2)!;
    if (
      parent.type === "block-map" &&
      ((this.type === "map-value-ind" && parent.indent === fc.indent) || (this.type === "newline" && !last(parent.items).sep))
    ) {
      this.pop();
      this.step();
    } else if (this.type === "map-value-ind" && parent.type !== "flow-collection") {
      unsupported(); // a flow collection as a key
    } else this.lineEnd(fc);
  }

  private openFlowCollection(fc: Open): void {
    const it = fc.items[fc.items.length - 1];
    switch (this.type) {
      case "comma":
        if (!it || it.sep) fc.items.push({ start: [this.token()] });
        else it.start = this.add(it.start);
        return;
      case "map-value-ind":
        if (!it || it.value) fc.items.push({ start: [], key: null, sep: [this.token()] });
        else if (it.sep) it.sep = this.add(it.sep);
        else Object.assign(it, { key: null, sep: [this.token()] });
        return;
      case "space":
      case "comment":
      case "newline":
      case "anchor":
      case "tag":
        if (!it || it.value) fc.items.push({ start: [this.token()] });
        else if (it.sep) it.sep = this.add(it.sep);
        else it.start = this.add(it.start);
        return;
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar": {
        const fs = this.flowScalar(this.type);
        if (!it || it.value) fc.items.push({ start: [], key: fs, sep: [] });
        else if (it.sep) this.stack.push(fs);
        else Object.assign(it, { key: fs, sep: [] });
        return;
      }
      case "flow-map-end":
      case "flow-seq-end":
        fc.end = this.add(fc.end!);
        return;
    }
    const bv = this.startBlockValue(fc);
    if (bv) this.stack.push(bv);
    else {
      this.pop();
      this.step();
    }
  }

  private flowScalar(type: string): Open {
    return { type, offset: this.offset, indent: this.indent, source: this.source } as Open;
  }

  private startBlockValue(parent: Open): Open | null {
    switch (this.type) {
      case "alias":
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
        return this.flowScalar(this.type);
      case "block-scalar-header":
        return asOpen({ type: "block-scalar", offset: this.offset, indent: this.indent, props: [this.token()], source: "" });
      case "flow-map-start":
      case "flow-seq-start":
        return asOpen({ type: "flow-collection", offset: this.offset, indent: this.indent, start: this.token(), items: [], end: [] });
      case "seq-item-ind":
        return asOpen({ type: "block-seq", offset: this.offset, indent: this.indent, items: [{ start: [this.token()] }] });
      case "map-value-ind": {
        this.onKeyLine = true;
        const start = getFirstKeyStartProps(getPrevProps(parent));
        return asOpen({ type: "block-map", offset: this.offset, indent: this.indent, items: [{ start, key: null, sep: [this.token()] }] });
      }
    }
    return null;
  }

  private atIndentedComment(start: readonly SourceToken[], indent: number): boolean {
    if (this.type !== "comment" || this.indent <= indent) return false;
    return start.every((st) => st.type === "newline" || st.type === "space");
  }

  private lineEnd(token: Open): void {
    switch (this.type) {
      case "comma":
      case "doc-start":
      case "flow-seq-end":
      case "flow-map-end":
      case "map-value-ind":
        this.pop();
        this.step();
        return;
    }
    if (this.type === "newline") this.onKeyLine = false;
    // anything else here is an error in the package's parser, found when the tree is composed
    token.end = token.end ? this.add(token.end) : [this.token()];
    if (this.type === "newline") this.pop();
  }
}
