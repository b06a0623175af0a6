/** Validation of SARIF against the OASIS 2.1.0 schema in ../shared/schemas, with ajv. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";

export const SARIF_SCHEMA_FILE = join(import.meta.dirname, "../../../shared/schemas/sarif-schema-2.1.0.json");

/**
 * The schema declares draft-04 ("id", not "$id"), which ajv 8 no longer ships a meta-schema for. The
 * keywords this schema uses mean the same in draft-07, so it is compiled as draft-07 with its id moved
 * to "$id"; the three formats it uses are checked here (ajv-formats is not a dependency).
 */
export function sarifValidator() {
  const schema = JSON.parse(readFileSync(SARIF_SCHEMA_FILE, "utf8")) as Record<string, unknown>;
  if (schema.$schema !== "http://json-schema.org/draft-04/schema#") throw new Error(`unexpected meta-schema ${String(schema.$schema)}`);
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat("uri", /^[a-z][a-z0-9+.-]*:[^\s]*$/i);
  ajv.addFormat("uri-reference", /^[^\s]*$/);
  ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
  const validate = ajv.compile(schema);
  return (sarif: unknown): string[] => {
    if (validate(sarif)) return [];
    return (validate.errors ?? []).slice(0, 10).map((e) => `${e.instancePath} ${e.message}`);
  };
}

/** Every string value in a JSON tree, with its path. */
export function* strings(node: unknown, path = ""): Generator<[string, string]> {
  if (typeof node === "string") yield [path, node];
  else if (Array.isArray(node)) for (const [i, v] of node.entries()) yield* strings(v, `${path}/${i}`);
  else if (node && typeof node === "object") for (const [k, v] of Object.entries(node)) yield* strings(v, `${path}/${k}`);
}

/** Paths of strings that look like an absolute path of this machine. */
export function absolutePaths(sarif: unknown, forbidden: string[]): string[] {
  const bad: string[] = [];
  for (const [path, value] of strings(sarif)) {
    if (path.endsWith("/uri") && (value.startsWith("/") || /^[a-z]:/i.test(value) || value.startsWith("file:")))
      bad.push(`${path}: ${value}`);
    for (const f of forbidden) if (value.includes(f)) bad.push(`${path}: contains ${f}`);
  }
  return bad;
}
