/**
 * decodeInputText decodes first and checks the bytes for invalid UTF-8 only when the text holds a U+FFFD:
 * the answer (the text, or the InputError's message) must be the one the check of the bytes first gives for
 * the same bytes, whatever they are, for files and standard input alike.
 */
import { isUtf8 } from "node:buffer";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { decodeInputText, firstInvalidUtf8, readInputText } from "../../../src/sources/common/read-file.js";

const dir = mkdtempSync(join(tmpdir(), "ssm-doctor-read-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The decoding as it was before the fast path (the checks in the same order, the same words). */
function decodedAsUtf8(buf: Buffer, allowEmpty: boolean): string {
  if (buf.length === 0) {
    if (allowEmpty) return "";
    throw new Error("empty file: expected a CloudFormation template or a Terraform plan (terraform show -json)");
  }
  if (buf.subarray(0, 8000).includes(0))
    throw new Error("binary file: expected a CloudFormation template (YAML/JSON) or a Terraform plan JSON");
  if (!isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    throw new Error(`invalid UTF-8 at byte offset ${at} (0x${buf[at]?.toString(16).padStart(2, "0") ?? "??"})`);
  }
  return buf.toString("utf8").replace(/^\uFEFF/, "");
}

function outcome(read: () => string): { text: string } | { error: string } {
  try {
    const text = read();
    return { text };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Bytes that are mostly text: ASCII, multi-byte characters, a BOM, NULs, stray and truncated bytes. */
const piece = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }).map((s) => Buffer.from(s, "utf8")) },
  { weight: 2, arbitrary: fc.constantFrom("é", "€", "😀", "\uFFFD", "\uFEFF", "\u007f").map((s) => Buffer.from(s, "utf8")) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        [0],
        [0x80],
        [0xff],
        [0xc3],
        [0xc0, 0x80],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xf5],
        [0xe0, 0x80, 0x80],
        [0xf0, 0x9f, 0x98],
      )
      .map((b) => Buffer.from(b)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 9000 }).map((n) => Buffer.alloc(n, 0x61)) },
);
const bytes = fc.array(piece, { maxLength: 12 }).map((parts) => Buffer.concat(parts));

describe("decodeInputText", () => {
  it("gives what UTF-8 decoding gives for the same bytes (text or error), from a file or from bytes", () => {
    let n = 0;
    fc.assert(
      fc.property(bytes, fc.boolean(), (buf, allowEmpty) => {
        const file = join(dir, `f${n++}.json`);
        writeFileSync(file, buf);
        const expected = outcome(() => decodedAsUtf8(buf, allowEmpty));
        expect(outcome(() => decodeInputText(buf, file, { allowEmpty }))).toEqual(expected);
        expect(outcome(() => readInputText(file, { allowEmpty }))).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("keeps a U+FFFD written in the file, and names an invalid byte as before", () => {
    expect(decodeInputText(Buffer.from('{"a": "\uFFFD"}', "utf8"), "f")).toBe('{"a": "\uFFFD"}');
    const bad = Buffer.concat([Buffer.from('{"a": "'), Buffer.from([0xe9]), Buffer.from('"}')]);
    expect(() => decodeInputText(bad, "f")).toThrow("invalid UTF-8 at byte offset 7 (0xe9)");
    expect(decodeInputText(Buffer.from("\uFEFF{}", "utf8"), "f")).toBe("{}");
  });
});
