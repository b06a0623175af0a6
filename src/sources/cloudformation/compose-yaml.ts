/**
 * A light composer for YAML templates: the `yaml` package's parser gives the concrete syntax tree
 * (tokens with offsets); this turns it straight into template JSON plus spans, without building the
 * package's document model (nodes, pairs, comments, schema objects), which is most of the cost of
 * `parseDocument` on a large template.
 *
 * It follows the package's own composition step by step (which tokens may stand where, what ends a
 * node, where an empty value sits, how a plain scalar is typed with the schema's tags), so values and
 * spans are those the document model gives. It takes on only what a well-formed CloudFormation template
 * uses: anything else (any syntax error, aliases, explicit `?` keys, directives, several documents,
 * `!!` or verbatim tags, empty or non-scalar keys, pairs in flow sequences, duplicate keys) makes it
 * return `undefined`, and the caller reads the text with the document model, whose answers and error
 * messages stay the reference. CloudFormation itself accepts no aliases. Nesting deeper than
 * MAX_DEPTH is the one error it reports itself, as the conversion of the document model does.
 *
 * A template larger than a piece (PIECE_CHARS) is parsed a piece at a time, cut between the entries of its
 * root mapping and of a large entry's mapping, so that no syntax tree outlives its piece (composeInPieces).
 */
import { CST, Document, isScalar, Parser } from "yaml";
import { MAX_DEPTH, setEntry } from "./parse-json.js";
import { type Json, type Span, SpanTable } from "./positions.js";
import { CUSTOM_TAGS, scalarJson, wrapTag, YamlSyntaxError } from "./yaml-tags.js";

export interface ComposedYaml {
  root: Json;
  spans: SpanTable;
  unknownTags: Map<string, number>;
}

/** Thrown (one instance, no stack) when the text needs the document model. */
const LEAVE = new Error("left to the document model");
function leave(): never {
  throw LEAVE;
}

type Token = CST.Token;
type SourceToken = CST.SourceToken;

/** The schema's tags that type a plain scalar, in the order the package tries them. */
interface ScalarTag {
  default?: boolean | "key";
  test?: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
}
let plainTags: { tags: ScalarTag[]; options: object } | undefined;
function schemaTags(): { tags: ScalarTag[]; options: object } {
  if (!plainTags) {
    const doc = new Document(null, { customTags: CUSTOM_TAGS });
    const tags = (doc.schema.tags as unknown as (ScalarTag & { collection?: string })[]).filter((t) => !t.collection && t.test);
    plainTags = { tags, options: doc.options };
  }
  return plainTags;
}

/** Plain scalars that no default tag of the core schema matches start with none of these (or are empty). */
const MAYBE_TYPED = /^[-+.~0-9nNtTfF]/;

/** A plain scalar starting with one of these is never an error and, on one line, is its own text. */
const SIMPLE_PLAIN_START = /^[A-Za-z0-9/._$-]/;

/** Properties before a node or after an indicator, as the package's `resolveProps` reads them. */
interface Props {
  found: SourceToken | null;
  anchor: SourceToken | null;
  tag: SourceToken | null;
  comma: SourceToken | null;
  newlineAfterProp: SourceToken | null;
  hasNewline: boolean;
  hasComment: boolean;
  end: number;
  start: number;
}

function readProps(
  tokens: readonly SourceToken[],
  flow: boolean,
  indicator: string,
  next: Token | null | undefined,
  offset: number,
  parentIndent: number,
  startOnNewline: boolean,
): Props {
  let atNewline = startOnNewline;
  let hasSpace = startOnNewline;
  let hasComment = false;
  let hasNewline = false;
  let reqSpace = false;
  let tab: SourceToken | null = null;
  let anchor: SourceToken | null = null;
  let tag: SourceToken | null = null;
  let newlineAfterProp: SourceToken | null = null;
  let comma: SourceToken | null = null;
  let found: SourceToken | null = null;
  let start: number | null = null;
  for (const token of tokens) {
    const type = token.type;
    if (reqSpace) {
      if (type !== "space" && type !== "newline" && type !== "comma") leave();
      reqSpace = false;
    }
    if (tab) {
      if (atNewline && type !== "comment" && type !== "newline") leave();
      tab = null;
    }
    switch (type) {
      case "space":
        if (!flow && (indicator !== "doc-start" || next?.type !== "flow-collection") && token.source.includes("\t")) tab = token;
        hasSpace = true;
        break;
      case "comment":
        if (!hasSpace) leave();
        hasComment = true;
        atNewline = false;
        break;
      case "newline":
        atNewline = true;
        hasNewline = true;
        if (anchor || tag) newlineAfterProp = token;
        hasSpace = true;
        break;
      case "anchor":
        if (anchor || token.source.length < 2) leave();
        anchor = token;
        start ??= token.offset;
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      case "tag":
        if (tag || !isLocalTag(token.source)) leave();
        tag = token;
        start ??= token.offset;
        atNewline = false;
        hasSpace = false;
        reqSpace = true;
        break;
      default:
        if (type === indicator) {
          if (anchor || tag || found) leave();
          found = token;
          atNewline = indicator === "seq-item-ind" || indicator === "explicit-key-ind";
          hasSpace = false;
        } else if (type === "comma" && flow) {
          if (comma) leave();
          comma = token;
          atNewline = false;
          hasSpace = false;
        } else leave();
    }
  }
  const last = tokens[tokens.length - 1];
  const end = last ? last.offset + last.source.length : offset;
  if (
    reqSpace &&
    next &&
    next.type !== "space" &&
    next.type !== "newline" &&
    next.type !== "comma" &&
    (next.type !== "scalar" || next.source !== "")
  ) {
    leave();
  }
  if (tab && ((atNewline && tab.indent <= parentIndent) || next?.type === "block-map" || next?.type === "block-seq")) leave();
  return { found, anchor, tag, comma, newlineAfterProp, hasNewline, hasComment, end, start: start ?? end };
}

/** `!Name`: a local tag without `%` escapes, which the package keeps as written. */
function isLocalTag(source: string): boolean {
  if (source.length < 2 || source[1] === "<") return false;
  for (let i = 1; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 0x21 || c === 0x25) return false; // ! %
  }
  return true;
}

/** Offset after trailing spaces, comments and line breaks (the package's `resolveEnd`). */
function endOffset(end: readonly SourceToken[] | undefined, offset: number): number {
  if (end) {
    for (const token of end) {
      if (token.type !== "space" && token.type !== "comment" && token.type !== "newline") leave();
      offset += token.source.length;
    }
  }
  return offset;
}

/** Where the package places an empty value: after the last indicator or property, past its spaces. */
function emptyScalarOffset(offset: number, before: readonly SourceToken[] | undefined): number {
  if (before) {
    for (let i = before.length - 1; i >= 0; --i) {
      let token = before[i]!;
      if (token.type === "space" || token.type === "comment" || token.type === "newline") {
        offset -= token.source.length;
        continue;
      }
      token = before[++i]!;
      while (token?.type === "space") {
        offset += token.source.length;
        token = before[++i]!;
      }
      break;
    }
  }
  return offset;
}

function containsNewline(key: Token): boolean {
  const scalar = key as CST.FlowScalar;
  if (scalar.source.includes("\n")) return true;
  if (scalar.end) for (const token of scalar.end) if (token.type === "newline") return true;
  return false;
}

/** Throws the nesting error at the first node (in document order) deeper than MAX_DEPTH. */
function checkDepth(root: Token): void {
  const stack: [Token, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [token, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) throw new YamlSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, token.offset);
    if (token.type !== "block-map" && token.type !== "block-seq" && token.type !== "flow-collection") continue;
    const items = (token as CST.BlockMap | CST.BlockSequence | CST.FlowCollection).items as CST.CollectionItem[];
    for (let i = items.length - 1; i >= 0; i--) {
      const { key, value } = items[i]!;
      if (value) stack.push([value, depth + 1]);
      // a scalar key is text, not a node of the template (as in the document model's conversion)
      if (key && (key.type === "block-map" || key.type === "block-seq" || key.type === "flow-collection")) stack.push([key, depth + 1]);
    }
  }
}

/** `Key:` alone on its line (a comment may follow): an entry whose value starts on the next lines. */
const SECTION_HEADER = /^([A-Za-z_][\w.-]*): *(?: #[^\n]*)?\r?\n/;

/** A plain key that reads as its own text (not null or a boolean), then `:` and a space or break. */
const PLAIN_KEY = /([A-Za-z_][\w.-]*):(?=[ \t\r\n]|$)/y;
const TYPED_KEY = /^(?:null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;

/** Offsets of the lines in [from, to) that start with exactly `indent` spaces and a plain key. */
function keyLines(text: string, from: number, to: number, indent: number): number[] {
  const cuts: number[] = [];
  for (let line = from; line < to; ) {
    const at = line + indentOf(text, line);
    if (at - line === indent) {
      PLAIN_KEY.lastIndex = at;
      const key = PLAIN_KEY.exec(text);
      if (key && !TYPED_KEY.test(key[1]!)) cuts.push(line);
    }
    const next = text.indexOf("\n", at);
    if (next === -1) break;
    line = next + 1;
  }
  return cuts;
}

/** The number of spaces that start the line at `line`. */
function indentOf(text: string, line: number): number {
  let at = line;
  while (text.charCodeAt(at) === 0x20) at++;
  return at - line;
}

/** The offset of the first line in [from, to) that is neither blank nor a comment (undefined: none). */
function firstContentLine(text: string, from: number, to: number): number | undefined {
  for (let line = from; line < to; ) {
    let at = line;
    while (at < to && text.charCodeAt(at) === 0x20) at++;
    const c = text.charCodeAt(at);
    if (at < to && c !== 0x0a && c !== 0x0d && c !== 0x23) return line;
    if (c === 0x0d && text.charCodeAt(at + 1) !== 0x0a) return line;
    const next = text.indexOf("\n", at);
    if (next === -1 || next >= to) return undefined;
    line = next + 1;
  }
  return undefined;
}

const isBlock = (token: Token | null | undefined): boolean => token?.type === "block-map" || token?.type === "block-seq";

/** The text of a one-line scalar that needs no unquoting or folding, or `undefined`. */
function simpleText(token: CST.FlowScalar): string | undefined {
  const source = token.source;
  if (source.includes("\n") || source.includes("\r")) return undefined;
  switch (token.type) {
    case "scalar":
      return SIMPLE_PLAIN_START.test(source) ? source : undefined;
    case "single-quoted-scalar":
      if (source.length < 2 || source[source.length - 1] !== "'") return undefined;
      return source.includes("''") ? source.slice(1, -1).replace(/''/g, "'") : source.slice(1, -1);
    case "double-quoted-scalar":
      if (source.length < 2 || source[source.length - 1] !== '"' || source.includes("\\")) return undefined;
      return source.slice(1, -1);
    default:
      return undefined;
  }
}

/**
 * The one document of the text, or leave (several documents, directives, document end markers, errors).
 * `base`: where the text starts in the whole template (the parser's public `offset`, so every token's
 * offset counts from the template's start).
 */
function singleDocument(text: string, base = 0): CST.Document {
  let document: CST.Document | undefined;
  const parser = new Parser();
  parser.offset = base;
  for (const token of parser.parse(text)) {
    switch (token.type) {
      case "document":
        if (document) leave(); // several documents
        document = token;
        break;
      case "comment":
      case "newline":
      case "space":
      case "byte-order-mark":
        break;
      default:
        leave(); // directives, document end markers, errors
    }
  }
  if (!document?.value) return leave();
  return document;
}

/** A text longer than this is read in pieces of about this size (composeYamlInPieces). */
const PIECE_CHARS = 4096;

/** Returns the template JSON of the text, or `undefined` when it needs the document model. */
export function composeYaml(text: string): ComposedYaml | undefined {
  try {
    if (text.length > PIECE_CHARS) {
      // Whatever the pieces cannot answer (a quoted scalar running across a cut, an error whose message
      // depends on the rest of the text), the whole tree answers.
      const pieces = composeYamlInPieces(text, PIECE_CHARS);
      if (pieces) return pieces;
    }
    return new YamlComposer().compose(text);
  } catch (error) {
    if (error === LEAVE || error instanceof RangeError) return undefined;
    throw error;
  }
}

/**
 * The text read in pieces only: `undefined` when it is not cut (too short, or not a mapping of plain keys)
 * or a piece needs the whole tree. For tests, which check that the pieces answer as the whole tree does.
 */
export function composeYamlInPieces(text: string, pieceChars: number): ComposedYaml | undefined {
  if (WHOLE_ONLY.test(text)) return undefined;
  try {
    return new YamlComposer().composeInPieces(text, pieceChars);
  } catch (error) {
    if (error === LEAVE || error instanceof RangeError || error instanceof YamlSyntaxError) return undefined;
    throw error;
  }
}

/** Texts read only whole: directives, document end markers, a byte order mark. */
const WHOLE_ONLY = /^(?:%|\.\.\.)|\uFEFF/m;
/** A document start marker alone on its line; allowed before the first entry, where a template may start. */
const DOCUMENT_START = /^---(?: +#[^\n]*)? *\r?\n/;
const ANOTHER_DOCUMENT = /^---/gm;

/**
 * One composition. The methods walk the syntax tree; what a node leaves for its parent (its range, and
 * for a scalar its typed value and text) is kept in fields rather than returned, so nothing is allocated
 * per node beyond the template's own values and spans.
 */
class YamlComposer {
  readonly spans = new SpanTable();
  readonly unknownTags = new Map<string, number>();
  private readonly typedTags: ScalarTag[];
  private readonly tagOptions: object;

  // The range of the node composed last: where it starts, where its value ends, and where it ends after
  // trailing space and comments.
  private nodeStart = 0;
  private valueEnd = 0;
  private nodeEnd = 0;

  // The scalar composed last: its value as the schema types it, and its text.
  private scalarTyped: unknown;
  private scalarText = "";

  constructor() {
    const { tags, options } = schemaTags();
    this.typedTags = tags;
    this.tagOptions = options;
  }

  compose(text: string): ComposedYaml {
    const document = singleDocument(text);
    const { start, value, end } = document;
    const props = readProps(start, false, "doc-start", value, document.offset, 0, true);
    if (props.found && (value!.type === "block-map" || value!.type === "block-seq") && !props.hasNewline) leave();
    let root: Json;
    try {
      root = this.node(value!, props, 0);
    } catch (error) {
      // Left to the document model: not with thousands of levels, which it composes to the end of the stack.
      if (error === LEAVE) checkDepth(value!);
      throw error;
    }
    this.spans.root = [this.nodeStart, this.valueEnd];
    endOffset(end, this.nodeEnd);
    return { root, spans: this.spans, unknownTags: this.unknownTags };
  }

  /**
   * The template read a piece at a time. The root mapping's entries, and the entries of a large entry's
   * mapping (Resources of a large template), are cut where a line starts with a plain key at the mapping's
   * indentation; each piece is parsed and composed on its own, so its syntax tree dies young instead of
   * living, and being copied by the garbage collector, until the whole text is parsed. Such a line starts a
   * new entry whatever came before it: a less indented line ends every node above it, and a quoted scalar
   * or flow collection left open at a cut makes its piece fail, and the text is then read whole. Values,
   * unknown tags, and where each span starts and its region are those of the whole tree; a span's end may
   * differ by the blanks after it (the package's parser gives the spaces and line breaks between entries to
   * one node or the next by what follows), which no region shows.
   */
  composeInPieces(text: string, pieceChars: number): ComposedYaml {
    const root: { [key: string]: Json } = {};
    const table = new Map<string, Span>();
    // Before the first entry: blank lines, comments and at most a document start marker; none after it.
    let first = firstContentLine(text, 0, text.length);
    if (first === undefined) leave();
    const marker = DOCUMENT_START.exec(text.slice(first, first + 1024));
    if (marker) first = firstContentLine(text, first + marker[0].length, text.length);
    if (first === undefined) leave();
    ANOTHER_DOCUMENT.lastIndex = first;
    if (ANOTHER_DOCUMENT.test(text)) leave();
    // The root mapping's indentation (a template may be indented as a whole).
    const indent = indentOf(text, first);
    const cuts = keyLines(text, first, text.length, indent);
    if (cuts[0] !== first) leave();
    const entryEnd = (k: number) => (k + 1 < cuts.length ? cuts[k + 1]! : text.length);
    const large = (k: number) => entryEnd(k) - cuts[k]! > 2 * pieceChars;
    let start: number | undefined;
    // Where the root mapping's value ends: after its last entry's value, trailing comments included.
    let end = 0;
    for (let i = 0; i < cuts.length; ) {
      if (i > 0 && large(i) && this.section(text, cuts[i]!, entryEnd(i), indent, root, table, pieceChars)) {
        end = this.nodeEnd;
        i++;
        continue;
      }
      const from = i === 0 ? 0 : cuts[i]!;
      let j = i + 1;
      while (j < cuts.length && cuts[j]! - from < pieceChars && !large(j)) j++;
      this.piece(text, from, j < cuts.length ? cuts[j]! : text.length, indent, 0, root, table);
      start ??= this.nodeStart;
      end = this.valueEnd;
      i = j;
    }
    this.spans.setObject(root, table);
    this.spans.root = [start ?? 0, end];
    return { root, spans: this.spans, unknownTags: this.unknownTags };
  }

  /**
   * A root entry `Key:` whose value is a block mapping on the lines below, read in pieces of its entries.
   * False (nothing composed) when the entry is not of that shape.
   */
  private section(
    text: string,
    from: number,
    to: number,
    rootIndent: number,
    root: { [key: string]: Json },
    table: Map<string, Span>,
    pieceChars: number,
  ): boolean {
    const keyStart = from + rootIndent;
    const header = SECTION_HEADER.exec(text.slice(keyStart, Math.min(to, keyStart + 1024)));
    if (!header) return false;
    const name = header[1]!;
    const first = firstContentLine(text, keyStart + header[0].length, to);
    if (first === undefined) return false;
    const indent = indentOf(text, first);
    if (indent <= rootIndent) return false;
    const cuts = keyLines(text, first, to, indent);
    if (cuts[0] !== first) return false;
    if (table.has(name)) leave();
    const object: { [key: string]: Json } = {};
    const entries = new Map<string, Span>();
    for (let i = 0; i < cuts.length; ) {
      let j = i + 1;
      while (j < cuts.length && cuts[j]! - cuts[i]! < pieceChars) j++;
      this.piece(text, cuts[i]!, j < cuts.length ? cuts[j]! : to, indent, 1, object, entries);
      i = j;
    }
    this.spans.setObject(object, entries);
    table.set(name, [keyStart, this.valueEnd]);
    setEntry(root, name, object);
    return true;
  }

  /** One piece: a block mapping at `indent` whose entries go into `object` and `table`. */
  private piece(
    text: string,
    from: number,
    to: number,
    indent: number,
    depth: number,
    object: { [key: string]: Json },
    table: Map<string, Span>,
  ): void {
    const document = singleDocument(text.slice(from, to), from);
    const map = document.value!;
    if (map.type !== "block-map" || map.indent !== indent) leave();
    const props = readProps(document.start, false, "doc-start", map, document.offset, 0, true);
    if (props.anchor || props.tag || (props.found && !props.hasNewline)) leave();
    this.mapEntries(map as CST.BlockMap, depth, object, table);
    endOffset(document.end, this.nodeEnd);
  }

  private typePlain(value: string, atKey: boolean): unknown {
    if (value !== "" && !MAYBE_TYPED.test(value)) return value;
    for (const tag of this.typedTags) {
      if ((tag.default === true || (atKey && tag.default === "key")) && tag.test!.test(value)) {
        const typed = tag.resolve(value, leave, this.tagOptions);
        return isScalar(typed) ? typed.value : typed;
      }
    }
    return value;
  }

  /** Reads a scalar: sets its typed value, text and range. */
  private scalar(token: Token, tag: SourceToken | null, atKey: boolean): void {
    let text: string | undefined;
    if (token.type !== "block-scalar") {
      const flow = token as CST.FlowScalar;
      text = simpleText(flow);
      if (text !== undefined) {
        this.nodeStart = flow.offset;
        this.valueEnd = this.nodeStart + flow.source.length;
        this.nodeEnd = endOffset(flow.end, this.valueEnd);
      }
    }
    if (text === undefined) {
      const resolved = CST.resolveAsScalar(token as CST.FlowScalar | CST.BlockScalar, false, leave);
      if (!resolved) leave();
      text = resolved!.value;
      this.nodeStart = resolved!.range[0];
      this.valueEnd = resolved!.range[1];
      this.nodeEnd = resolved!.range[2];
    }
    this.scalarText = text;
    // A tagged scalar is text: an intrinsic's tag keeps it as written, any other local tag is unresolved.
    this.scalarTyped = tag === null && token.type === "scalar" ? this.typePlain(text, atKey) : text;
  }

  private tagged(props: Props, value: Json): Json {
    if (props.tag === null) return value;
    return wrapTag(props.tag.source, value, [this.nodeStart, this.valueEnd], this.spans, this.unknownTags);
  }

  private emptyNode(offset: number, before: readonly SourceToken[] | undefined, props: Props): Json {
    const at = emptyScalarOffset(offset, before);
    this.nodeStart = at;
    this.valueEnd = at;
    this.nodeEnd = props.hasComment ? props.end : at;
    const value = props.tag === null ? this.typePlain("", false) : "";
    return this.tagged(props, scalarJson(value, "", true));
  }

  private node(token: Token, props: Props, depth: number): Json {
    // Said here, not left to the document model: composing thousands of levels, it runs out of stack.
    if (depth > MAX_DEPTH) throw new YamlSyntaxError(`nesting deeper than ${MAX_DEPTH} levels`, token.offset);
    let value: Json;
    switch (token.type) {
      case "scalar":
      case "single-quoted-scalar":
      case "double-quoted-scalar":
      case "block-scalar": {
        this.scalar(token, props.tag, false);
        value = scalarJson(this.scalarTyped, this.scalarText, token.type === "scalar");
        break;
      }
      case "block-map":
        value = this.blockMap(token as CST.BlockMap, depth);
        break;
      case "block-seq": {
        const { anchor, tag, newlineAfterProp } = props;
        const lastProp = anchor && tag ? (anchor.offset > tag.offset ? anchor : tag) : (anchor ?? tag);
        if (lastProp && (!newlineAfterProp || newlineAfterProp.offset < lastProp.offset)) leave();
        value = this.blockSeq(token as CST.BlockSequence, depth);
        break;
      }
      case "flow-collection":
        value = this.flowCollection(token as CST.FlowCollection, depth);
        break;
      default:
        // aliases, errors and anything unexpected
        return leave();
    }
    return this.tagged(props, value);
  }

  /** A mapping key: a plain or quoted scalar on one line, as text (`1` → "1", `~` → "null"). */
  private keyText(key: Token | null | undefined, props: Props): string {
    if (!key || (key.type !== "scalar" && key.type !== "single-quoted-scalar" && key.type !== "double-quoted-scalar")) leave();
    this.scalar(key!, props.tag, true);
    return String(this.scalarTyped);
  }

  private blockMap(map: CST.BlockMap, depth: number): Json {
    const object: { [key: string]: Json } = {};
    const table = new Map<string, Span>();
    this.mapEntries(map, depth, object, table);
    this.spans.setObject(object, table);
    return object;
  }

  /** The entries of a block mapping into `object` and `table` (which may hold earlier pieces' entries). */
  private mapEntries(map: CST.BlockMap, depth: number, object: { [key: string]: Json }, table: Map<string, Span>): void {
    let offset = map.offset;
    let commentEnd: number | null = null;
    for (const item of map.items) {
      const { start, key, sep, value } = item;
      const keyProps = readProps(start, false, "explicit-key-ind", key ?? sep?.[0], offset, map.indent, true);
      if (keyProps.found) leave(); // explicit key
      if (key) {
        if (key.type === "block-seq" || ("indent" in key && key.indent !== map.indent)) leave();
      }
      if (!keyProps.anchor && !keyProps.tag && !sep) {
        commentEnd = keyProps.end;
        continue;
      }
      if (keyProps.newlineAfterProp || !key) leave();
      const name = this.keyText(key, keyProps);
      if (containsNewline(key!)) leave();
      const keyStart = this.nodeStart;
      if (table.has(name)) leave();
      const valueProps = readProps(sep ?? [], false, "map-value-ind", value, this.nodeEnd, map.indent, key!.type === "block-scalar");
      offset = valueProps.end;
      if (!valueProps.found) leave();
      if (value?.type === "block-map" && !valueProps.hasNewline) leave();
      const entry = value ? this.node(value, valueProps, depth + 1) : this.emptyNode(offset, sep, valueProps);
      offset = this.nodeEnd;
      table.set(name, [keyStart, this.valueEnd]);
      setEntry(object, name, entry);
    }
    if (commentEnd !== null && commentEnd !== 0 && commentEnd < offset) leave();
    this.nodeStart = map.offset;
    this.valueEnd = offset;
    this.nodeEnd = commentEnd ?? offset;
  }

  private blockSeq(seq: CST.BlockSequence, depth: number): Json {
    const array: Json[] = [];
    const table: Span[] = [];
    let offset = seq.offset;
    let commentEnd: number | null = null;
    for (const { start, value } of seq.items) {
      const props = readProps(start, false, "seq-item-ind", value, offset, seq.indent, true);
      if (!props.found) {
        if (props.anchor || props.tag || value) leave();
        commentEnd = props.end;
        continue;
      }
      array.push(value ? this.node(value, props, depth + 1) : this.emptyNode(props.end, start, props));
      table.push([this.nodeStart, this.valueEnd]);
      offset = this.nodeEnd;
    }
    this.spans.setArray(array, table);
    this.nodeStart = seq.offset;
    this.valueEnd = offset;
    this.nodeEnd = commentEnd ?? offset;
    return array;
  }

  private flowCollection(collection: CST.FlowCollection, depth: number): Json {
    const isMap = collection.start.source === "{";
    const object: { [key: string]: Json } = {};
    const objectTable = new Map<string, Span>();
    const array: Json[] = [];
    const arrayTable: Span[] = [];
    let offset = collection.offset + collection.start.source.length;
    const items = collection.items;
    for (let i = 0; i < items.length; ++i) {
      const { start, key, sep, value } = items[i]!;
      const props = readProps(start, true, "explicit-key-ind", key ?? sep?.[0], offset, collection.indent, false);
      if (props.found) leave(); // explicit key
      if (!props.anchor && !props.tag && !sep && !value) {
        if (i === 0 && props.comma) leave();
        else if (i < items.length - 1) leave();
        offset = props.end;
        continue;
      }
      if (i === 0 ? props.comma !== null : props.comma === null) leave();
      if (!isMap) {
        if (sep) leave(); // a pair in a flow sequence
        array.push(value ? this.node(value, props, depth + 1) : this.emptyNode(props.end, sep, props));
        if (isBlock(value)) leave();
        arrayTable.push([this.nodeStart, this.valueEnd]);
        offset = this.nodeEnd;
        continue;
      }
      if (isBlock(key)) leave();
      const name = this.keyText(key, props);
      const keyStart = this.nodeStart;
      if (objectTable.has(name)) leave();
      const valueProps = readProps(sep ?? [], true, "map-value-ind", value, this.nodeEnd, collection.indent, false);
      if (!valueProps.found) leave(); // a key without a value, or a missing separator
      const entry = value ? this.node(value, valueProps, depth + 1) : this.emptyNode(valueProps.end, sep, valueProps);
      if (isBlock(value)) leave();
      objectTable.set(name, [keyStart, this.valueEnd]);
      setEntry(object, name, entry);
      offset = this.nodeEnd;
    }
    const [close, ...rest] = collection.end;
    if (close?.source !== (isMap ? "}" : "]")) leave();
    const closed = close!.offset + close!.source.length;
    this.nodeStart = collection.offset;
    this.valueEnd = closed;
    this.nodeEnd = rest.length > 0 ? endOffset(rest, closed) : closed;
    if (isMap) {
      this.spans.setObject(object, objectTable);
      return object;
    }
    this.spans.setArray(array, arrayTable);
    return array;
  }
}
