/**
 * Terraform addresses and references: `module.a["x"].aws_sg.b[0]`, `aws_sg.b.id`, `module.vpc.subnets`,
 * `var.x`. Parsed into traversal steps; quoted keys may contain dots and brackets.
 */

export type Step = { readonly name: string } | { readonly index: string | number };

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_-]*/y;

/** `module.a["x"].aws_sg.b[0].id` → name/index steps; undefined when it is not a traversal. */
export function parseTraversal(text: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === ".") {
      i++;
      continue;
    }
    if (c === "[") {
      const close = i + 1;
      if (text[close] === '"') {
        let j = close + 1;
        let key = "";
        while (j < n && text[j] !== '"') {
          if (text[j] === "\\" && j + 1 < n) {
            key += text[j + 1];
            j += 2;
          } else key += text[j++];
        }
        if (text[j + 1] !== "]") return undefined;
        steps.push({ index: key });
        i = j + 2;
      } else {
        const end = text.indexOf("]", close);
        if (end < 0) return undefined;
        const raw = text.slice(close, end).trim();
        if (/^\d+$/.test(raw)) steps.push({ index: Number(raw) });
        else if (raw === "*") steps.push({ index: "*" });
        else return undefined;
        i = end + 1;
      }
      continue;
    }
    IDENTIFIER.lastIndex = i;
    const m = IDENTIFIER.exec(text);
    if (!m) return undefined;
    steps.push({ name: m[0] });
    i += m[0].length;
  }
  return steps;
}

export interface ModuleSegment {
  readonly name: string;
  /** undefined: every instance of the module (or a module without count/for_each). */
  readonly index?: string | number;
}

const modulePaths = new Map<string, ModuleSegment[]>();

/** `module.a[0].module.b` → segments; "" → []. Results are shared (many resources have one module). */
export function parseModulePath(text: string | undefined): ModuleSegment[] {
  if (!text) return [];
  let cached = modulePaths.get(text);
  if (!cached) {
    cached = parseModuleSegments(text);
    if (modulePaths.size > 100_000) modulePaths.clear();
    modulePaths.set(text, cached);
  }
  return cached;
}

function parseModuleSegments(text: string): ModuleSegment[] {
  const steps = parseTraversal(text) ?? [];
  const out: ModuleSegment[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (!("name" in step) || step.name !== "module") continue;
    const name = steps[i + 1];
    if (!name || !("name" in name)) break;
    const index = steps[i + 2];
    if (index && "index" in index) {
      out.push({ name: name.name, index: index.index });
      i += 2;
    } else {
      out.push({ name: name.name });
      i += 1;
    }
  }
  return out;
}

export function formatIndex(index: string | number): string {
  return typeof index === "number" ? `[${index}]` : `[${JSON.stringify(index)}]`;
}

/** Segments → `module.a[0].module.b` (instance path) or, without indexes, the configuration path. */
export function formatModulePath(segments: readonly ModuleSegment[], withIndexes = true): string {
  return segments.map((s) => `module.${s.name}${withIndexes && s.index !== undefined ? formatIndex(s.index) : ""}`).join(".");
}

/** Does the instance path `actual` lie under the pattern (same names; an undefined index matches any)? */
export function modulePathMatches(pattern: readonly ModuleSegment[], actual: readonly ModuleSegment[]): boolean {
  if (pattern.length !== actual.length) return false;
  return pattern.every((p, i) => {
    const a = actual[i]!;
    return p.name === a.name && (p.index === undefined || p.index === a.index);
  });
}

/** A resource's key within its module's configuration: `aws_sg.x` or `data.aws_ami.y`. */
export function resourceKey(mode: string, type: string, name: string): string {
  return `${mode === "data" ? "data." : ""}${type}.${name}`;
}

/** A resource key within a module path: `module.a.module.b|aws_sg.x` or `|data.aws_ami.y`. */
export function moduleResourceKey(modulePath: string, key: string): string {
  return `${modulePath}|${key}`;
}

/** The configuration key of a resource: `module.a.module.b|aws_sg.x` or `|data.aws_ami.y`. */
export function configKey(configModule: string, mode: string, type: string, name: string): string {
  return moduleResourceKey(configModule, resourceKey(mode, type, name));
}

/** A reference inside a configuration expression, classified. */
export type ParsedReference =
  | { kind: "resource"; mode: "managed" | "data"; type: string; name: string; index?: string | number; attribute: string[] }
  | { kind: "variable"; name: string }
  | { kind: "module-output"; module: string; index?: string | number; output?: string }
  | { kind: "other"; text: string };

const references = new Map<string, ParsedReference>();

/** A reference string, parsed once (the same strings recur in every instance of a module). */
export function parseReference(text: string): ParsedReference {
  let parsed = references.get(text);
  if (!parsed) {
    parsed = classifyReference(text);
    if (references.size > 100_000) references.clear();
    references.set(text, parsed);
  }
  return parsed;
}

function classifyReference(text: string): ParsedReference {
  const steps = parseTraversal(text);
  if (!steps || steps.length === 0 || !("name" in steps[0]!)) return { kind: "other", text };
  const head = steps[0].name;
  const names = (from: number) => steps.slice(from).flatMap((s) => ("name" in s ? [s.name] : []));
  if (head === "var") {
    const name = steps[1];
    return name && "name" in name ? { kind: "variable", name: name.name } : { kind: "other", text };
  }
  if (head === "module") {
    const module = steps[1];
    if (!module || !("name" in module)) return { kind: "other", text };
    const third = steps[2];
    if (third && "index" in third) {
      const output = steps[3];
      return {
        kind: "module-output",
        module: module.name,
        index: third.index,
        ...(output && "name" in output ? { output: output.name } : {}),
      };
    }
    return { kind: "module-output", module: module.name, ...(third && "name" in third ? { output: third.name } : {}) };
  }
  if (["local", "each", "count", "path", "terraform", "self"].includes(head)) return { kind: "other", text };
  const data = head === "data";
  const at = data ? 1 : 0;
  const type = steps[at];
  const name = steps[at + 1];
  if (!type || !("name" in type) || !name || !("name" in name)) return { kind: "other", text };
  const maybeIndex = steps[at + 2];
  const indexed = maybeIndex && "index" in maybeIndex && maybeIndex.index !== "*";
  const attributeFrom = maybeIndex && "index" in maybeIndex ? at + 3 : at + 2;
  return {
    kind: "resource",
    mode: data ? "data" : "managed",
    type: type.name,
    name: name.name,
    ...(indexed ? { index: (maybeIndex as { index: string | number }).index } : {}),
    attribute: names(attributeFrom),
  };
}
