/**
 * Reading one input file, refusing what is not one: a FIFO or device is never opened for a blocking read (it
 * would hang without a writer), an empty, binary or oversized file is named as such, and text that is not
 * valid UTF-8 is refused at the byte where it breaks instead of being decoded into replacement characters.
 */

import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { InputError } from "../../model/index.js";

export const MAX_INPUT_BYTES = 50 * 1024 * 1024;

/** What a file system entry is, in words, when it is not a regular file or a directory. */
export function describeSpecialFile(st: {
  isFIFO(): boolean;
  isCharacterDevice(): boolean;
  isBlockDevice(): boolean;
  isSocket(): boolean;
}): string {
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file";
  if (code === "EACCES" || code === "EPERM") return "permission denied";
  if (code === "ELOOP") return "too many levels of symbolic links";
  return code ?? (e as Error).message;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** What a reader expects of a file: its kind in words, for the messages, and whether an empty file is one. */
export interface ReadExpectation {
  /** e.g. "a Terraform configuration file (.tf)"; the default names the inputs `lint` takes. */
  expected?: string;
  /** An empty file is a valid input of this kind (an empty `.tf` file is an empty module part). */
  allowEmpty?: boolean;
}

/** The text of an input file (a leading BOM removed), or an InputError naming the file and what is wrong. */
export function readInputText(file: string, expect: ReadExpectation = {}): string {
  let fd: number;
  try {
    // Non-blocking, so opening a FIFO without a writer returns at once; fstat then refuses it.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`cannot read: ${errnoText(e)}`, file);
  }
  let buf: Buffer;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new InputError("cannot read: is a directory", file);
    if (!st.isFile())
      throw new InputError(
        `cannot read: ${describeSpecialFile(st)}, not a regular file`,
        file,
        undefined,
        undefined,
        "give a file or a folder",
      );
    if (st.size > MAX_INPUT_BYTES)
      throw new InputError(`file is ${(st.size / 1048576).toFixed(0)} MB, more than the 50 MB this tool reads`, file);
    buf = readFileSync(fd);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read: ${errnoText(e)}`, file);
  } finally {
    closeSync(fd);
  }
  return decodeInputText(buf, file, expect);
}

/** Bytes read from a file or standard input as text, or an InputError: empty, binary, not UTF-8. */
export function decodeInputText(buf: Buffer, file: string, expect: ReadExpectation = {}): string {
  if (buf.length === 0) {
    if (expect.allowEmpty) return "";
    throw new InputError(
      `empty file: expected ${expect.expected ?? "a CloudFormation template or a Terraform plan (terraform show -json)"}`,
      file,
    );
  }
  if (buf.subarray(0, 8000).includes(0))
    throw new InputError(
      `binary file: expected ${expect.expected ?? "a CloudFormation template (YAML/JSON) or a Terraform plan JSON"}`,
      file,
    );
  // Decoding replaces each invalid sequence with U+FFFD: text without one came from valid UTF-8, and the
  // bytes need no pass of their own (a U+FFFD may also be written in the file: then the bytes tell).
  const text = buf.toString("utf8");
  if (text.includes("\uFFFD") && !isUtf8(buf)) {
    const at = firstInvalidUtf8(buf);
    throw new InputError(
      `invalid UTF-8 at byte offset ${at} (0x${buf[at]?.toString(16).padStart(2, "0") ?? "??"})`,
      file,
      undefined,
      undefined,
      "save the file as UTF-8",
    );
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
