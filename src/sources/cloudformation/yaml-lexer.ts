/**
 * The `yaml` package's lexer (yaml 2.x `parse/lexer.js`, ISC licence) without its generators: every
 * lexeme went through three or four nested generator calls, a third of the lexer's time on a 1 MB
 * template. Same states, same decisions, same lexemes in the same order, handed to `sink` as they are
 * found; the whole text is given at once, so the package's buffering of incomplete input is left out.
 * `test/sources/cloudformation/compose-yaml.test.ts` compares the lexemes with the package's own.
 */
import { CST } from "yaml";

export interface LexemeSink {
  next(lexeme: string): void;
}

type State = "stream" | "line-start" | "block-start" | "doc" | "flow" | "quoted-scalar" | "block-scalar" | "plain-scalar";

function isEmpty(ch: string | undefined): boolean {
  switch (ch) {
    case undefined:
    case " ":
    case "\n":
    case "\r":
    case "\t":
      return true;
    default:
      return false;
  }
}

const hexDigits = new Set("0123456789ABCDEFabcdef");
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(",[]{}");
const invalidAnchorChars = new Set(" ,[]{}\n\r\t");
const isNotAnchorChar = (ch: string | undefined): boolean => !ch || invalidAnchorChars.has(ch);
const isBlockScalarHeaderEnd = (ch: string | undefined): boolean => isEmpty(ch) || ch === "#";

/** Splits `text` into the package's lexemes (slices of the text and its control characters), in order. */
export function lexYaml(text: string, sink: LexemeSink): void {
  new YamlLexer(text, sink).lex();
}

class YamlLexer {
  /** Explicit indent of a block scalar header, as an offset from the minimum indent; -1 if none. */
  private blockScalarIndent = -1;
  /** A `+` (keep) chomping indicator: trailing empty lines belong to the block scalar. */
  private blockScalarKeep = false;
  /** Whether the map value indicator `:` can immediately follow this node within a flow context. */
  private flowKey = false;
  /** Count of surrounding flow collection levels. */
  private flowLevel = 0;
  /** Minimum indentation for the next lines to be part of the current scalar value. */
  private indentNext = 0;
  /** Indentation of the current line. */
  private indentValue = 0;
  /** Position of the next \n character. */
  private lineEndPos: number | null = null;
  private pos = 0;

  constructor(
    private readonly buffer: string,
    private readonly sink: LexemeSink,
  ) {}

  lex(): void {
    let next: State = "stream";
    while (this.pos + 1 <= this.buffer.length) next = this.parseNext(next);
  }

  private emit(lexeme: string): void {
    this.sink.next(lexeme);
  }

  private atLineEnd(): boolean {
    let i = this.pos;
    let ch = this.buffer[i];
    while (ch === " " || ch === "\t") ch = this.buffer[++i];
    if (!ch || ch === "#" || ch === "\n") return true;
    if (ch === "\r") return this.buffer[i + 1] === "\n";
    return false;
  }

  private charAt(n: number): string | undefined {
    return this.buffer[this.pos + n];
  }

  private continueScalar(offset: number): number {
    let ch = this.buffer[offset];
    if (this.indentNext > 0) {
      let indent = 0;
      while (ch === " ") ch = this.buffer[++indent + offset];
      if (ch === "\r") {
        const next = this.buffer[indent + offset + 1];
        if (next === "\n") return offset + indent + 1;
      }
      return ch === "\n" || indent >= this.indentNext ? offset + indent : -1;
    }
    if (ch === "-" || ch === ".") {
      const dt = this.buffer.substr(offset, 3);
      if ((dt === "---" || dt === "...") && isEmpty(this.buffer[offset + 3])) return -1;
    }
    return offset;
  }

  private getLine(): string {
    let end = this.lineEndPos;
    if (typeof end !== "number" || (end !== -1 && end < this.pos)) {
      end = this.buffer.indexOf("\n", this.pos);
      this.lineEndPos = end;
    }
    if (end === -1) return this.buffer.substring(this.pos);
    if (this.buffer[end - 1] === "\r") end -= 1;
    return this.buffer.substring(this.pos, end);
  }

  private peek(n: number): string {
    return this.buffer.substr(this.pos, n);
  }

  private parseNext(next: State): State {
    switch (next) {
      case "stream":
        return this.parseStream();
      case "line-start":
        return this.parseLineStart();
      case "block-start":
        return this.parseBlockStart();
      case "doc":
        return this.parseDocument();
      case "flow":
        return this.parseFlowCollection();
      case "quoted-scalar":
        return this.parseQuotedScalar();
      case "block-scalar":
        return this.parseBlockScalar();
      case "plain-scalar":
        return this.parsePlainScalar();
    }
  }

  private parseStream(): State {
    let line = this.getLine();
    if (line[0] === CST.BOM) {
      this.pushCount(1);
      line = line.substring(1);
    }
    if (line[0] === "%") {
      let dirEnd = line.length;
      let cs = line.indexOf("#");
      while (cs !== -1) {
        const ch = line[cs - 1];
        if (ch === " " || ch === "\t") {
          dirEnd = cs - 1;
          break;
        }
        cs = line.indexOf("#", cs + 1);
      }
      while (true) {
        const ch = line[dirEnd - 1];
        if (ch === " " || ch === "\t") dirEnd -= 1;
        else break;
      }
      const n = this.pushCount(dirEnd) + this.pushSpaces(true);
      this.pushCount(line.length - n); // possible comment
      // (the package's lexer leaves the directive's line break to the next state)
      return "stream";
    }
    if (this.atLineEnd()) {
      const sp = this.pushSpaces(true);
      this.pushCount(line.length - sp);
      this.pushNewline();
      return "stream";
    }
    this.emit(CST.DOCUMENT);
    return this.parseLineStart();
  }

  private parseLineStart(): State {
    const ch = this.charAt(0);
    if (ch === "-" || ch === ".") {
      const s = this.peek(3);
      if ((s === "---" || s === "...") && isEmpty(this.charAt(3))) {
        this.pushCount(3);
        this.indentValue = 0;
        this.indentNext = 0;
        return s === "---" ? "doc" : "stream";
      }
    }
    this.indentValue = this.pushSpaces(false);
    if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1))) this.indentNext = this.indentValue;
    return this.parseBlockStart();
  }

  private parseBlockStart(): State {
    // by code points, as the package's lexer reads them
    const [ch0, ch1] = this.peek(2);
    if ((ch0 === "-" || ch0 === "?" || ch0 === ":") && isEmpty(ch1)) {
      const n = this.pushCount(1) + this.pushSpaces(true);
      this.indentNext = this.indentValue + 1;
      this.indentValue += n;
      return "block-start";
    }
    return "doc";
  }

  private parseDocument(): State {
    this.pushSpaces(true);
    const line = this.getLine();
    let n = this.pushIndicators();
    switch (line[n]) {
      case "#":
        this.pushCount(line.length - n);
        this.pushNewline();
        return this.parseLineStart();
      case undefined:
        this.pushNewline();
        return this.parseLineStart();
      case "{":
      case "[":
        this.pushCount(1);
        this.flowKey = false;
        this.flowLevel = 1;
        return "flow";
      case "}":
      case "]":
        // an error
        this.pushCount(1);
        return "doc";
      case "*":
        this.pushUntil(isNotAnchorChar);
        return "doc";
      case '"':
      case "'":
        return this.parseQuotedScalar();
      case "|":
      case ">":
        n += this.parseBlockScalarHeader();
        n += this.pushSpaces(true);
        this.pushCount(line.length - n);
        this.pushNewline();
        return this.parseBlockScalar();
      default:
        return this.parsePlainScalar();
    }
  }

  private parseFlowCollection(): State {
    let nl: number;
    let sp: number;
    let indent = -1;
    do {
      nl = this.pushNewline();
      if (nl > 0) {
        sp = this.pushSpaces(false);
        this.indentValue = indent = sp;
      } else sp = 0;
      sp += this.pushSpaces(true);
    } while (nl + sp > 0);
    const line = this.getLine();
    if (
      (indent !== -1 && indent < this.indentNext && line[0] !== "#") ||
      (indent === 0 && (line.startsWith("---") || line.startsWith("...")) && isEmpty(line[3]))
    ) {
      // a closing ] or } at the indent of the opening one is allowed, as the package's lexer does
      const atFlowEndMarker = indent === this.indentNext - 1 && this.flowLevel === 1 && (line[0] === "]" || line[0] === "}");
      if (!atFlowEndMarker) {
        // an error
        this.flowLevel = 0;
        this.emit(CST.FLOW_END);
        return this.parseLineStart();
      }
    }
    let n = 0;
    while (line[n] === ",") {
      n += this.pushCount(1);
      n += this.pushSpaces(true);
      this.flowKey = false;
    }
    n += this.pushIndicators();
    return this.flowToken(line, n);
  }

  private flowToken(line: string, n: number): State {
    switch (line[n]) {
      case undefined:
        return "flow";
      case "#":
        this.pushCount(line.length - n);
        return "flow";
      case "{":
      case "[":
        this.pushCount(1);
        this.flowKey = false;
        this.flowLevel += 1;
        return "flow";
      case "}":
      case "]":
        this.pushCount(1);
        this.flowKey = true;
        this.flowLevel -= 1;
        return this.flowLevel ? "flow" : "doc";
      case "*":
        this.pushUntil(isNotAnchorChar);
        return "flow";
      case '"':
      case "'":
        this.flowKey = true;
        return this.parseQuotedScalar();
      case ":": {
        const next = this.charAt(1);
        if (this.flowKey || isEmpty(next) || next === ",") {
          this.flowKey = false;
          this.pushCount(1);
          this.pushSpaces(true);
          return "flow";
        }
        this.flowKey = false;
        return this.parsePlainScalar();
      }
      default:
        this.flowKey = false;
        return this.parsePlainScalar();
    }
  }

  private parseQuotedScalar(): State {
    const quote = this.charAt(0)!;
    let end = this.buffer.indexOf(quote, this.pos + 1);
    if (quote === "'") {
      while (end !== -1 && this.buffer[end + 1] === "'") end = this.buffer.indexOf("'", end + 2);
    } else {
      while (end !== -1) {
        let n = 0;
        while (this.buffer[end - 1 - n] === "\\") n += 1;
        if (n % 2 === 0) break;
        end = this.buffer.indexOf('"', end + 1);
      }
    }
    // only newlines within the quotes
    const qb = this.buffer.substring(0, end);
    let nl = qb.indexOf("\n", this.pos);
    if (nl !== -1) {
      while (nl !== -1) {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = qb.indexOf("\n", cs);
      }
      // an error: an unexpected unindent
      if (nl !== -1) end = nl - (qb[nl - 1] === "\r" ? 2 : 1);
    }
    if (end === -1) end = this.buffer.length;
    this.pushToIndex(end + 1, false);
    return this.flowLevel ? "flow" : "doc";
  }

  private parseBlockScalarHeader(): number {
    this.blockScalarIndent = -1;
    this.blockScalarKeep = false;
    let i = this.pos;
    while (true) {
      const ch = this.buffer[++i];
      if (ch === "+") this.blockScalarKeep = true;
      else if (ch !== undefined && ch > "0" && ch <= "9") this.blockScalarIndent = Number(ch) - 1;
      else if (ch !== "-") break;
    }
    return this.pushUntil(isBlockScalarHeaderEnd);
  }

  private parseBlockScalar(): State {
    let nl = this.pos - 1; // may be -1 if this.pos === 0
    let indent = 0;
    let ch: string | undefined;
    loop: for (let i = this.pos; ; ++i) {
      ch = this.buffer[i];
      if (!ch) break;
      switch (ch) {
        case " ":
          indent += 1;
          break;
        case "\n":
          nl = i;
          indent = 0;
          break;
        case "\r":
          if (this.buffer[i + 1] === "\n") break;
          break loop;
        default:
          break loop;
      }
    }
    if (indent >= this.indentNext) {
      if (this.blockScalarIndent === -1) this.indentNext = indent;
      else this.indentNext = this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
      do {
        const cs = this.continueScalar(nl + 1);
        if (cs === -1) break;
        nl = this.buffer.indexOf("\n", cs);
      } while (nl !== -1);
      if (nl === -1) nl = this.buffer.length;
    }
    nl = this.blockScalarEnd(nl, indent);
    this.emit(CST.SCALAR);
    this.pushToIndex(nl + 1, true);
    return this.parseLineStart();
  }

  /** Where the block scalar's text stops: trailing tabs kept (they are an error), empty lines dropped unless kept. */
  private blockScalarEnd(end: number, indent: number): number {
    let nl = end;
    let i = nl + 1;
    let ch = this.buffer[i];
    while (ch === " ") ch = this.buffer[++i];
    if (ch === "\t") {
      while (ch === "\t" || ch === " " || ch === "\r" || ch === "\n") ch = this.buffer[++i];
      nl = i - 1;
    } else if (!this.blockScalarKeep) {
      while (true) {
        let j = nl - 1;
        let c = this.buffer[j];
        if (c === "\r") c = this.buffer[--j];
        const lastChar = j; // drop the line if its last character is not more indented
        while (c === " ") c = this.buffer[--j];
        if (c === "\n" && j >= this.pos && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    return nl;
  }

  private parsePlainScalar(): State {
    const inFlow = this.flowLevel > 0;
    let end = this.pos - 1;
    let i = this.pos - 1;
    let ch: string | undefined;
    while (true) {
      ch = this.buffer[++i];
      if (!ch) break;
      if (ch === ":") {
        const next = this.buffer[i + 1];
        if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next!))) break;
        end = i;
      } else if (isEmpty(ch)) {
        let next = this.buffer[i + 1];
        if (ch === "\r") {
          if (next === "\n") {
            i += 1;
            ch = "\n";
            next = this.buffer[i + 1];
          } else end = i;
        }
        if (next === "#" || (inFlow && flowIndicatorChars.has(next!))) break;
        if (ch === "\n") {
          const cs = this.continueScalar(i + 1);
          if (cs === -1) break;
          i = Math.max(i, cs - 2); // to advance, but still account for ' #'
        }
      } else {
        if (inFlow && flowIndicatorChars.has(ch)) break;
        end = i;
      }
    }
    this.emit(CST.SCALAR);
    this.pushToIndex(end + 1, true);
    return inFlow ? "flow" : "doc";
  }

  private pushCount(n: number): number {
    if (n > 0) {
      this.emit(this.buffer.substr(this.pos, n));
      this.pos += n;
      return n;
    }
    return 0;
  }

  private pushToIndex(i: number, allowEmpty: boolean): number {
    const s = this.buffer.slice(this.pos, i);
    if (s) {
      this.emit(s);
      this.pos += s.length;
      return s.length;
    }
    if (allowEmpty) this.emit("");
    return 0;
  }

  private pushIndicators(): number {
    let n = 0;
    while (true) {
      const ch = this.charAt(0);
      if (ch === "!") {
        n += this.pushTag();
        n += this.pushSpaces(true);
        continue;
      }
      if (ch === "&") {
        n += this.pushUntil(isNotAnchorChar);
        n += this.pushSpaces(true);
        continue;
      }
      // `-` is an error here, `?` an error outside flow collections
      if (ch === "-" || ch === "?" || ch === ":") {
        const inFlow = this.flowLevel > 0;
        const ch1 = this.charAt(1);
        if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1!))) {
          if (!inFlow) this.indentNext = this.indentValue + 1;
          else if (this.flowKey) this.flowKey = false;
          n += this.pushCount(1);
          n += this.pushSpaces(true);
          continue;
        }
      }
      return n;
    }
  }

  private pushTag(): number {
    if (this.charAt(1) === "<") {
      let i = this.pos + 2;
      let ch = this.buffer[i];
      while (!isEmpty(ch) && ch !== ">") ch = this.buffer[++i];
      return this.pushToIndex(ch === ">" ? i + 1 : i, false);
    }
    let i = this.pos + 1;
    let ch = this.buffer[i];
    while (ch) {
      if (tagChars.has(ch)) ch = this.buffer[++i];
      else if (ch === "%" && hexDigits.has(this.buffer[i + 1]!) && hexDigits.has(this.buffer[i + 2]!)) {
        i += 3;
        ch = this.buffer[i];
      } else break;
    }
    return this.pushToIndex(i, false);
  }

  private pushNewline(): number {
    const ch = this.buffer[this.pos];
    if (ch === "\n") return this.pushCount(1);
    if (ch === "\r" && this.charAt(1) === "\n") return this.pushCount(2);
    return 0;
  }

  private pushSpaces(allowTabs: boolean): number {
    let i = this.pos - 1;
    let ch: string | undefined;
    do {
      ch = this.buffer[++i];
    } while (ch === " " || (allowTabs && ch === "\t"));
    const n = i - this.pos;
    if (n > 0) {
      this.emit(this.buffer.substr(this.pos, n));
      this.pos = i;
    }
    return n;
  }

  private pushUntil(test: (ch: string | undefined) => boolean): number {
    let i = this.pos;
    let ch = this.buffer[i];
    while (!test(ch)) ch = this.buffer[++i];
    return this.pushToIndex(i, false);
  }
}
