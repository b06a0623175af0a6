/**
 * Evaluates HCL expressions (tree-sitter nodes) to values: literals, templates, references, function
 * calls, conditionals, operators, for expressions and splats. What cannot be known without a plan
 * evaluates to an Unknown that says why; nothing is guessed. References are also listed the way
 * Terraform lists them in a plan's configuration (`aws_vpc.main.id`, `aws_vpc.main`), so the plan
 * source can follow what a computed value refers to.
 */
import { callFunction, FunctionError } from "./functions.js";
import { type HclNode, kids } from "./parse.js";
import {
  asBool,
  asNumber,
  asString,
  equal,
  isObjectValue,
  isUnknown,
  LazyObject,
  type TfObject,
  type TfValue,
  typeName,
  Unknown,
} from "./values.js";

export class HclEvaluationError extends Error {}

/** What a reference's head resolves to; implemented by a module instance. */
export interface Resolver {
  /** `var.x`, `local.x`, `module.x`, `data.t.n`, `t.n`, `path.module`…: the value and how many steps it used. */
  resolve(head: string, steps: readonly Step[], scope: Scope): { value: TfValue; used: number };
}

export type Step = { readonly name: string } | { readonly index: TfValue } | { readonly splat: true };

export interface Scope {
  readonly resolver: Resolver;
  /** for-expression variables, `each`, `count`, dynamic-block iterators, `self`. */
  readonly vars: ReadonlyMap<string, TfValue>;
}

export function withVars(scope: Scope, vars: Record<string, TfValue>): Scope {
  const next = new Map(scope.vars);
  for (const [k, v] of Object.entries(vars)) next.set(k, v);
  return { resolver: scope.resolver, vars: next };
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", '"': '"', "\\": "\\" };

function decodeLiteral(text: string, quoted: boolean): string {
  let s = text.replace(/\$\$\{/g, "${").replace(/%%\{/g, "%{");
  if (quoted)
    s = s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (m, c: string) =>
      c.length > 1 ? String.fromCodePoint(Number.parseInt(c.slice(1), 16)) : (ESCAPES[c] ?? m),
    );
  return s;
}

function attrOf(value: TfValue, name: string): TfValue {
  if (value instanceof Unknown) return value;
  if (value instanceof LazyObject) return value.get(name);
  if (isObjectValue(value)) {
    if (name in value) return value[name] as TfValue;
    throw new HclEvaluationError(`the object has no attribute '${name}'`);
  }
  if (value === null) throw new HclEvaluationError(`attribute '${name}' of null`);
  throw new HclEvaluationError(`a ${typeName(value)} has no attribute '${name}'`);
}

function indexOf(value: TfValue, key: TfValue): TfValue {
  if (value instanceof Unknown) return value;
  if (key instanceof Unknown) return key;
  if (Array.isArray(value)) {
    const n = asNumber(key);
    if (n === undefined || n < 0 || n >= value.length) throw new HclEvaluationError(`index ${String(asString(key))} is out of range`);
    return value[n] as TfValue;
  }
  const k = asString(key);
  if (k === undefined) throw new HclEvaluationError("a map key must be a string");
  if (value instanceof LazyObject) return value.get(k);
  if (isObjectValue(value)) {
    if (k in value) return value[k] as TfValue;
    throw new HclEvaluationError(`no key '${k}'`);
  }
  throw new HclEvaluationError(`cannot index a ${typeName(value)}`);
}

/** Applies traversal steps; after a splat, the rest applies to every element. */
export function traverse(value: TfValue, steps: readonly Step[]): TfValue {
  let v = value;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if ("splat" in step) {
      if (v instanceof Unknown) return v;
      const items = Array.isArray(v) ? v : v === null ? [] : isObjectValue(v) ? Object.values(v) : [v];
      const rest = steps.slice(i + 1);
      return items.map((item) => traverse(item, rest));
    }
    v = "name" in step ? attrOf(v, step.name) : indexOf(v, step.index);
  }
  return v;
}

/** Text of an identifier-like node. */
const text = (n: HclNode) => n.text;

/** The head identifier and traversal nodes of a reference expression. */
function stepsOf(nodes: HclNode[], scope: Scope): Step[] {
  const steps: Step[] = [];
  for (const n of nodes) {
    if (n.type === "get_attr") steps.push({ name: text(kids(n)[0]!) });
    else if (n.type === "index") {
      const inner = kids(n)[0]!;
      if (inner.type === "legacy_index") steps.push({ index: Number(inner.text.replace(/^\./, "")) });
      else steps.push({ index: evaluate(kids(inner)[0]!, scope) });
    } else if (n.type === "splat") {
      steps.push({ splat: true });
      const inner = kids(n)[0]!;
      steps.push(...stepsOf(kids(inner), scope));
    }
  }
  return steps;
}

/**
 * A quoted or heredoc template. Literal text is taken from the source between the parts, since the
 * parser skips whitespace at the start of a literal (heredoc indentation, leading spaces).
 */
function templateParts(node: HclNode, scope: Scope, quoted: boolean): TfValue {
  const source = node.text;
  const base = node.startIndex;
  const parts = kids(node);
  const open = parts.find((p) => p.type === "quoted_template_start" || p.type === "heredoc_start");
  const close = [...parts].reverse().find((p) => p.type === "quoted_template_end" || p.type === "heredoc_identifier");
  let cursor = open ? open.endIndex - base : 0;
  const end = close && close !== parts[0] ? close.startIndex - base : source.length;
  let out = "";
  let unknown: Unknown | undefined;
  for (const part of parts) {
    if (part.type !== "template_interpolation" && part.type !== "template_directive") continue;
    out += decodeLiteral(source.slice(cursor, part.startIndex - base), quoted);
    cursor = part.endIndex - base;
    if (part.type === "template_directive") {
      unknown ??= new Unknown(
        "unsupported",
        "a %{ } template directive is not evaluated without a plan",
        "run terraform plan and lint the plan JSON",
      );
      continue;
    }
    const expr = kids(part).find((c) => c.type === "expression");
    const v = expr ? evaluate(expr, scope) : "";
    if (v instanceof Unknown) unknown ??= v;
    else {
      const s = asString(v);
      if (s === undefined) throw new HclEvaluationError(v === null ? "null in a string template" : `a ${typeName(v)} in a string template`);
      out += s;
    }
  }
  out += decodeLiteral(source.slice(cursor, Math.max(cursor, end)), quoted);
  return unknown ?? out;
}

function heredoc(node: HclNode, scope: Scope): TfValue {
  const start = node.namedChildren.find((c) => c?.type === "heredoc_start");
  const value = templateParts(node, scope, false);
  if (typeof value !== "string") return value;
  // The text starts after the newline that ends the opening marker's line; the closing marker's
  // indentation is not part of it, the newline before it is.
  let body = value.replace(/^[^\n]*\n/, "").replace(/[ \t]*$/, "");
  if (start?.text.startsWith("<<-")) {
    const lines = body.split("\n");
    const indent = Math.min(...lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length));
    body = lines.map((l) => l.slice(Number.isFinite(indent) ? indent : 0)).join("\n");
  }
  return body;
}

function binary(op: string, left: TfValue, right: TfValue): TfValue {
  if (op === "&&" || op === "||") {
    const a = left instanceof Unknown ? undefined : asBool(left);
    const b = right instanceof Unknown ? undefined : asBool(right);
    if (op === "&&" && (a === false || b === false)) return false;
    if (op === "||" && (a === true || b === true)) return true;
    if (a === undefined || b === undefined)
      return left instanceof Unknown ? left : right instanceof Unknown ? right : new Unknown("unsupported", "a non-bool operand");
    return op === "&&" ? a && b : a || b;
  }
  if (left instanceof Unknown) return left;
  if (right instanceof Unknown) return right;
  if (op === "==") return equal(left, right);
  if (op === "!=") return !equal(left, right);
  const a = asNumber(left);
  const b = asNumber(right);
  if (a === undefined || b === undefined) throw new HclEvaluationError(`'${op}' needs numbers`);
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return a / b;
    case "%":
      return a % b;
    case "<":
      return a < b;
    case ">":
      return a > b;
    case "<=":
      return a <= b;
    case ">=":
      return a >= b;
    default:
      throw new HclEvaluationError(`operator ${op}`);
  }
}

function forExpression(node: HclNode, scope: Scope): TfValue {
  const isObject = node.type === "for_object_expr";
  const parts = kids(node);
  const intro = parts.find((p) => p.type === "for_intro")!;
  const names = kids(intro)
    .filter((c) => c.type === "identifier")
    .map(text);
  const collection = evaluate(kids(intro).find((c) => c.type === "expression")!, scope);
  if (collection instanceof Unknown) return collection;
  const exprs = parts.filter((p) => p.type === "expression");
  const cond = parts.find((p) => p.type === "for_cond");
  const grouping = parts.some((p) => p.type === "ellipsis");
  const entries: [TfValue, TfValue][] = Array.isArray(collection)
    ? collection.map((v, i) => [i, v])
    : isObjectValue(collection)
      ? Object.keys(collection)
          .sort()
          .map((k) => [k, collection[k] as TfValue])
      : [];
  if (!Array.isArray(collection) && !isObjectValue(collection))
    throw new HclEvaluationError(`cannot iterate over a ${typeName(collection)}`);
  const tuple: TfValue[] = [];
  const object: TfObject = {};
  for (const [k, v] of entries) {
    const vars: Record<string, TfValue> = names.length === 2 ? { [names[0]!]: k, [names[1]!]: v } : { [names[0]!]: v };
    const inner = withVars(scope, vars);
    if (cond) {
      const keep = evaluate(kids(cond)[0]!, inner);
      if (keep instanceof Unknown) return keep;
      if (asBool(keep) !== true) continue;
    }
    if (!isObject) tuple.push(evaluate(exprs[0]!, inner));
    else {
      const key = evaluate(exprs[0]!, inner);
      if (key instanceof Unknown) return key;
      const ks = asString(key);
      if (ks === undefined) throw new HclEvaluationError("a for expression's key must be a string");
      const value = evaluate(exprs[1]!, inner);
      if (grouping) object[ks] = [...((object[ks] as TfValue[] | undefined) ?? []), value];
      else object[ks] = value;
    }
  }
  return isObject ? object : tuple;
}

function functionCall(node: HclNode, scope: Scope): TfValue {
  const [nameNode, argsNode] = kids(node);
  const name = text(nameNode!);
  const argNodes = argsNode ? kids(argsNode).filter((c) => c.type === "expression") : [];
  const expand = argsNode ? kids(argsNode).some((c) => c.type === "ellipsis") : false;
  if (name === "try" || name === "can") {
    for (const arg of argNodes) {
      try {
        const v = evaluate(arg, scope);
        if (v instanceof Unknown) return v;
        return name === "can" ? true : v;
      } catch (e) {
        if (!(e instanceof HclEvaluationError || e instanceof FunctionError)) throw e;
        if (name === "can") return false;
      }
    }
    if (name === "can") return false;
    throw new HclEvaluationError("try: no argument could be evaluated");
  }
  let args = argNodes.map((a) => evaluate(a, scope));
  if (expand && args.length > 0) {
    const last = args[args.length - 1]!;
    if (last instanceof Unknown) return last;
    if (!Array.isArray(last)) throw new HclEvaluationError("only a list can be expanded with ...");
    args = [...args.slice(0, -1), ...last];
  }
  if (name === "coalesce") {
    for (const a of args) {
      if (a instanceof Unknown) return a;
      if (a !== null && a !== "") return a;
    }
    throw new HclEvaluationError("coalesce: no non-null argument");
  }
  if (name === "file" || name === "templatefile" || name === "fileexists")
    return new Unknown("unsupported", `${name}() reads files and is not evaluated here`, "run terraform plan and lint the plan JSON");
  try {
    return callFunction(name, args);
  } catch (e) {
    if (e instanceof FunctionError) throw new HclEvaluationError(e.message);
    throw e;
  }
}

function objectKey(node: HclNode, scope: Scope): TfValue {
  const inner = kids(node);
  // A bare identifier as a key is the key's name, not a variable.
  if (inner.length === 1 && inner[0]!.type === "variable_expr") return text(inner[0]!);
  return evaluate(node, scope);
}

const POSTFIX = new Set(["get_attr", "index", "splat"]);

/** Operands of an operation: a primary node and the traversal steps after it. */
function operands(node: HclNode): HclNode[][] {
  const out: HclNode[][] = [];
  for (const child of kids(node)) {
    if (POSTFIX.has(child.type) && out.length > 0) out[out.length - 1]!.push(child);
    else out.push([child]);
  }
  return out;
}

/** A primary (a reference's head, a literal, a call…) followed by traversal steps. */
function evaluateChain(parts: HclNode[], scope: Scope): TfValue {
  const [first, ...rest] = parts;
  if (!first) return null;
  if (first.type === "variable_expr") {
    const head = text(kids(first)[0]!);
    const steps = stepsOf(rest, scope);
    if (scope.vars.has(head)) return traverse(scope.vars.get(head) as TfValue, steps);
    const { value, used } = scope.resolver.resolve(head, steps, scope);
    return traverse(value, steps.slice(used));
  }
  const base = evaluate(first, scope);
  return rest.length === 0 ? base : traverse(base, stepsOf(rest, scope));
}

/** Evaluates one expression node. Throws HclEvaluationError for what Terraform itself would reject. */
export function evaluate(node: HclNode, scope: Scope): TfValue {
  switch (node.type) {
    case "expression":
      return evaluateChain(kids(node), scope);
    case "variable_expr":
      return evaluateChain([node], scope);
    case "literal_value":
      return evaluate(kids(node)[0]!, scope);
    case "numeric_lit":
      return Number(node.text);
    case "bool_lit":
      return node.text === "true";
    case "null_lit":
      return null;
    case "string_lit":
      return templateParts(node, scope, true);
    case "template_expr":
      return evaluate(kids(node)[0]!, scope);
    case "quoted_template":
      return templateParts(node, scope, true);
    case "heredoc_template":
      return heredoc(node, scope);
    case "collection_value":
      return evaluate(kids(node)[0]!, scope);
    case "tuple":
      return kids(node)
        .filter((c) => c.type === "expression")
        .map((c) => evaluate(c, scope));
    case "object": {
      const out: TfObject = {};
      for (const elem of kids(node).filter((c) => c.type === "object_elem")) {
        const key = objectKey(elem.childForFieldName("key")!, scope);
        if (key instanceof Unknown) return key;
        const k = asString(key);
        if (k === undefined) throw new HclEvaluationError("an object key must be a string");
        out[k] = evaluate(elem.childForFieldName("val")!, scope);
      }
      return out;
    }
    case "function_call":
      return functionCall(node, scope);
    case "conditional": {
      const [c, a, b] = kids(node);
      const cond = evaluate(c!, scope);
      if (cond instanceof Unknown) {
        const x = evaluate(a!, scope);
        const y = evaluate(b!, scope);
        return !isUnknown(x) && equal(x, y) ? x : cond;
      }
      const truth = asBool(cond);
      if (truth === undefined) throw new HclEvaluationError("a condition must be a bool");
      return evaluate(truth ? a! : b!, scope);
    }
    case "operation":
      return evaluate(kids(node)[0]!, scope);
    case "binary_operation": {
      const [l, r] = operands(node);
      const op = node.children.find((c) => c !== null && !c.isNamed)?.text ?? "";
      return binary(op, evaluateChain(l ?? [], scope), evaluateChain(r ?? [], scope));
    }
    case "unary_operation": {
      const op = node.children.find((c) => c !== null && !c.isNamed)?.text ?? "";
      const v = evaluateChain(operands(node)[0] ?? [], scope);
      if (v instanceof Unknown) return v;
      if (op === "!") {
        const b = asBool(v);
        if (b === undefined) throw new HclEvaluationError("! needs a bool");
        return !b;
      }
      const n = asNumber(v);
      if (n === undefined) throw new HclEvaluationError("- needs a number");
      return -n;
    }
    case "for_expr":
      return evaluate(kids(node)[0]!, scope);
    case "for_tuple_expr":
    case "for_object_expr":
      return forExpression(node, scope);
    default:
      throw new HclEvaluationError(`unsupported expression '${node.type}'`);
  }
}

/** Evaluates, turning what Terraform would reject into an Unknown that says so. */
export function evaluateSafely(node: HclNode, scope: Scope, label: string): TfValue {
  try {
    return evaluate(node, scope);
  } catch (e) {
    if (e instanceof HclEvaluationError || e instanceof FunctionError || e instanceof RangeError)
      return new Unknown("unsupported", `${label} could not be evaluated: ${e.message}`, "run terraform validate, or lint the plan JSON");
    throw e;
  }
}

// ------------------------------------------------------------------ references, as a plan lists them

function renderIndex(n: HclNode): string | undefined {
  const inner = kids(n)[0];
  if (!inner) return undefined;
  if (inner.type === "legacy_index") return `[${inner.text.replace(/^\./, "")}]`;
  const expr = kids(inner)[0];
  if (!expr) return undefined;
  const literal = kids(expr)[0];
  if (literal?.type === "literal_value") {
    const lit = kids(literal)[0]!;
    if (lit.type === "numeric_lit") return `[${lit.text}]`;
    if (lit.type === "string_lit") {
      const body = kids(lit).find((c) => c.type === "template_literal");
      return `[${JSON.stringify(body ? decodeLiteral(body.text, true) : "")}]`;
    }
  }
  return undefined;
}

const LOCAL_HEADS = new Set(["count", "each", "path", "terraform", "self"]);

/** Whether an expression holds a for expression with an if clause (`[for s in x : s.id if …]`). */
export function hasFilteredFor(node: HclNode): boolean {
  if ((node.type === "for_tuple_expr" || node.type === "for_object_expr") && kids(node).some((c) => c.type === "for_cond")) return true;
  return kids(node).some(hasFilteredFor);
}

/**
 * The references of an expression the way `terraform show -json` lists them: every traversal from a
 * variable, local, module, data source or resource, longest form first, then its shorter prefixes; with
 * `iteration`, also count.index and each.key / each.value, which Terraform lists beside them.
 */
export function referencesOf(node: HclNode, bound: ReadonlySet<string> = new Set(), iteration = false): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (s: string) => {
    if (!seen.has(s)) {
      seen.add(s);
      out.push(s);
    }
  };
  const chain = (parts: HclNode[], names: ReadonlySet<string>) => {
    {
      const first = parts[0];
      if (first?.type === "variable_expr") {
        const head = text(kids(first)[0]!);
        if (!names.has(head) && (!LOCAL_HEADS.has(head) || (iteration && (head === "count" || head === "each")))) {
          const pieces = [head];
          for (const p of parts.slice(1)) {
            if (p.type === "get_attr") pieces.push(`.${text(kids(p)[0]!)}`);
            else if (p.type === "index") {
              const r = renderIndex(p);
              if (!r) break;
              pieces.push(r);
            } else break;
          }
          const minimum = head === "data" ? 3 : head === "var" || head === "local" || head === "module" ? 2 : 2;
          const forms: string[] = [];
          for (let i = pieces.length; i >= minimum; i--) forms.push(pieces.slice(0, i).join(""));
          if (head === "var" || head === "local") forms.splice(1);
          if (head === "module") forms.splice(Math.max(1, forms.length - 1), 0);
          forms.forEach(add);
        }
      }
    }
  };
  const visit = (n: HclNode, names: ReadonlySet<string>) => {
    if (n.type === "expression" || n.type === "binary_operation" || n.type === "unary_operation")
      for (const group of operands(n)) chain(group, names);
    if (n.type === "for_tuple_expr" || n.type === "for_object_expr") {
      const intro = kids(n).find((c) => c.type === "for_intro");
      const inner = new Set(names);
      for (const id of intro ? kids(intro).filter((c) => c.type === "identifier") : []) inner.add(text(id));
      for (const c of kids(n)) visit(c, c === intro ? names : inner);
      return;
    }
    for (const c of kids(n)) visit(c, names);
  };
  visit(node, bound);
  return out;
}
