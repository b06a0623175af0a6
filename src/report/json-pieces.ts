/**
 * JSON.stringify(value, null, 2) in pieces: the same text, cut between the elements of the outer objects and
 * arrays, so that a report of hundreds of megabytes (a fleet's paths hop by hop) is written while it is made
 * instead of being built into one string and copied whole into one buffer. Containers down to `depth` are laid
 * out here as JSON.stringify lays them out (toJSON first; undefined, functions and symbols left out of objects
 * and null in arrays; `[]` and `{}` when empty); everything deeper is JSON.stringify's own text, indented.
 * Pieces are about PIECE characters each.
 */

const PIECE = 1 << 20;

/** What JSON.stringify writes for a value: the result of its toJSON, when it has one. */
function prepared(key: string, value: unknown): unknown {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function")
    return (value as { toJSON(key: string): unknown }).toJSON(key);
  return value;
}

/** Left out of an object, null in an array. */
const unwritable = (v: unknown) => v === undefined || typeof v === "function" || typeof v === "symbol";

/** A plain array or object: laid out here. Anything else (a class instance, a boxed value) is left to JSON.stringify. */
function isContainer(v: unknown): v is Record<string, unknown> | unknown[] {
  if (v === null || typeof v !== "object") return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

export function* jsonPieces(value: unknown, depth = 4): Generator<string> {
  let buffer = "";
  function* write(v: unknown, indent: string, level: number): Generator<string> {
    if (level >= depth || !isContainer(v)) {
      const text = JSON.stringify(v, null, 2);
      buffer += indent.length > 0 && text.includes("\n") ? text.replace(/\n/g, `\n${indent}`) : text;
    } else if (Array.isArray(v)) {
      if (v.length === 0) buffer += "[]";
      else {
        const inner = `${indent}  `;
        for (let i = 0; i < v.length; i++) {
          const x = prepared(String(i), v[i]);
          buffer += `${i > 0 ? "," : "["}\n${inner}`;
          if (unwritable(x)) buffer += "null";
          else yield* write(x, inner, level + 1);
        }
        buffer += `\n${indent}]`;
      }
    } else {
      const inner = `${indent}  `;
      let first = true;
      for (const key of Object.keys(v)) {
        const x = prepared(key, v[key]);
        if (unwritable(x)) continue;
        buffer += `${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
        first = false;
        yield* write(x, inner, level + 1);
      }
      buffer += first ? "{}" : `\n${indent}}`;
    }
    if (buffer.length >= PIECE) {
      yield buffer;
      buffer = "";
    }
  }
  const top = prepared("", value);
  if (unwritable(top)) return;
  yield* write(top, "", 0);
  if (buffer) yield buffer;
}
