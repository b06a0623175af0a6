/**
 * A small HCL scanner for locations: it finds the top-level blocks of a `.tf` file (`resource "T" "N" {`,
 * `data`, `module`), the line of every argument and nested block inside them, simple string arguments
 * (a module's `source`), and the comments. It is not a parser: expressions are skipped, not read. It is
 * robust to heredocs, strings containing braces, template interpolations with nested strings, and all
 * three comment styles. (The npm HCL packages are Go compiled to WASM/JS that return JSON without
 * positions, which is what this needs.)
 */

import { LineIndex } from "../common/line-index.js";

export interface Position {
  readonly line: number; // 1-based
  readonly column: number; // 1-based
}

export interface HclBlock extends Position {
  /** "resource", "data", "module", "provider", … */
  readonly type: string;
  readonly labels: readonly string[];
  /** Offsets of the block: from its type keyword to the closing brace (exclusive end). */
  readonly start: number;
  readonly end: number;
  readonly endLine: number;
  /** Argument and nested block positions by dotted path ("ami", "metadata_options.http_tokens"); first occurrence. */
  readonly attributes: ReadonlyMap<string, Position>;
  /** Arguments whose value is one plain quoted string ("source" of a module). */
  readonly literals: ReadonlyMap<string, string>;
}

export interface HclComment extends Position {
  readonly offset: number;
  /** The text after the comment marker. */
  readonly text: string;
}

export interface HclFile {
  readonly blocks: HclBlock[];
  readonly comments: HclComment[];
}

type TokenKind = "ident" | "string" | "{" | "}" | "[" | "]" | "(" | ")" | "=" | "newline" | "other";

interface Token {
  kind: TokenKind;
  start: number;
  end: number;
  /** ident name, or the decoded text of a plain quoted string (undefined when it has interpolations). */
  text?: string;
}

class Scanner {
  readonly tokens: Token[] = [];
  readonly comments: { offset: number; text: string }[] = [];
  private i = 0;

  constructor(private readonly src: string) {
    this.run();
  }

  private run(): void {
    const s = this.src;
    const n = s.length;
    while (this.i < n) {
      const c = s[this.i]!;
      const start = this.i;
      if (c === "\n") {
        this.tokens.push({ kind: "newline", start, end: ++this.i });
      } else if (c === " " || c === "\t" || c === "\r" || c === "\uFEFF") {
        this.i++;
      } else if (c === "#" || (c === "/" && s[this.i + 1] === "/")) {
        const eol = s.indexOf("\n", this.i);
        const end = eol < 0 ? n : eol;
        this.comments.push({ offset: start, text: s.slice(start + (c === "#" ? 1 : 2), end) });
        this.i = end;
      } else if (c === "/" && s[this.i + 1] === "*") {
        const close = s.indexOf("*/", this.i + 2);
        this.i = close < 0 ? n : close + 2;
      } else if (c === '"') {
        this.quoted();
      } else if (c === "<" && s[this.i + 1] === "<" && /^<<-?[A-Za-z_][A-Za-z0-9_-]*[ \t]*\r?\n/.test(s.slice(this.i, this.i + 200))) {
        this.heredoc();
      } else if ("{}[]()".includes(c)) {
        this.tokens.push({ kind: c as TokenKind, start, end: ++this.i });
      } else if (c === "=") {
        const next = s[this.i + 1];
        if (next === "=" || next === ">") {
          this.i += 2;
          this.tokens.push({ kind: "other", start, end: this.i });
        } else this.tokens.push({ kind: "=", start, end: ++this.i });
      } else if ((c === "!" || c === "<" || c === ">") && s[this.i + 1] === "=") {
        this.i += 2;
        this.tokens.push({ kind: "other", start, end: this.i });
      } else if (/[A-Za-z_]/.test(c)) {
        let j = this.i + 1;
        while (j < n && /[A-Za-z0-9_-]/.test(s[j]!)) j++;
        this.tokens.push({ kind: "ident", start, end: j, text: s.slice(start, j) });
        this.i = j;
      } else {
        this.i++;
        this.tokens.push({ kind: "other", start, end: this.i });
      }
    }
  }

  /** A quoted template: escapes, and `${…}` / `%{…}` interpolations that may hold strings and braces. */
  private quoted(): void {
    const start = this.i;
    const plain = this.skipQuoted();
    this.tokens.push({ kind: "string", start, end: this.i, ...(plain !== undefined ? { text: plain } : {}) });
  }

  /** Skips a quoted string starting at this.i; returns its text when it has no interpolation. */
  private skipQuoted(): string | undefined {
    const s = this.src;
    const n = s.length;
    this.i++; // opening quote
    let text = "";
    let plain = true;
    while (this.i < n) {
      const c = s[this.i]!;
      if (c === "\\") {
        text += s[this.i + 1] ?? "";
        this.i += 2;
      } else if (c === '"') {
        this.i++;
        return plain ? text : undefined;
      } else if (c === "\n") {
        // Unterminated on this line: HCL forbids newlines in quoted strings; stop here to stay in sync.
        return plain ? text : undefined;
      } else if ((c === "$" || c === "%") && s[this.i + 1] === c && s[this.i + 2] === "{") {
        text += `${c}{`;
        this.i += 3; // escaped $${ / %%{
      } else if ((c === "$" || c === "%") && s[this.i + 1] === "{") {
        plain = false;
        this.i += 2;
        this.skipInterpolation();
      } else {
        text += c;
        this.i++;
      }
    }
    return plain ? text : undefined;
  }

  /** Inside `${ … }` up to the matching brace; nested strings are skipped whole. */
  private skipInterpolation(): void {
    const s = this.src;
    let depth = 1;
    while (this.i < s.length && depth > 0) {
      const c = s[this.i]!;
      if (c === '"') this.skipQuoted();
      else {
        if (c === "{") depth++;
        else if (c === "}") depth--;
        this.i++;
      }
    }
  }

  /** `<<EOF` / `<<-EOF` … a line holding only the marker. */
  private heredoc(): void {
    const s = this.src;
    const start = this.i;
    const m = /^<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n/.exec(s.slice(this.i, this.i + 200))!;
    const marker = m[1]!;
    let lineStart = this.i + m[0].length;
    while (lineStart < s.length) {
      const eol = s.indexOf("\n", lineStart);
      const end = eol < 0 ? s.length : eol;
      if (s.slice(lineStart, end).trim() === marker) {
        this.i = end;
        this.tokens.push({ kind: "string", start, end });
        return;
      }
      lineStart = end + 1;
    }
    this.i = s.length;
    this.tokens.push({ kind: "string", start, end: s.length });
  }
}

interface OpenBlock {
  type: string;
  labels: string[];
  start: number;
  /** Path prefix of arguments inside, relative to the top-level block ("" at its top). */
  prefix: string;
  top?: { attributes: Map<string, Position>; literals: Map<string, string> };
}

/** Scans one `.tf` file. Never throws: malformed input gives fewer blocks. */
export function scanHcl(text: string): HclFile {
  const scanner = new Scanner(text);
  const tokens = scanner.tokens;
  const lines = new LineIndex(text);
  const blocks: HclBlock[] = [];
  const stack: OpenBlock[] = [];
  let topRecord: { attributes: Map<string, Position>; literals: Map<string, string> } | undefined;
  let i = 0;

  const skipExpression = (): void => {
    // Up to the end of the statement: a newline outside brackets, or the enclosing block's closing brace.
    let depth = 0;
    while (i < tokens.length) {
      const t = tokens[i]!;
      if (t.kind === "{" || t.kind === "[" || t.kind === "(") depth++;
      else if (t.kind === "}" || t.kind === "]" || t.kind === ")") {
        if (depth === 0) return;
        depth--;
      } else if (t.kind === "newline" && depth === 0) return;
      i++;
    }
  };

  while (i < tokens.length) {
    const t = tokens[i]!;
    if (t.kind === "newline") {
      i++;
      continue;
    }
    if (t.kind === "}") {
      const open = stack.pop();
      if (open && stack.length === 0 && open.top) {
        const at = lines.position(open.start);
        blocks.push({
          type: open.type,
          labels: open.labels,
          ...at,
          start: open.start,
          end: t.end,
          endLine: lines.position(t.start).line,
          attributes: open.top.attributes,
          literals: open.top.literals,
        });
        topRecord = undefined;
      }
      i++;
      continue;
    }
    if (t.kind !== "ident") {
      // Something we do not understand at statement level: skip the statement.
      i++;
      skipExpression();
      continue;
    }
    // ident = expr  |  ident label* {
    let j = i + 1;
    const labels: string[] = [];
    while (j < tokens.length && (tokens[j]!.kind === "string" || tokens[j]!.kind === "ident")) {
      const label = tokens[j]!;
      labels.push(label.text ?? text.slice(label.start + 1, label.end - 1));
      j++;
    }
    const next = tokens[j];
    const name = t.text!;
    const parent = stack[stack.length - 1];
    if (next?.kind === "=" && labels.length === 0) {
      if (parent && topRecord) {
        const path = parent.prefix ? `${parent.prefix}.${name}` : name;
        if (!topRecord.attributes.has(path)) topRecord.attributes.set(path, lines.position(t.start));
        const value = tokens[j + 1];
        const after = tokens[j + 2];
        if (
          value?.kind === "string" &&
          value.text !== undefined &&
          (!after || after.kind === "newline" || after.kind === "}") &&
          !topRecord.literals.has(path)
        )
          topRecord.literals.set(path, value.text);
      }
      i = j + 1;
      skipExpression();
      continue;
    }
    if (next?.kind === "{") {
      if (stack.length === 0) {
        topRecord = { attributes: new Map(), literals: new Map() };
        stack.push({ type: name, labels, start: t.start, prefix: "", top: topRecord });
      } else {
        // dynamic "egress" { … } stands for egress blocks.
        const blockName = name === "dynamic" && labels[0] ? labels[0] : name;
        const path = parent?.prefix ? `${parent.prefix}.${blockName}` : blockName;
        if (topRecord && !topRecord.attributes.has(path)) topRecord.attributes.set(path, lines.position(t.start));
        stack.push({ type: name, labels, start: t.start, prefix: name === "content" && parent ? parent.prefix : path });
      }
      i = j + 1;
      continue;
    }
    i = j;
    skipExpression();
  }

  const comments: HclComment[] = scanner.comments.map((c) => ({ ...lines.position(c.offset), offset: c.offset, text: c.text }));
  return { blocks, comments };
}

export interface IgnoreDirective {
  readonly ruleIds: string[];
  readonly reason: string;
  readonly position: Position;
}

/** `# ssm-doctor:ignore SD302 reason` (also `//`; several ids separated by commas). */
export function ignoreDirective(comment: HclComment): IgnoreDirective | undefined {
  const m = /^\s*ssm-doctor:ignore\s+([A-Za-z0-9-]+(?:\s*,\s*[A-Za-z0-9-]+)*)\s*(.*)$/.exec(comment.text);
  if (!m) return undefined;
  return {
    ruleIds: m[1]!.split(/\s*,\s*/).map((id) => (/^sd\d+$/i.test(id) ? id.toUpperCase() : id)),
    reason: m[2]!.trim().replace(/^[-:\u2013\u2014]\s*/, ""),
    position: { line: comment.line, column: comment.column },
  };
}
