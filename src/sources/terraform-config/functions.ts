/**
 * Terraform's built-in functions that configurations use to build network and IAM settings. Any
 * Unknown argument makes the result Unknown (except `try`, `can` and `coalesce`, which the evaluator
 * treats specially). A function not listed here gives an Unknown naming it.
 */
import { gzipSync } from "node:zlib";
import {
  asBool,
  asNumber,
  asString,
  equal,
  firstUnknown,
  isObjectValue,
  isUnknown,
  materialize,
  type TfObject,
  type TfValue,
  typeName,
  Unknown,
} from "./values.js";

export class FunctionError extends Error {}

type HclFunction = (args: TfValue[]) => TfValue;

const list = (v: TfValue, fn: string): TfValue[] => {
  if (Array.isArray(v)) return v;
  if (isObjectValue(v) && fn === "values") return Object.values(v);
  throw new FunctionError(`${fn}: expected a list, got ${typeName(v)}`);
};
const str = (v: TfValue, fn: string): string => {
  const s = asString(v);
  if (s === undefined) throw new FunctionError(`${fn}: expected a string, got ${typeName(v)}`);
  return s;
};
const num = (v: TfValue, fn: string): number => {
  const n = asNumber(v);
  if (n === undefined) throw new FunctionError(`${fn}: expected a number, got ${typeName(v)}`);
  return n;
};
const obj = (v: TfValue, fn: string): TfObject => {
  if (isObjectValue(v)) return v;
  throw new FunctionError(`${fn}: expected a map or object, got ${typeName(v)}`);
};

function distinct(items: TfValue[]): TfValue[] {
  const out: TfValue[] = [];
  for (const item of items) if (!out.some((o) => equal(o, item))) out.push(item);
  return out;
}

/** Go's fmt verbs as Terraform's format uses them (%s %d %v %q %%, width ignored). */
function format(spec: string, args: TfValue[]): string {
  let i = 0;
  return spec.replace(/%(?:\[(\d+)\])?[-+# 0]*\d*(?:\.\d+)?([sdvqtfx%])/g, (_, pos: string | undefined, verb: string) => {
    if (verb === "%") return "%";
    const arg = pos ? args[Number(pos) - 1] : args[i++];
    if (arg === undefined) throw new FunctionError("format: too few arguments");
    if (verb === "q") return JSON.stringify(str(arg, "format"));
    if (verb === "d") return String(Math.trunc(num(arg, "format")));
    if (verb === "x") return Math.trunc(num(arg, "format")).toString(16);
    if (verb === "v" && typeof arg === "object" && arg !== null) return JSON.stringify(materialize(arg));
    return str(arg, "format");
  });
}

// ------------------------------------------------------------------ IPv4 CIDR arithmetic

function parseV4(cidr: string, fn: string): { base: number; bits: number } {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
  if (!m) throw new FunctionError(`${fn}: only IPv4 prefixes are evaluated ('${cidr}')`);
  const octets = m.slice(1, 5).map(Number);
  const bits = Number(m[5]);
  if (octets.some((o) => o > 255) || bits > 32) throw new FunctionError(`${fn}: invalid prefix '${cidr}'`);
  const ip = ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return { base: (ip & mask) >>> 0, bits };
}
const ipString = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

function cidrsubnet(prefix: string, newbits: number, netnum: number): string {
  const { base, bits } = parseV4(prefix, "cidrsubnet");
  const total = bits + newbits;
  if (total > 32) throw new FunctionError(`cidrsubnet: ${prefix} has no room for ${newbits} more bits`);
  if (netnum < 0 || netnum >= 2 ** newbits) throw new FunctionError(`cidrsubnet: netnum ${netnum} does not fit in ${newbits} bits`);
  const net = (base + netnum * 2 ** (32 - total)) >>> 0;
  return `${ipString(net)}/${total}`;
}

function cidrhost(prefix: string, hostnum: number): string {
  const { base, bits } = parseV4(prefix, "cidrhost");
  const size = 2 ** (32 - bits);
  const n = hostnum < 0 ? size + hostnum : hostnum;
  if (n < 0 || n >= size) throw new FunctionError(`cidrhost: host ${hostnum} is outside ${prefix}`);
  return ipString((base + n) >>> 0);
}

function cidrsubnets(prefix: string, newbits: number[]): string[] {
  const { base, bits } = parseV4(prefix, "cidrsubnets");
  let next = base;
  return newbits.map((nb) => {
    const size = 2 ** (32 - bits - nb);
    if (bits + nb > 32) throw new FunctionError(`cidrsubnets: ${prefix} has no room for ${nb} more bits`);
    const start = Math.ceil((next - base) / size) * size + base;
    next = start + size;
    return `${ipString(start >>> 0)}/${bits + nb}`;
  });
}

const FUNCTIONS: Record<string, HclFunction> = {
  abs: ([a]) => Math.abs(num(a!, "abs")),
  ceil: ([a]) => Math.ceil(num(a!, "ceil")),
  floor: ([a]) => Math.floor(num(a!, "floor")),
  max: (args) => Math.max(...args.map((a) => num(a, "max"))),
  min: (args) => Math.min(...args.map((a) => num(a, "min"))),
  sum: ([a]) => list(a!, "sum").reduce<number>((s, x) => s + num(x, "sum"), 0),
  parseint: ([a, b]) => Number.parseInt(str(a!, "parseint"), num(b!, "parseint")),
  format: ([spec, ...args]) => format(str(spec!, "format"), args),
  formatlist: ([spec, ...args]) => {
    const n = Math.max(0, ...args.map((a) => (Array.isArray(a) ? a.length : 0)));
    return Array.from({ length: n }, (_, i) =>
      format(
        str(spec!, "formatlist"),
        args.map((a) => (Array.isArray(a) ? (a[i] as TfValue) : a)),
      ),
    );
  },
  join: ([sep, ...lists]) =>
    lists
      .flatMap((l) => list(l, "join"))
      .map((x) => str(x, "join"))
      .join(str(sep!, "join")),
  split: ([sep, s]) => str(s!, "split").split(str(sep!, "split")),
  lower: ([s]) => str(s!, "lower").toLowerCase(),
  upper: ([s]) => str(s!, "upper").toUpperCase(),
  title: ([s]) => str(s!, "title").replace(/\b\w/g, (c) => c.toUpperCase()),
  trimspace: ([s]) => str(s!, "trimspace").trim(),
  trimprefix: ([s, p]) => {
    const t = str(s!, "trimprefix");
    const pre = str(p!, "trimprefix");
    return t.startsWith(pre) ? t.slice(pre.length) : t;
  },
  trimsuffix: ([s, p]) => {
    const t = str(s!, "trimsuffix");
    const suf = str(p!, "trimsuffix");
    return suf !== "" && t.endsWith(suf) ? t.slice(0, -suf.length) : t;
  },
  trim: ([s, chars]) => {
    const set = new Set(str(chars!, "trim"));
    const t = [...str(s!, "trim")];
    let a = 0;
    let b = t.length;
    while (a < b && set.has(t[a]!)) a++;
    while (b > a && set.has(t[b - 1]!)) b--;
    return t.slice(a, b).join("");
  },
  replace: ([s, from, to]) => {
    const f = str(from!, "replace");
    const m = /^\/(.*)\/$/s.exec(f);
    if (m) throw new FunctionError("replace: regular expressions are not evaluated");
    return str(s!, "replace").split(f).join(str(to!, "replace"));
  },
  substr: ([s, off, len]) => {
    const chars = [...str(s!, "substr")];
    let o = num(off!, "substr");
    if (o < 0) o = chars.length + o;
    const l = num(len!, "substr");
    return chars.slice(o, l < 0 ? undefined : o + l).join("");
  },
  startswith: ([s, p]) => str(s!, "startswith").startsWith(str(p!, "startswith")),
  endswith: ([s, p]) => str(s!, "endswith").endsWith(str(p!, "endswith")),
  strcontains: ([s, p]) => str(s!, "strcontains").includes(str(p!, "strcontains")),
  tostring: ([s]) => (s === null ? null : str(s!, "tostring")),
  tonumber: ([s]) => (s === null ? null : num(s!, "tonumber")),
  tobool: ([s]) => {
    if (s === null) return null;
    const b = asBool(s!);
    if (b === undefined) throw new FunctionError(`tobool: cannot convert ${typeName(s!)}`);
    return b;
  },
  tolist: ([l]) => [...list(l!, "tolist")],
  toset: ([l]) => distinct(list(l!, "toset")),
  tomap: ([o]) => ({ ...obj(o!, "tomap") }),
  concat: (lists) => lists.flatMap((l) => list(l, "concat")),
  flatten: ([l]) => {
    const out: TfValue[] = [];
    const walk = (x: TfValue) => (Array.isArray(x) ? x.forEach(walk) : out.push(x));
    walk(list(l!, "flatten"));
    return out;
  },
  distinct: ([l]) => distinct(list(l!, "distinct")),
  compact: ([l]) => list(l!, "compact").filter((x) => x !== null && x !== ""),
  length: ([v]) => {
    if (typeof v === "string") return [...v].length;
    if (Array.isArray(v)) return v.length;
    return Object.keys(obj(v!, "length")).length;
  },
  element: ([l, i]) => {
    const items = list(l!, "element");
    if (items.length === 0) throw new FunctionError("element: empty list");
    return items[((num(i!, "element") % items.length) + items.length) % items.length] as TfValue;
  },
  index: ([l, v]) => {
    const at = list(l!, "index").findIndex((x) => equal(x, v!));
    if (at < 0) throw new FunctionError("index: value not in the list");
    return at;
  },
  contains: ([l, v]) => list(l!, "contains").some((x) => equal(x, v!)),
  slice: ([l, a, b]) => list(l!, "slice").slice(num(a!, "slice"), num(b!, "slice")),
  reverse: ([l]) => [...list(l!, "reverse")].reverse(),
  sort: ([l]) =>
    list(l!, "sort")
      .map((x) => str(x, "sort"))
      .sort(),
  range: (args) => {
    const [start, end, step] =
      args.length === 1
        ? [0, num(args[0]!, "range"), 1]
        : [num(args[0]!, "range"), num(args[1]!, "range"), args[2] === undefined ? 1 : num(args[2], "range")];
    if (step === 0) throw new FunctionError("range: step must not be zero");
    const out: number[] = [];
    for (let x = start; step > 0 ? x < end : x > end; x += step) {
      out.push(x);
      if (out.length > 1024) throw new FunctionError("range: more than 1024 elements");
    }
    return out;
  },
  chunklist: ([l, n]) => {
    const items = list(l!, "chunklist");
    const size = num(n!, "chunklist");
    if (size <= 0) return [items];
    const out: TfValue[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  },
  keys: ([o]) => Object.keys(obj(o!, "keys")).sort(),
  values: ([o]) => {
    const m = obj(o!, "values");
    return Object.keys(m)
      .sort()
      .map((k) => m[k] as TfValue);
  },
  lookup: ([o, k, d]) => {
    const m = obj(o!, "lookup");
    const key = str(k!, "lookup");
    if (key in m) return m[key] as TfValue;
    if (d === undefined) throw new FunctionError(`lookup: no key '${key}' and no default`);
    return d;
  },
  merge: (objs) => Object.assign({}, ...objs.filter((o) => o !== null).map((o) => obj(o, "merge"))) as TfObject,
  zipmap: ([k, v]) => {
    const ks = list(k!, "zipmap");
    const vs = list(v!, "zipmap");
    const out: TfObject = {};
    ks.forEach((key, i) => {
      out[str(key, "zipmap")] = vs[i] as TfValue;
    });
    return out;
  },
  one: ([l]) => {
    const items = list(l!, "one");
    if (items.length > 1) throw new FunctionError("one: more than one element");
    return items.length === 0 ? null : (items[0] as TfValue);
  },
  coalescelist: (lists) => lists.find((l) => list(l, "coalescelist").length > 0) ?? [],
  setunion: (lists) => distinct(lists.flatMap((l) => list(l, "setunion"))),
  setintersection: ([first, ...rest]) =>
    distinct(list(first!, "setintersection").filter((x) => rest.every((l) => list(l, "setintersection").some((y) => equal(x, y))))),
  setsubtract: ([a, b]) => distinct(list(a!, "setsubtract").filter((x) => !list(b!, "setsubtract").some((y) => equal(x, y)))),
  jsonencode: ([v]) => JSON.stringify(materialize(v!)),
  jsondecode: ([s]) => JSON.parse(str(s!, "jsondecode")) as TfValue,
  base64encode: ([s]) => Buffer.from(str(s!, "base64encode"), "utf8").toString("base64"),
  base64decode: ([s]) => Buffer.from(str(s!, "base64decode"), "base64").toString("utf8"),
  // Terraform's base64gzip: gzip of the UTF-8 text, then base64 (the compressed bytes differ from Terraform's only
  // in the gzip header's fields, which cloud-init and ssm-doctor ignore).
  base64gzip: ([s]) => gzipSync(Buffer.from(str(s!, "base64gzip"), "utf8")).toString("base64"),
  cidrsubnet: ([p, b, n]) => cidrsubnet(str(p!, "cidrsubnet"), num(b!, "cidrsubnet"), num(n!, "cidrsubnet")),
  cidrhost: ([p, n]) => cidrhost(str(p!, "cidrhost"), num(n!, "cidrhost")),
  cidrnetmask: ([p]) => {
    const { bits } = parseV4(str(p!, "cidrnetmask"), "cidrnetmask");
    return ipString(bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0);
  },
  cidrsubnets: ([p, ...bits]) =>
    cidrsubnets(
      str(p!, "cidrsubnets"),
      bits.map((b) => num(b, "cidrsubnets")),
    ),
  sensitive: ([v]) => v!,
  nonsensitive: ([v]) => v!,
};

/** Functions whose result depends on the machine, the clock, or randomness: never evaluated. */
const IMPURE = new Set(["timestamp", "uuid", "bcrypt", "plantimestamp", "uuidv5"]);

export function callFunction(name: string, args: TfValue[]): TfValue {
  const bare = name.replace(/^provider::[^:]+::/, "");
  const fn = FUNCTIONS[bare];
  if (!fn || IMPURE.has(bare))
    return new Unknown(
      "unsupported",
      `the function ${name}() is not evaluated without a plan`,
      "run terraform plan and lint the plan JSON",
    );
  const unknownArg = args.map((a) => firstUnknown(a)).find((u) => u !== undefined);
  if (
    unknownArg &&
    bare !== "length" &&
    bare !== "concat" &&
    bare !== "merge" &&
    bare !== "tolist" &&
    bare !== "toset" &&
    bare !== "flatten"
  )
    return unknownArg;
  if (args.some(isUnknown)) return args.find(isUnknown) as Unknown;
  return fn(args);
}

export const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set(Object.keys(FUNCTIONS));
