/**
 * JSON.parse keeps the last of two equal keys without a word; CloudFormation and Terraform reject such
 * documents. One pass over text that already parsed (so it is well-formed JSON) finds the first key that
 * repeats within its object, at the cost of a scan, without building the document again.
 */

export interface DuplicateKey {
  key: string;
  /** Offset of the repeated key's opening quote. */
  offset: number;
}

/** Where the scan stops: a string, or a bracket that opens or closes a container. */
const STRUCTURE = /["{}[\]]/g;

/**
 * The first repeated key in the JSON value starting at `from` (and ending by `to`), or undefined. Keys of an
 * object are kept in a small array (linear search is cheaper than a Set for the few keys most objects have),
 * in a Set once there are many.
 */
export function findDuplicateKey(text: string, from = 0, to = text.length): DuplicateKey | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: (string[] | Set<string> | null)[] = [];
  const structure = new RegExp(STRUCTURE.source, "g");
  structure.lastIndex = from;
  for (let m = structure.exec(text); m !== null && m.index < to; m = structure.exec(text)) {
    const i = m.index;
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
      structure.lastIndex = end + 1;
      const keys = stack[stack.length - 1];
      if (!keys) continue;
      let next = end + 1;
      let n = text.charCodeAt(next);
      while (n === 0x20 || n === 0x0a || n === 0x0d || n === 0x09) n = text.charCodeAt(++next);
      if (n !== 0x3a) continue;
      const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : text.slice(i + 1, end);
      if (Array.isArray(keys)) {
        if (keys.includes(key)) return { key, offset: i };
        keys.push(key);
        if (keys.length > 32) stack[stack.length - 1] = new Set(keys);
      } else {
        if (keys.has(key)) return { key, offset: i };
        keys.add(key);
      }
      continue;
    }
    if (c === 0x7b) stack.push([]);
    else if (c === 0x5b) stack.push(null);
    else {
      stack.pop();
      if (stack.length === 0) return undefined;
    }
  }
  return undefined;
}
