/**
 * Values of a configuration as far as they can be known without a plan: plain JSON-like data, with
 * `Unknown` wherever Terraform would know the value only at plan or apply time (a computed attribute,
 * a variable without a value, a data source, a remote module). An Unknown says why and what would
 * decide it.
 */
import type { UnknownCode } from "../../model/index.js";

export class Unknown {
  constructor(
    readonly code: UnknownCode,
    readonly message: string,
    readonly decide?: string,
  ) {}
}

export type TfValue = null | boolean | number | string | Unknown | TfValue[] | TfObject | LazyObject;
export interface TfObject {
  [key: string]: TfValue;
}

/**
 * An object whose attributes are computed on demand: a resource instance (configured arguments, or
 * "known after apply"), a module instance's outputs. Never serialised whole.
 */
export class LazyObject {
  constructor(
    readonly describe: string,
    readonly get: (name: string) => TfValue,
    readonly keys: () => string[] = () => [],
  ) {}
}

export const isUnknown = (v: TfValue | undefined): v is Unknown => v instanceof Unknown;

export function isObjectValue(v: TfValue | undefined): v is TfObject {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Unknown) && !(v instanceof LazyObject);
}

/** The first Unknown anywhere inside a value (deep), if any. */
export function firstUnknown(v: TfValue, depth = 0): Unknown | undefined {
  if (v instanceof Unknown) return v;
  if (depth > 32 || v === null || typeof v !== "object" || v instanceof LazyObject) return undefined;
  const items = Array.isArray(v) ? v : Object.values(v);
  for (const item of items) {
    const found = firstUnknown(item, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** A shallow-to-deep conversion of a LazyObject into data, for places that need a whole value. */
export function materialize(v: TfValue, depth = 0): TfValue {
  if (v instanceof LazyObject) {
    if (depth > 4) return new Unknown("unsupported", `${v.describe} is too deeply nested to evaluate`);
    const out: TfObject = {};
    for (const k of v.keys()) out[k] = materialize(v.get(k), depth + 1);
    return out;
  }
  if (Array.isArray(v)) return v.map((x) => materialize(x, depth + 1));
  if (isObjectValue(v)) {
    const out: TfObject = {};
    for (const [k, x] of Object.entries(v)) out[k] = materialize(x, depth + 1);
    return out;
  }
  return v;
}

export function typeName(v: TfValue): string {
  if (v === null) return "null";
  if (v instanceof Unknown) return "unknown";
  if (v instanceof LazyObject) return "object";
  if (Array.isArray(v)) return "list";
  return typeof v === "object" ? "object" : typeof v;
}

/** Terraform's string conversion of a primitive; undefined for collections. */
export function asString(v: TfValue): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  return undefined;
}

export function asNumber(v: TfValue): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function asBool(v: TfValue): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (v === "true") return true;
  if (v === "false") return false;
  return undefined;
}

/** Equality as Terraform's == (deep, primitives by value). */
export function equal(a: TfValue, b: TfValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equal(x, b[i] as TfValue));
  if (isObjectValue(a) && isObjectValue(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k] as TfValue, b[k] as TfValue));
  }
  return false;
}
