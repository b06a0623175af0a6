/**
 * JSON.stringify(value, null, 2) in pieces: the same text, cut between the elements of the outer objects and
 * arrays, so that a report of hundreds of megabytes (a fleet's paths hop by hop) is written while it is made
 * instead of being built into one string and copied whole into one buffer. Containers down to `depth` are laid
 * out here as JSON.stringify lays them out (toJSON first; undefined, functions and symbols left out of objects
 * and null in arrays; `[]` and `{}` when empty); everything deeper is JSON.stringify's own text, indented.
 * The pieces are the parts as they are made (a key, a punctuation, a value's text), gathered in batches of
 * about PIECE characters so that the recursion yields once a batch, not once a part; each batch is written
 * before the next is made. An object in `shared` (one array in many places) is laid out once per
 * indentation: its text is a function of it, which does not change while it is written.
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

/** What JSON.stringify(…, null, 2) writes around a value wrapped in `levels` one-element arrays: [before, after] lengths. */
const wrapping: [number, number][] = [];
function wrappingOf(levels: number): [number, number] {
  // Level k opens with 2k spaces and "[\n", closes with "\n", 2k spaces and "]"; the value stands 2·levels spaces in.
  wrapping[levels] ??= [levels * levels + 3 * levels, levels * levels + levels];
  return wrapping[levels];
}

/**
 * JSON.stringify's text of v, its lines after the first indented by `indent` (an even number of spaces). v is
 * given to JSON.stringify inside as many one-element arrays as `indent` has levels, which lays it out at that
 * indentation, and the arrays' own text is cut off: no second pass over the text to indent it.
 */
function indented(v: unknown, indent: string): string {
  const levels = indent.length >> 1;
  if (levels === 0) return JSON.stringify(v, null, 2);
  let wrapped: unknown = v;
  for (let k = 0; k < levels; k++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  const [before, after] = wrappingOf(levels);
  return text.slice(before, text.length - after);
}

/** The text in batches of pieces of about PIECE characters in all, each batch made after the one before is taken. */
function* batches(value: unknown, depth: number, shared: WeakSet<object> | undefined): Generator<string[]> {
  let parts: string[] = [];
  let size = 0;
  const put = (text: string) => {
    parts.push(text);
    size += text.length;
  };
  const made = new Map<object, { indent: string; text: string }>();
  /** The text of a shared object, made the first time at this indentation. */
  const sharedText = (v: object, indent: string): string => {
    let m = made.get(v);
    if (m?.indent !== indent) {
      m = { indent, text: indented(v, indent) };
      made.set(v, m);
    }
    return m.text;
  };
  function* write(v: unknown, indent: string, level: number): Generator<string[]> {
    if (level >= depth || !isContainer(v)) {
      put(shared !== undefined && v !== null && typeof v === "object" && shared.has(v) ? sharedText(v, indent) : indented(v, indent));
    } else if (Array.isArray(v)) {
      if (v.length === 0) put("[]");
      else {
        const inner = `${indent}  `;
        for (let i = 0; i < v.length; i++) {
          const x = prepared(String(i), v[i]);
          put(`${i > 0 ? "," : "["}\n${inner}`);
          if (unwritable(x)) put("null");
          else yield* write(x, inner, level + 1);
        }
        put(`\n${indent}]`);
      }
    } else {
      const inner = `${indent}  `;
      let first = true;
      for (const key of Object.keys(v)) {
        const x = prepared(key, v[key]);
        if (unwritable(x)) continue;
        put(`${first ? "{" : ","}\n${inner}${JSON.stringify(key)}: `);
        first = false;
        yield* write(x, inner, level + 1);
      }
      put(first ? "{}" : `\n${indent}}`);
    }
    if (size >= PIECE) {
      yield parts;
      parts = [];
      size = 0;
    }
  }
  const top = prepared("", value);
  if (unwritable(top)) return;
  yield* write(top, "", 0);
  if (parts.length > 0) yield parts;
}

/**
 * The pieces one after another, as made: not joined into larger strings, which would cost a copy of every character
 * (the writer copies each into its own buffer: cli/common.ts).
 */
export function* jsonPieces(value: unknown, depth = 4, shared?: WeakSet<object>): Generator<string> {
  for (const batch of batches(value, depth, shared)) yield* batch;
}
