/**
 * JSON.parse keeps the last of two equal keys without a word; CloudFormation and Terraform reject such
 * documents. One pass over text that already parsed (so it is well-formed JSON) finds the first key that
 * repeats within its object, at the cost of a scan, without building the document again: keys are compared
 * where they stand in the text (by length first), and no string is cut out of it unless an object has many
 * keys or a key holds an escaped quote.
 */

export interface DuplicateKey {
  key: string;
  /** Offset of the repeated key's opening quote. */
  offset: number;
}

/** Keys of an object compared in place up to this many; a Set of the keys' texts beyond. */
const FEW_KEYS = 32;

/** Whether the keys at [a, a + length) and [b, b + length) of the text are the same characters. */
function sameText(text: string, a: number, b: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (text.charCodeAt(a + k) !== text.charCodeAt(b + k)) return false;
  return true;
}

/**
 * The open objects' keys, on one stack: `starts`/`ends` hold the inner spans of every open object's keys
 * (an object's own run begins at its `base`); an object that outgrew FEW_KEYS, or has an escaped key,
 * keeps its keys' texts in a Set instead.
 */
class OpenObjects {
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** Per open container: the index its keys begin at in starts/ends, or -1 for an array. */
  readonly bases: number[] = [];
  readonly sets: (Set<string> | undefined)[] = [];
  count = 0;

  open(isObject: boolean): void {
    this.bases.push(isObject ? this.count : -1);
    this.sets.push(undefined);
  }

  /** Closes the innermost container; false when no container stays open. */
  close(): boolean {
    const base = this.bases.pop()!;
    this.sets.pop();
    if (base >= 0) this.count = base;
    return this.bases.length > 0;
  }

  inObject(): boolean {
    return this.bases.length > 0 && this.bases[this.bases.length - 1]! >= 0;
  }

  /** Adds the key whose quotes are at `open` and `close`: true when the object already has it. */
  add(text: string, open: number, close: number, escaped: boolean): boolean {
    const top = this.bases.length - 1;
    const base = this.bases[top]!;
    let set = this.sets[top];
    if (!set && (escaped || this.count - base >= FEW_KEYS)) {
      set = new Set<string>();
      for (let k = base; k < this.count; k++) set.add(text.slice(this.starts[k]!, this.ends[k]!));
      this.sets[top] = set;
    }
    if (set) {
      const key = keyText(text, open, close, escaped);
      if (set.has(key)) return true;
      set.add(key);
      return false;
    }
    const start = open + 1;
    const length = close - start;
    for (let k = base; k < this.count; k++) {
      const s = this.starts[k]!;
      if (this.ends[k]! - s === length && sameText(text, s, start, length)) return true;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = close;
    this.count++;
    return false;
  }
}

/** The key whose quotes are at `open` and `close`: decoded when it holds an escaped quote, else as written. */
function keyText(text: string, open: number, close: number, escaped: boolean): string {
  return escaped ? (JSON.parse(text.slice(open, close + 1)) as string) : text.slice(open + 1, close);
}

/**
 * The objects and arrays of a scan down to `depth` (the outermost value is depth 1): the offset just past each
 * one's closing bracket, by the offset of its opening one. A reader that looks positions up later jumps over
 * them without scanning their text again.
 */
export interface ContainerEnds {
  readonly depth: number;
  readonly ends: Map<number, number>;
}

/**
 * The first repeated key in the JSON value starting at `from` (and ending by `to`), or undefined. With `record`,
 * the ends of the containers down to its depth are noted on the way (complete when no key repeats).
 */
export function findDuplicateKey(text: string, from = 0, to = text.length, record?: ContainerEnds): DuplicateKey | undefined {
  const objects = new OpenObjects();
  /** Opening offsets of the open containers that are recorded. */
  const opened: number[] = [];
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = i + 1;
      let escaped = false;
      for (;;) {
        end = text.indexOf('"', end);
        if (end === -1 || end >= to) return undefined;
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
        if (backslashes % 2 === 0) break;
        escaped = true;
        end++;
      }
      const open = i;
      i = end;
      if (!objects.inObject()) continue;
      let next = end + 1;
      let n = text.charCodeAt(next);
      while (n === 0x20 || n === 0x0a || n === 0x0d || n === 0x09) n = text.charCodeAt(++next);
      if (n !== 0x3a) continue;
      if (objects.add(text, open, end, escaped)) return { key: keyText(text, open, end, escaped), offset: open };
    } else if (c === 0x7b || c === 0x5b) {
      objects.open(c === 0x7b);
      if (record && objects.bases.length <= record.depth) opened.push(i);
    } else if (c === 0x7d || c === 0x5d) {
      if (record && objects.bases.length <= record.depth) record.ends.set(opened.pop()!, i + 1);
      if (!objects.close()) return undefined;
    }
  }
  return undefined;
}
