/**
 * The light YAML composer against the reference, the `yaml` package's document model: same template
 * JSON, same span for every JSON pointer, same unknown tags, for every corpus template and fixture,
 * for generated documents and for broken variants of the fixtures. Where the composer leaves a text
 * to the document model (returns undefined), the document model's answer stands, so that is always
 * allowed; answering differently is not.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ComposedYaml, composeYaml, composeYamlInPieces } from "../../../src/sources/cloudformation/compose-yaml.js";
import { parseTemplate } from "../../../src/sources/cloudformation/parse.js";
import { parseYamlDocument, YamlSyntaxError } from "../../../src/sources/cloudformation/parse-yaml.js";
import { escapePointerSegment, type Json, LineIndex } from "../../../src/sources/cloudformation/positions.js";
import { INTRINSIC_TAGS } from "../../../src/sources/cloudformation/yaml-tags.js";

const ROOT = join(import.meta.dirname, "../../..");
const CORPUS = join(ROOT, "../shared/corpus/cfn");
const FIXTURES = join(ROOT, "fixtures/cloudformation");

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, pattern));
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

/**
 * Every pointer of the tree with what is read of its span, in tree order: where it starts and its region
 * (lines and columns, trailing blanks trimmed), which is all a report shows. A template read in pieces
 * may end a span after the blanks that follow it where the whole tree ends it before them.
 */
function spansOf(parsed: ComposedYaml, text: string): string[] {
  const lines = new LineIndex(text);
  const at = (span: readonly [number, number]) => `${span[0]} ${JSON.stringify(lines.region(span))}`;
  const out: string[] = [`root ${at(parsed.spans.root)}`];
  const walk = (node: Json, pointer: string): void => {
    out.push(`${pointer} ${at(parsed.spans.spanOf(parsed.root, pointer))}`);
    if (node === null || typeof node !== "object") return;
    for (const key of Object.keys(node)) {
      walk((node as { [k: string]: Json })[key]!, `${pointer}/${escapePointerSegment(key)}`);
    }
  };
  walk(parsed.root, "");
  return out;
}

type Outcome = { ok: true; parsed: ComposedYaml } | { ok: false; message: string };

function reference(text: string): Outcome {
  try {
    return { ok: true, parsed: parseYamlDocument(text) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/**
 * The composer answers as the reference does, or leaves the text to it. Returns whether it answered.
 * `pieceChars`: read in pieces of this size only (undefined: as the CLI reads, in pieces when large).
 */
function agrees(text: string, pieceChars?: number): boolean {
  const composed = pieceChars === undefined ? composeYaml(text) : composeYamlInPieces(text, pieceChars);
  if (composed === undefined) return false;
  const expected = reference(text);
  expect(expected.ok, `the document model rejects a text the composer read: ${JSON.stringify(text)}`).toBe(true);
  if (!expected.ok) return true;
  expect(JSON.stringify(composed.root)).toBe(JSON.stringify(expected.parsed.root));
  expect(composed.root).toEqual(expected.parsed.root);
  expect(spansOf(composed, text)).toEqual(spansOf(expected.parsed, text));
  expect([...composed.unknownTags]).toEqual([...expected.parsed.unknownTags]);
  return true;
}

describe.skipIf(!existsSync(CORPUS))("the composer on the CloudFormation corpus", () => {
  const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /\.(ya?ml|json)$/.test(f)) : [];

  it("has all 35 templates", () => {
    expect(files).toHaveLength(35);
  });

  it.each(files)("%s: same values, spans and tags as the document model, without falling back", (file) => {
    const text = readFileSync(join(CORPUS, file), "utf8");
    expect(agrees(text)).toBe(true);
  });

  it.each(files.filter((f) => /\.ya?ml$/.test(f)))("%s: the same when every entry is a piece of its own", (file) => {
    const text = readFileSync(join(CORPUS, file), "utf8");
    expect(agrees(text, 1)).toBe(true);
  });
});

describe("the composer on the fixtures", () => {
  const files = filesUnder(FIXTURES, /\.ya?ml$/);

  it("finds the fixtures", () => {
    expect(files.length).toBeGreaterThan(80);
  });

  it("reads every fixture as the document model does, without falling back", () => {
    for (const file of files) expect(agrees(readFileSync(file, "utf8")), file).toBe(true);
  });

  it("reads the fixtures in pieces as the document model does", () => {
    const read = files.filter((file) => agrees(readFileSync(file, "utf8"), 1));
    // Left whole: a root that is a list, an alias bomb, a duplicate key, an empty file.
    expect(files.length - read.length).toBeLessThanOrEqual(4);
  });

  it("never reads a broken variant of a fixture differently from the document model", () => {
    const texts = files.map((f) => readFileSync(f, "utf8"));
    const edits = [
      "",
      ":",
      "- ",
      "#",
      "\t",
      "'",
      '"',
      "[",
      "]",
      "{",
      "}",
      ",",
      "&a ",
      "*a",
      "!Ref ",
      "!!str ",
      "? ",
      "|",
      ">-",
      "\n",
      "  ",
      "---\n",
      "%",
    ];
    fc.assert(
      fc.property(
        fc.nat(texts.length - 1),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(4), fc.constantFrom(...edits)), {
          minLength: 1,
          maxLength: 3,
        }),
        (index, changes) => {
          let text = texts[index]!;
          for (const [where, cut, insert] of changes) {
            const at = Math.floor(where * text.length);
            text = text.slice(0, at) + insert + text.slice(at + cut);
          }
          agrees(text);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("never reads a broken variant in pieces differently from the document model", () => {
    const texts = files.map((f) => readFileSync(f, "utf8"));
    // Edits at line starts, where pieces are cut: keys at every indentation, comments, quoted scalars and
    // flow collections left open across a cut, markers.
    const edits = [
      "",
      "  X: y\n",
      "X:\n",
      "  # c\n",
      "# c\n",
      "   # c\n",
      "\n",
      "  - a\n",
      " Z: 1\n",
      "    W: 1\n",
      '  Q: "r\n',
      "  Q: 'r\n",
      "  Q: [r,\n",
      "  Q: {r: 1,\n",
      "  Q: |\n",
      "  Q: |+\n\n",
      "  Resources:\n",
      "Resources:\n",
      "null:\n",
      "---\n",
      "...\n",
      "\t",
      "&a ",
      "  *a\n",
      "  R: !Ref\n",
    ];
    let answered = 0;
    fc.assert(
      fc.property(
        fc.nat(texts.length - 1),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(3), fc.constantFrom(...edits)), {
          minLength: 1,
          maxLength: 2,
        }),
        fc.constantFrom(1, 64),
        (index, changes, pieceChars) => {
          let text = texts[index]!;
          for (const [where, cut, insert] of changes) {
            const at = text.lastIndexOf("\n", Math.floor(where * text.length)) + 1;
            text = text.slice(0, at) + insert + text.slice(at + cut);
          }
          if (agrees(text, pieceChars)) answered++;
        },
      ),
      { numRuns: 600 },
    );
    // Many edits leave a readable template: the pieces must have been read, not only left.
    expect(answered).toBeGreaterThan(50);
  });
});

// ---------------------------------------------------------------------------- generated documents

const TAGS = [...INTRINSIC_TAGS.map((t) => `!${t}`), "!Rain::Embed", "!Custom"];
const PLAIN_WORDS = [
  "a",
  "Value",
  "AWS::EC2::VPC",
  "10.0.0.0/16",
  "012345678901",
  "0x1F",
  "0o17",
  "1e3",
  "-1.50",
  ".inf",
  "-.Inf",
  ".NaN",
  "~",
  "null",
  "Null",
  "true",
  "True",
  "FALSE",
  "yes",
  "off",
  "2010-09-09",
  "443",
  "+12",
  "1_000",
  "a b",
  "${AWS::Region}",
  "arn:aws:iam::aws:policy/X",
  "12345678901234567890",
  "x-y.z",
  "<<",
];
const QUOTED_WORDS = ["", "a", "it's", 'say "hi"', "443", "true", "tab\there", "back\\slash", "ünïcode", "a: b", "# not a comment"];

type Tree =
  | { kind: "scalar"; text: string; tag?: string }
  | { kind: "seq"; items: Tree[]; tag?: string }
  | { kind: "map"; entries: [string, Tree][]; tag?: string };

const keyArb = fc.constantFrom(
  "A",
  "Key",
  "b2",
  "Type",
  "Properties",
  "1",
  "012",
  "true",
  "~",
  "x y",
  "'q'",
  '"dq"',
  "<<",
  "a.b",
  "Fn::If",
);
const tagArb = fc.option(fc.constantFrom(...TAGS), { freq: 4 });
const scalarArb: fc.Arbitrary<Tree> = fc.record({
  kind: fc.constant("scalar" as const),
  text: fc.oneof(
    fc.constantFrom(...PLAIN_WORDS),
    fc.constantFrom(...QUOTED_WORDS).map((s) => `'${s.replace(/'/g, "''")}'`),
    fc.constantFrom(...QUOTED_WORDS).map((s) => JSON.stringify(s)),
    fc.constantFrom("|", "|-", "|+", ">", ">-", "|2").map((h) => `${h}\nline one\n  indented\n\nline three\n`),
    fc.constantFrom("multi\nline plain", "'multi\n\n  line quoted'"),
  ),
  tag: tagArb.map((t) => t ?? undefined),
});
const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalarArb,
    fc.record({
      kind: fc.constant("seq" as const),
      items: fc.array(tie("tree"), { maxLength: 4 }),
      tag: tagArb.map((t) => t ?? undefined),
    }),
    fc.record({
      kind: fc.constant("map" as const),
      entries: fc.uniqueArray(fc.tuple(keyArb, tie("tree")), { maxLength: 4, selector: ([k]) => k }),
      tag: tagArb.map((t) => t ?? undefined),
    }),
  ),
})).tree;

interface Style {
  indent: number;
  flowBelow: number;
  comments: boolean;
  blankLines: boolean;
  seqAtKeyIndent: boolean;
  crlf: boolean;
}

/** Renders a tree as YAML: block collections above `flowBelow` depth, flow below, with comments and blank lines. */
function render(tree: Tree, style: Style, rand: () => number): string {
  const pad = (n: number) => " ".repeat(n);
  const comment = () => (style.comments && rand() < 0.3 ? " # note" : "");
  const blank = () => (style.blankLines && rand() < 0.2 ? "\n" : "");
  const tagged = (t: Tree, text: string) => (t.tag ? `${t.tag} ${text}` : text);
  const flow = (t: Tree): string => {
    if (t.kind === "scalar") return tagged(t, t.text.includes("\n") ? JSON.stringify(t.text) : t.text);
    if (t.kind === "seq") return tagged(t, `[${t.items.map(flow).join(", ")}]`);
    return tagged(t, `{${t.entries.map(([k, v]) => `${k}: ${flow(v)}`).join(", ")}}`);
  };
  const block = (t: Tree, indent: number, depth: number): string => {
    // returns the text after "key:" or "-", starting with " value\n" or "\n" + nested lines
    if (t.kind === "scalar") {
      if (t.text.includes("\n") && /^[|>]/.test(t.text)) {
        const [header, ...body] = t.text.split("\n");
        return ` ${tagged(t, header!)}${comment()}\n${body.map((l) => (l === "" ? "" : pad(indent + style.indent) + l)).join("\n")}`;
      }
      if (t.text.includes("\n")) return ` ${tagged(t, t.text.replace(/\n/g, `\n${pad(indent + style.indent)}`))}\n`;
      return ` ${flow(t)}${comment()}\n`;
    }
    if (depth >= style.flowBelow || (t.kind === "seq" ? t.items.length === 0 : t.entries.length === 0)) return ` ${flow(t)}${comment()}\n`;
    const head = t.tag ? ` ${t.tag}${comment()}\n` : `${comment()}\n`;
    if (t.kind === "seq") {
      const inner = style.seqAtKeyIndent && rand() < 0.5 ? indent : indent + style.indent;
      return head + t.items.map((item) => `${blank()}${pad(inner)}-${block(item, inner + 2, depth + 1)}`).join("");
    }
    const inner = indent + style.indent;
    return head + t.entries.map(([k, v]) => `${blank()}${pad(inner)}${k}:${block(v, inner, depth + 1)}`).join("");
  };
  let text: string;
  if (tree.kind === "map" && tree.entries.length > 0 && !tree.tag) {
    text = tree.entries.map(([k, v]) => `${blank()}${k}:${block(v, 0, 1)}`).join("");
  } else if (tree.kind === "seq" && tree.items.length > 0 && !tree.tag) {
    text = tree.items.map((item) => `-${block(item, 2, 1)}`).join("");
  } else text = `${flow(tree)}\n`;
  if (style.comments && rand() < 0.5) text = `# leading comment\n${text}# trailing comment\n`;
  return style.crlf ? text.replace(/\n/g, "\r\n") : text;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  indent: fc.constantFrom(2, 4),
  flowBelow: fc.integer({ min: 1, max: 6 }),
  comments: fc.boolean(),
  blankLines: fc.boolean(),
  seqAtKeyIndent: fc.boolean(),
  crlf: fc.boolean(),
});

describe("the composer on generated documents (property)", () => {
  it("reads every generated document as the document model does", () => {
    let answered = 0;
    let runs = 0;
    fc.assert(
      fc.property(treeArb, styleArb, fc.integer(), (tree, style, seed) => {
        let state = seed >>> 0 || 1;
        const rand = () => {
          state = (state * 1103515245 + 12345) >>> 0;
          return state / 2 ** 32;
        };
        const text = render(tree, style, rand);
        runs++;
        if (agrees(text)) answered++;
      }),
      { numRuns: 1500 },
    );
    // The generated documents are ordinary YAML: most must be read by the composer, not left to the document model.
    expect(answered / runs).toBeGreaterThan(0.7);
  });

  it("reads every generated template in pieces as the document model does", () => {
    // A mapping of plain keys at the root, as a template has, over generated values; pieces of 1 and 40 characters.
    const rootArb = fc.uniqueArray(
      fc.tuple(fc.constantFrom("Resources", "Outputs", "Parameters", "A", "b2", "Type", "x_y", "a.b"), treeArb),
      {
        minLength: 1,
        maxLength: 5,
        selector: ([k]) => k,
      },
    );
    let inPieces = 0;
    let runs = 0;
    fc.assert(
      fc.property(rootArb, styleArb, fc.integer(), fc.constantFrom(1, 40), (entries, style, seed, pieceChars) => {
        let state = seed >>> 0 || 1;
        const rand = () => {
          state = (state * 1103515245 + 12345) >>> 0;
          return state / 2 ** 32;
        };
        const text = render({ kind: "map", entries }, style, rand);
        runs++;
        if (agrees(text, pieceChars)) inPieces++;
      }),
      { numRuns: 1500 },
    );
    expect(inPieces / runs).toBeGreaterThan(0.5);
  });
});

describe("reading a large template in pieces", () => {
  /** A template of `copies` networks: the seed fixture's resources repeated with new logical ids. */
  const large = (copies: number): string => {
    const seed = readFileSync(join(FIXTURES, "seed-000/good.yaml"), "utf8");
    const at = seed.indexOf("Resources:\n") + "Resources:\n".length;
    const parts = [seed.slice(0, at)];
    for (let i = 0; i < copies; i++) parts.push(seed.slice(at).replace(/\br([A-Z][A-Za-z0-9]*)/g, `r$1N${i}`));
    return parts.join("");
  };

  it("reads a template larger than a piece in pieces, as the whole tree reads it", () => {
    const text = large(8);
    expect(text.length).toBeGreaterThan(4 * 4096);
    expect(composeYamlInPieces(text, 4096)).toBeDefined();
    expect(agrees(text)).toBe(true);
    expect(agrees(text, 4096)).toBe(true);
  });

  it.each([
    ["a document start marker first", (t: string) => `---\n${t}`],
    ["a template indented as a whole", (t: string) => t.replace(/^(?=.)/gm, "  ")],
    ["comments between the entries", (t: string) => t.replace(/^( {2}r\w+:)$/gm, "  # next\n# at the margin\n$1")],
    ["Windows line ends", (t: string) => t.replace(/\n/g, "\r\n")],
  ])("the same with %s", (_, change) => {
    const text = change(large(3));
    expect(composeYamlInPieces(text, 64)).toBeDefined();
    expect(agrees(text, 64)).toBe(true);
    expect(agrees(text)).toBe(true);
  });

  it("leaves a quoted scalar or flow collection open across a cut to the document model and its message", () => {
    for (const [open, message] of [
      ['"one', 'invalid YAML: Missing closing "quote'],
      ["[one,", "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]"],
    ]) {
      const text = `${large(3)}  rNote:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: ${open}\n  rNotAKey: two\n`;
      expect(composeYamlInPieces(text, 64)).toBeUndefined();
      expect(composeYaml(text)).toBeUndefined();
      expect(() => parseTemplate("t.yaml", text)).toThrow(message);
    }
  });

  it("reads a quoted scalar that runs over lines within a piece", () => {
    const text = `${large(3)}  rNote:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Value: "one\n        rNotAKey: two"\n`;
    expect(agrees(text, 64)).toBe(true);
    expect(composeYaml(text)!.root).toMatchObject({ Resources: { rNote: { Properties: { Value: "one rNotAKey: two" } } } });
  });

  it("leaves a resource written twice in different pieces to the document model, which says so", () => {
    const text = `${large(3)}  rVpcN0:\n    Type: AWS::EC2::VPC\n`;
    expect(composeYamlInPieces(text, 64)).toBeUndefined();
    expect(composeYaml(text)).toBeUndefined();
    expect(() => parseTemplate("t.yaml", text)).toThrow("invalid YAML: duplicate key 'rVpcN0'");
  });

  it("leaves a second document to the document model", () => {
    const text = `${large(3)}---\nResources: {}\n`;
    expect(composeYamlInPieces(text, 64)).toBeUndefined();
    expect(() => parseTemplate("t.yaml", text)).toThrow(/more than one YAML document/);
  });
});

describe("what the composer leaves to the document model", () => {
  it.each([
    ["an alias", "A: &x 1\nB: *x\n"],
    ["an explicit key", "? A\n: 1\n"],
    ["a directive", "%YAML 1.2\n---\nA: 1\n"],
    ["two documents", "A: 1\n---\nB: 2\n"],
    ["a !! tag", "A: !!str 1\n"],
    ["a flow collection as a key", "[a]: 1\n"],
    ["a duplicate key", "A: 1\nA: 2\n"],
    ["a syntax error", "A: [1, 2\nB: 3\n"],
  ])("%s", (_, text) => {
    expect(composeYaml(text)).toBeUndefined();
  });

  it("so errors keep the document model's message and position", () => {
    const text = "Resources:\n  R:\n    Type: [a, b\n    Properties: {}\n";
    expect(() => parseTemplate("t.yaml", text)).toThrow(/^invalid YAML: /);
    expect(composeYaml(text)).toBeUndefined();
  });

  it("says itself that nesting is too deep, with the message and offset of the document model's conversion", () => {
    const text = `A:\n  B: ${"[".repeat(300)}${"]".repeat(300)}\n`;
    const expected = (() => {
      try {
        parseYamlDocument(text);
      } catch (error) {
        return error as YamlSyntaxError;
      }
    })();
    expect(expected).toBeInstanceOf(YamlSyntaxError);
    expect(() => composeYaml(text)).toThrow(expected!.message);
    try {
      composeYaml(text);
    } catch (error) {
      expect((error as YamlSyntaxError).offset).toBe(expected!.offset);
    }
  });

  it("and does so without exhausting the stack where the document model would (thousands of levels)", () => {
    const text = `Resources:\n  R:\n    Type: X\n    Properties:\n      P: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    expect(() => parseTemplate("deep.yaml", text)).toThrow("invalid YAML: nesting deeper than 256 levels");
  });

  // Messages and positions as the document model gave them before the composer existed.
  it.each([
    ["truncated", 'Resources:\n  R:\n    Type: "AWS::EC2::VPC', 'invalid YAML: Missing closing "quote', 3, 25],
    ["an unknown alias", "Resources:\n  R:\n    Type: *nope\n", "invalid YAML: unknown alias *nope", 3, 11],
    ["a bad escape", 'Resources:\n  R:\n    Type: "a\\qb"\n', "invalid YAML: Invalid escape sequence \\q", 3, 13],
    ["a tab as indentation", "Resources:\n\tR:\n    Type: A\n", "invalid YAML: Tabs are not allowed as indentation", 2, 1],
    [
      "a bad indentation",
      "Resources:\n  R:\n    Type: A\n   Properties: {}\n",
      "invalid YAML: All mapping items must start at the same column",
      4,
      1,
    ],
    [
      "an unclosed flow sequence",
      "Resources:\n  R:\n    Type: [a, b\n    Properties: {}\n",
      "invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      4,
      5,
    ],
    ["a duplicate key", "Resources:\n  R:\n    Type: A\n  R:\n    Type: B\n", "invalid YAML: duplicate key 'R'", 4, 3],
    [
      "two documents",
      "Resources: {}\n---\nResources: {}\n",
      "invalid YAML: the file holds more than one YAML document; a template is one document",
      2,
      1,
    ],
  ])("bad YAML keeps its message and position: %s", (_, text, message, line, column) => {
    expect(composeYaml(text)).toBeUndefined();
    try {
      parseTemplate("bad.yaml", text);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ message, file: "bad.yaml", line, column });
    }
  });

  it("says so too when it would leave the text to the document model for another reason first", () => {
    const text = `Metadata: &m {a: 1}\nOther: *m\nResources:\n  R:\n    Type: X\n    Properties:\n      P: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    expect(() => parseTemplate("deep.yaml", text)).toThrow("invalid YAML: nesting deeper than 256 levels");
  });

  it("takes a merge key as an ordinary key, as the YAML 1.2 core schema does", () => {
    const text = "A: &base {x: 1}\nB:\n  <<: {y: 2}\n  z: 3\n";
    expect(agrees(text)).toBe(true);
    expect(composeYaml(text)!.root).toEqual({ A: { x: 1 }, B: { "<<": { y: 2 }, z: 3 } });
  });
});
