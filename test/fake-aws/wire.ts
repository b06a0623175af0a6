/**
 * The wire formats of the fake: EC2 query (XML with `item` lists), AWS query for IAM/STS (XML with `member`
 * lists and a `<Op>Result` wrapper), REST-XML for Route 53, JSON 1.1 for Systems Manager; and each protocol's
 * error body. Response element names come from the AWS SDK's own service schemas (xmlName traits), so the
 * XML is what the services send and what the SDK's parsers read.
 */
import { NormalizedSchema } from "@smithy/core/schema";

export type Protocol = "ec2" | "query" | "restxml";

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function scalar(schema: NormalizedSchema, value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (schema.isTimestampSchema() && (typeof value === "number" || typeof value === "string")) return new Date(value).toISOString();
  return escapeXml(String(value));
}

function listMemberName(schema: NormalizedSchema, protocol: Protocol): string {
  const member = schema.getValueSchema();
  const name = member.getMergedTraits().xmlName as string | undefined;
  return name ?? (protocol === "ec2" ? "item" : "member");
}

/** The children of an element whose schema is `schema`. */
function body(schema: NormalizedSchema, value: unknown, protocol: Protocol): string {
  if (value === undefined || value === null) return "";
  if (schema.isStructSchema()) {
    const v = value as Record<string, unknown>;
    let out = "";
    for (const [memberName, member] of schema.structIterator()) {
      const x = v[memberName];
      if (x === undefined || x === null) continue;
      const traits = member.getMergedTraits();
      const name = (traits.xmlName as string | undefined) ?? memberName;
      if (member.isListSchema() && traits.xmlFlattened) {
        for (const item of x as unknown[]) out += `<${name}>${body(member.getValueSchema(), item, protocol)}</${name}>`;
      } else out += `<${name}>${body(member, x, protocol)}</${name}>`;
    }
    return out;
  }
  if (schema.isListSchema()) {
    const name = listMemberName(schema, protocol);
    return (value as unknown[]).map((item) => `<${name}>${body(schema.getValueSchema(), item, protocol)}</${name}>`).join("");
  }
  if (schema.isMapSchema()) {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${body(schema.getValueSchema(), v, protocol)}</value></entry>`)
      .join("");
  }
  return scalar(schema, value);
}

const NAMESPACES: Record<string, string> = {
  ec2: "http://ec2.amazonaws.com/doc/2016-11-15/",
  iam: "https://iam.amazonaws.com/doc/2010-05-08/",
  sts: "https://sts.amazonaws.com/doc/2011-06-15/",
  route53: "https://route53.amazonaws.com/doc/2013-04-01/",
};

/** The operation schema exported by an SDK client package as `<Operation>$`. */
export function operationSchema(pkg: Record<string, unknown>, operation: string): { output: NormalizedSchema } {
  const op = pkg[`${operation}$`] as unknown[] | undefined;
  if (!op) throw new Error(`no schema for ${operation}`);
  const output = op[5] as () => unknown;
  return { output: NormalizedSchema.of(output as never) };
}

export function xmlResponse(
  service: "ec2" | "iam" | "sts" | "route53",
  operation: string,
  output: NormalizedSchema,
  value: unknown,
  requestId: string,
): string {
  const xmlns = NAMESPACES[service];
  if (service === "ec2")
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${operation}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>${body(output, value, "ec2")}</${operation}Response>`;
  if (service === "route53") {
    const root = output.getName() ?? `${operation}Response`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${xmlns}">${body(output, value, "restxml")}</${root}>`;
  }
  return `<${operation}Response xmlns="${xmlns}"><${operation}Result>${body(output, value, "query")}</${operation}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
}

/** JSON 1.1 (Systems Manager): timestamps as epoch seconds. */
export function jsonResponse(value: unknown): string {
  // The replacer sees Date.toJSON's string: read the raw value from the holder.
  return JSON.stringify(value, function (this: Record<string, unknown>, k, v) {
    const raw = this[k];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export interface WireError {
  status: number;
  code: string;
  message: string;
}

export function errorBody(
  service: "ec2" | "iam" | "sts" | "route53" | "ssm" | "logs",
  e: WireError,
  requestId: string,
): { contentType: string; body: string } {
  if (service === "ssm" || service === "logs")
    return { contentType: "application/x-amz-json-1.1", body: JSON.stringify({ __type: e.code, message: e.message }) };
  if (service === "ec2")
    return {
      contentType: "text/xml",
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`,
    };
  const type = e.status >= 500 ? "Receiver" : "Sender";
  return {
    contentType: "text/xml",
    body: `<ErrorResponse xmlns="${NAMESPACES[service]}"><Error><Type>${type}</Type><Code>${e.code}</Code><Message>${escapeXml(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}

/** AWS query parameters (`Filter.1.Name`, `ActionNames.member.2`) into nested values. */
export function queryParams(form: URLSearchParams): Record<string, unknown> {
  const flat: Record<string, string> = {};
  for (const [k, v] of form) flat[k] = v;
  return flat;
}

/** EC2 `Filter.N.Name` / `Filter.N.Value.M` → [{ name, values }]. */
export function ec2Filters(p: Record<string, string>): { name: string; values: string[] }[] {
  const out: { name: string; values: string[] }[] = [];
  for (let n = 1; p[`Filter.${n}.Name`] !== undefined; n++) {
    const values: string[] = [];
    for (let m = 1; p[`Filter.${n}.Value.${m}`] !== undefined; m++) values.push(p[`Filter.${n}.Value.${m}`]!);
    out.push({ name: p[`Filter.${n}.Name`]!, values });
  }
  return out;
}

/** AWS query list `Name.member.N` → values. */
export function queryList(p: Record<string, string>, name: string): string[] {
  const out: string[] = [];
  for (let n = 1; p[`${name}.member.${n}`] !== undefined; n++) out.push(p[`${name}.member.${n}`]!);
  return out;
}
