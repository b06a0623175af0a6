/**
 * The image an instance or launch template names. It is told by what the configuration refers to:
 * data "aws_ssm_parameter" (the parameter's name says the AMI family) or data "aws_ami" (its name
 * filter), not by the AMI id those resolve to.
 */
import { type ImageSource, known, type Origin, type Unknown, unknown, type Value } from "../../model/index.js";
import { parseReference } from "./addresses.js";
import type { TfResource } from "./plan-index.js";
import type { Path, Reader } from "./reader.js";
import type { Context } from "./references.js";
import { isObject, type Json, type RawConfigResource, type RawExpressions } from "./types.js";

/** What an image argument names, from a literal ("ami-…", "resolve:ssm:/aws/…") or a parameter path. */
function imageFromText(text: string, origin: Origin | undefined): Value<ImageSource> {
  const t = text.trim();
  const ssm = /^(?:\{\{)?resolve:ssm:([^}]+?)(?::\d+)?(?:\}\})?$/.exec(t);
  if (ssm) return known({ kind: "ssm-parameter", name: ssm[1]! }, origin);
  if (t.startsWith("/")) return known({ kind: "ssm-parameter", name: t }, origin);
  if (/^ami-[0-9a-f]+$/i.test(t)) return known({ kind: "ami-id", id: t }, origin);
  return unknown("unresolved", `the image is '${t}', which is not an AMI id`, undefined, origin);
}

function stringValue(
  reader: Reader,
  data: TfResource | undefined,
  config: RawConfigResource | undefined,
  name: string,
): string | undefined {
  if (data) {
    const raw = reader.raw(data, [name]);
    if (raw.kind === "value" && typeof raw.value === "string") return raw.value;
  }
  const e = config?.expressions?.[name];
  return e && !Array.isArray(e) && typeof e.constant_value === "string" ? e.constant_value : undefined;
}

/** data "aws_ami": the `name` filter, else name_regex, else the name of the image it found. */
function amiDataImage(
  reader: Reader,
  data: TfResource | undefined,
  config: RawConfigResource | undefined,
  origin: Origin,
): Value<ImageSource> | undefined {
  const owners = (() => {
    const raw = data ? reader.raw(data, ["owners"]) : undefined;
    if (raw?.kind === "value" && Array.isArray(raw.value)) return raw.value.filter((o): o is string => typeof o === "string");
    const e = config?.expressions?.owners;
    return e && !Array.isArray(e) && Array.isArray(e.constant_value)
      ? e.constant_value.filter((o): o is string => typeof o === "string")
      : undefined;
  })();
  const withOwners = (pattern: string): ImageSource => ({
    kind: "name-filter",
    pattern,
    ...(owners && owners.length > 0 ? { owners } : {}),
  });
  const filters: Json[] = [];
  const raw = data ? reader.raw(data, ["filter"]) : undefined;
  if (raw?.kind === "value" && Array.isArray(raw.value)) filters.push(...raw.value);
  else {
    const blocks = config?.expressions?.filter;
    if (Array.isArray(blocks))
      for (const b of blocks as RawExpressions[]) {
        const name = b.name && !Array.isArray(b.name) ? b.name.constant_value : undefined;
        const values = b.values && !Array.isArray(b.values) ? b.values.constant_value : undefined;
        filters.push({ name: name ?? null, values: values ?? null });
      }
  }
  for (const f of filters) {
    if (!isObject(f) || f.name !== "name" || !Array.isArray(f.values)) continue;
    const pattern = f.values.find((v): v is string => typeof v === "string");
    if (pattern) return known(withOwners(pattern), origin);
  }
  const regex = stringValue(reader, data, config, "name_regex");
  if (regex) return known(withOwners(regex), origin);
  const found = stringValue(reader, data, undefined, "name");
  if (found) return known({ kind: "described", description: found }, origin);
  return undefined;
}

/** A data source a reference names, whether or not the plan has its result. */
function dataSource(
  reader: Reader,
  ref: string,
  context: Context,
): { data?: TfResource; config?: RawConfigResource; type: string } | undefined {
  const parsed = parseReference(ref);
  if (parsed.kind !== "resource" || parsed.mode !== "data") return undefined;
  const data = reader.index.instancesOf(context.scope, context.module, "data", parsed.type, parsed.name, parsed.index)[0];
  const config = context.scope.resources.get(`data.${parsed.type}.${parsed.name}`);
  return { ...(data ? { data } : {}), ...(config ? { config } : {}), type: parsed.type };
}

export function imageOf(reader: Reader, resource: TfResource, path: Path): Value<ImageSource> | undefined {
  const origin = reader.origin(resource, path);
  const expression = reader.expression(resource, path);
  const context = reader.contextOf(resource);
  if (expression && context) {
    // The configuration names the image's source even when the plan already holds the id it resolved to.
    for (const target of reader.refs.resolve(expression, context)) {
      if (target.kind === "resource" && target.resource.mode === "data") {
        const found = imageFromData(reader, target.resource.type, target.resource, target.resource.config, origin);
        if (found) return found;
      } else if (target.kind === "unresolved") {
        const source = dataSource(reader, target.ref, context);
        const found = source ? imageFromData(reader, source.type, source.data, source.config, origin) : undefined;
        if (found) return found;
      } else if (target.kind === "constant" && typeof target.value === "string" && target.value !== "") {
        return imageFromText(target.value, origin);
      }
    }
  }
  const raw = reader.raw(resource, path);
  if (raw.kind === "null" || (raw.kind === "value" && raw.value === "")) return undefined;
  if (raw.kind === "value" && typeof raw.value === "string") return imageFromText(raw.value, origin);
  return reader.str(resource, path) as Unknown;
}

function imageFromData(
  reader: Reader,
  type: string,
  data: TfResource | undefined,
  config: RawConfigResource | undefined,
  origin: Origin,
): Value<ImageSource> | undefined {
  if (type === "aws_ssm_parameter") {
    const name = stringValue(reader, data, config, "name");
    return name ? known({ kind: "ssm-parameter", name }, origin) : undefined;
  }
  if (type === "aws_ami") return amiDataImage(reader, data, config, origin);
  return undefined;
}
