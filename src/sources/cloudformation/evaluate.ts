/**
 * The evaluator: template expressions (intrinsic functions, Refs, conditions, pseudo parameters)
 * to `Evaluated`. It never guesses: what cannot be decided statically is `unknown` with the reason and what
 * would decide it. Cycles (conditions, GetAtt of properties) end as unknowns, not as a hang.
 */
import { DEPLOYMENT_REGION, type UnknownCode, type UnknownReason } from "../../model/index.js";
import { childPointer, type Json } from "./positions.js";
import { type ConditionResult, type Evaluated, MODELLED_TYPES, type ResourceInfo, ResourceType, type UnknownExtra } from "./types.js";

export interface EvalContext {
  /** How the value is named in messages: "SubnetId", "the condition IsProd". */
  readonly label: string;
  /** User data: unknown parts of strings are kept as `${Name}` placeholders instead of failing the string. */
  readonly lenient?: boolean;
}

const MAX_EVAL_DEPTH = 100;

type JsonObject = { [key: string]: Json };

/** GetAtt attributes that name the resource itself (or a synthesized sibling): a model reference. */
const REFERENCE_ATTRIBUTES: Record<string, Record<string, (id: string) => { id: string; type: string }>> = {
  [ResourceType.vpc]: {
    VpcId: (id) => ({ id, type: ResourceType.vpc }),
    DefaultSecurityGroup: (id) => ({ id: `${id}#default-sg`, type: ResourceType.securityGroup }),
    DefaultNetworkAcl: (id) => ({ id: `${id}#default-acl`, type: ResourceType.networkAcl }),
  },
  [ResourceType.securityGroup]: { GroupId: (id) => ({ id, type: ResourceType.securityGroup }) },
  [ResourceType.subnet]: { SubnetId: (id) => ({ id, type: ResourceType.subnet }) },
  [ResourceType.role]: { Arn: (id) => ({ id, type: ResourceType.role }), RoleId: (id) => ({ id, type: ResourceType.role }) },
  [ResourceType.instanceProfile]: { Arn: (id) => ({ id, type: ResourceType.instanceProfile }) },
  [ResourceType.managedPolicy]: { PolicyArn: (id) => ({ id, type: ResourceType.managedPolicy }) },
  [ResourceType.launchTemplate]: { LaunchTemplateId: (id) => ({ id, type: ResourceType.launchTemplate }) },
  [ResourceType.routeTable]: { RouteTableId: (id) => ({ id, type: ResourceType.routeTable }) },
  [ResourceType.networkAcl]: { Id: (id) => ({ id, type: ResourceType.networkAcl }) },
  [ResourceType.internetGateway]: { InternetGatewayId: (id) => ({ id, type: ResourceType.internetGateway }) },
  [ResourceType.natGateway]: { NatGatewayId: (id) => ({ id, type: ResourceType.natGateway }) },
  [ResourceType.vpcEndpoint]: { Id: (id) => ({ id, type: ResourceType.vpcEndpoint }) },
  [ResourceType.networkInterface]: { Id: (id) => ({ id, type: ResourceType.networkInterface }) },
  [ResourceType.transitGateway]: { Id: (id) => ({ id, type: ResourceType.transitGateway }) },
  [ResourceType.prefixList]: { PrefixListId: (id) => ({ id, type: ResourceType.prefixList }) },
  [ResourceType.instance]: { InstanceId: (id) => ({ id, type: ResourceType.instance }) },
  [ResourceType.resolverRule]: { ResolverRuleId: (id) => ({ id, type: ResourceType.resolverRule }) },
};

/** GetAtt attributes that are the value of one of the resource's own properties. */
const PROPERTY_ATTRIBUTES: Record<string, Record<string, string>> = {
  [ResourceType.vpc]: { CidrBlock: "CidrBlock" },
  [ResourceType.subnet]: { AvailabilityZone: "AvailabilityZone", CidrBlock: "CidrBlock", VpcId: "VpcId" },
  [ResourceType.securityGroup]: { VpcId: "VpcId" },
  [ResourceType.instance]: { AvailabilityZone: "AvailabilityZone" },
  [ResourceType.launchTemplate]: { LaunchTemplateName: "LaunchTemplateName" },
  [ResourceType.hostedZone]: {},
  [ResourceType.resolverRule]: { DomainName: "DomainName" },
};

export function evaluatedUnknown(code: UnknownCode, message: string, decide?: string, extra?: UnknownExtra, at?: string): Evaluated {
  const reason: UnknownReason = decide ? { code, message, decide } : { code, message };
  if (extra && at !== undefined) return { kind: "unknown", reason, extra, at };
  if (extra) return { kind: "unknown", reason, extra };
  return at !== undefined ? { kind: "unknown", reason, at } : { kind: "unknown", reason };
}

function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === "object" && node !== null && !Array.isArray(node);
}

/** The single key of an intrinsic-function object, or undefined. */
export function intrinsicKey(node: Json | undefined): string | undefined {
  if (!isObject(node)) return undefined;
  let key: string | undefined;
  for (const name in node) {
    if (key !== undefined) return undefined;
    key = name;
  }
  if (key === undefined) return undefined;
  return key === "Ref" || key.startsWith("Fn::") || key.startsWith("!") ? key : undefined;
}

/** What decides a value a construct that is not expanded here may set. */
const LINT_PROCESSED = "lint the processed template (aws cloudformation get-template --template-stage Processed)";

/** Why a member an Fn::Transform beside it may set is not known. */
export function transformMaySet(where: string, name: string): UnknownReason {
  return {
    code: "unsupported",
    message: `${where} use${where.startsWith("the ") ? "" : "s"} Fn::Transform (a macro or AWS::Include), which ssm-doctor does not expand: it may set ${name} there`,
    decide: LINT_PROCESSED,
  };
}

export function partitionOf(region: string | undefined): string {
  if (region?.startsWith("cn-")) return "aws-cn";
  if (region?.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface EvaluatorInput {
  readonly root: JsonObject;
  readonly resources: Map<string, ResourceInfo>;
  readonly parameters?: Record<string, string>;
  readonly region?: string;
  readonly accountId?: string;
  /** What in the template is not expanded here: see {@link Unexpanded}. */
  readonly unexpanded?: Unexpanded;
}

/**
 * Constructs not expanded here. `anywhere`: template-wide macros and AWS::Include, which may set any property of any
 * resource. `resources`: Fn::ForEach and an Fn::Transform in Resources, which add resources that may name any of the
 * template's (a Rain module's resources name only what it is given, like a nested stack's). Of those, the ones that
 * change another element where the template leaves a property unset are egress rules on a security group (any removes
 * the default one) and policies on a role.
 */
export interface Unexpanded {
  readonly anywhere: readonly string[];
  readonly resources: readonly string[];
}

/** The properties another resource stands for when the template leaves them unset, by the type they belong to. */
const CHANGED_BY_OTHER_RESOURCES: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["AWS::EC2::SecurityGroup", new Set(["SecurityGroupEgress"])],
  ["AWS::IAM::Role", new Set(["Policies", "ManagedPolicyArns"])],
]);

export class Evaluator {
  private readonly parameterDefs: JsonObject;
  private readonly conditionDefs: JsonObject;
  private readonly mappings: JsonObject;
  private readonly conditionMemo = new Map<string, ConditionResult>();
  private readonly conditionsInProgress = new Set<string>();
  private readonly attributesInProgress = new Set<string>();

  constructor(private readonly input: EvaluatorInput) {
    const { root } = input;
    this.parameterDefs = isObject(root.Parameters) ? root.Parameters : {};
    this.conditionDefs = isObject(root.Conditions) ? root.Conditions : {};
    this.mappings = isObject(root.Mappings) ? root.Mappings : {};
  }

  /** A resource property; `none` when absent. */
  property(resource: ResourceInfo, name: string, label: string = name, lenient = false): Evaluated {
    const node = resource.properties[name];
    const at = childPointer(`${resource.pointer}/Properties`, name);
    if (node === undefined) {
      // An Fn::Transform among the properties inserts a snippet there (AWS::Include): it may set this one.
      if ("Fn::Transform" in resource.properties)
        return { kind: "unknown", reason: transformMaySet(`the properties of ${resource.id}`, name), at };
      const reason = this.unexpandedMaySet(resource, name);
      return reason ? { kind: "unknown", reason, at } : { kind: "none", at };
    }
    return this.evaluate(node, at, lenient ? { label, lenient } : { label });
  }

  /** Why a property the template leaves unset is not known: something not expanded here may set it. */
  private unexpandedMaySet(resource: ResourceInfo, name: string): UnknownReason | undefined {
    const { unexpanded } = this.input;
    if (!unexpanded) return undefined;
    if (unexpanded.anywhere.length > 0)
      return {
        code: "unsupported",
        message: `${unexpanded.anywhere.join(", ")}, which ssm-doctor does not expand, may set ${name} of ${resource.id}`,
        decide: LINT_PROCESSED,
      };
    if (unexpanded.resources.length > 0 && CHANGED_BY_OTHER_RESOURCES.get(resource.type)?.has(name))
      return {
        code: "unsupported",
        message: `${unexpanded.resources.join(", ")}, which ssm-doctor does not expand, may add resources that stand for ${name} of ${resource.id}`,
        decide: LINT_PROCESSED,
      };
    return undefined;
  }

  evaluate(node: Json | undefined, at: string, ctx: EvalContext, depth = 0): Evaluated {
    if (depth > MAX_EVAL_DEPTH)
      return evaluatedUnknown("unresolved", `${ctx.label}: expression nested too deeply`, undefined, undefined, at);
    if (node === undefined) return { kind: "none", at };
    if (node === null || typeof node !== "object") return { kind: "scalar", value: node, at };
    if (Array.isArray(node)) {
      const items: Evaluated[] = [];
      for (let i = 0; i < node.length; i++) {
        const item = this.evaluate(node[i], childPointer(at, i), ctx, depth + 1);
        if (item.kind !== "none") items.push(item);
      }
      return { kind: "list", items, at };
    }
    const key = intrinsicKey(node);
    if (key !== undefined) return this.intrinsic(key, node[key] as Json, childPointer(at, key), at, ctx, depth + 1);
    const entries = new Map<string, Evaluated>();
    for (const name in node) {
      if (name === "Fn::Transform") continue;
      const value = this.evaluate(node[name], childPointer(at, name), ctx, depth + 1);
      if (value.kind !== "none") entries.set(name, value);
    }
    return "Fn::Transform" in node ? { kind: "map", entries, at, transformed: ctx.label } : { kind: "map", entries, at };
  }

  // ------------------------------------------------------------------ references

  ref(name: Json, ctx: EvalContext, at: string, depth = 0): Evaluated {
    if (typeof name !== "string") {
      const evaluated = this.evaluate(name, at, ctx, depth + 1);
      if (evaluated.kind !== "scalar" || typeof evaluated.value !== "string")
        return evaluatedUnknown("unresolved", `${ctx.label}: Ref needs a name`, undefined, undefined, at);
      return this.ref(evaluated.value, ctx, at, depth + 1);
    }
    const placeholder = `\${${name}}`;
    if (name.startsWith("AWS::")) return this.pseudo(name, ctx, at, placeholder);
    if (Object.hasOwn(this.parameterDefs, name)) return this.parameter(name, ctx, at);
    if (this.input.resources.has(name)) return this.resource(name, undefined, ctx, at, depth);
    return evaluatedUnknown(
      "unresolved",
      `${ctx.label}: Ref ${name} names no parameter or resource of this template`,
      undefined,
      { placeholder },
      at,
    );
  }

  private pseudo(name: string, ctx: EvalContext, at: string, placeholder: string): Evaluated {
    const { region, accountId } = this.input;
    switch (name) {
      case "AWS::Region":
        return region !== undefined
          ? { kind: "scalar", value: region, at }
          : evaluatedUnknown(
              "parameter",
              `${ctx.label} depends on the deployment region, which the template does not say`,
              "pass --region",
              { regionToken: true, placeholder },
              at,
            );
      case "AWS::Partition":
        return { kind: "scalar", value: partitionOf(region), at };
      case "AWS::URLSuffix":
        return { kind: "scalar", value: region?.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com", at };
      case "AWS::AccountId":
        return accountId !== undefined
          ? { kind: "scalar", value: accountId, at }
          : evaluatedUnknown("unresolved", `${ctx.label} depends on the deploying account's id`, undefined, { placeholder }, at);
      case "AWS::NoValue":
        return { kind: "none", at };
      case "AWS::StackName":
      case "AWS::StackId":
      case "AWS::NotificationARNs":
        return evaluatedUnknown(
          "unresolved",
          `${ctx.label} depends on ${name}, which is chosen at deploy time`,
          undefined,
          { placeholder },
          at,
        );
      default:
        return evaluatedUnknown("unsupported", `${ctx.label}: unknown pseudo parameter ${name}`, undefined, { placeholder }, at);
    }
  }

  private parameter(name: string, ctx: EvalContext, at: string): Evaluated {
    const def = this.parameterDefs[name];
    const type = isObject(def) && typeof def.Type === "string" ? def.Type : "String";
    const given = this.input.parameters?.[name];
    const fallback = isObject(def) ? def.Default : undefined;
    const placeholder = `\${${name}}`;
    if (given === undefined && (fallback === undefined || fallback === null)) {
      return evaluatedUnknown(
        "parameter",
        `${ctx.label} uses the parameter ${name}, which has no default`,
        `pass --parameters ${name}=…`,
        { placeholder, parameter: name },
        at,
      );
    }
    const text = given ?? (Array.isArray(fallback) ? fallback.map((x) => String(x)).join(",") : String(fallback));
    if (type.startsWith("AWS::SSM::Parameter::Value<")) {
      return evaluatedUnknown(
        "outside",
        `${ctx.label} uses the parameter ${name}, read from the SSM parameter ${text} at deploy time`,
        undefined,
        { ssmParameter: text, placeholder },
        at,
      );
    }
    if (type.startsWith("List<") || type === "CommaDelimitedList") {
      const items: Evaluated[] = text === "" ? [] : text.split(",").map((item) => ({ kind: "scalar", value: item.trim(), at }));
      return { kind: "list", items, at };
    }
    return { kind: "scalar", value: text, at };
  }

  /** A Ref (attribute undefined) or GetAtt of a resource of this template. */
  resource(id: string, attribute: string | undefined, ctx: EvalContext, at: string, depth = 0): Evaluated {
    const resource = this.input.resources.get(id);
    const placeholder = attribute ? `\${${id}.${attribute}}` : `\${${id}}`;
    if (!resource)
      return evaluatedUnknown("unresolved", `${ctx.label}: Fn::GetAtt ${id}: no resource of that name`, undefined, { placeholder }, at);
    if (!resource.active) {
      return evaluatedUnknown(
        "condition",
        `${ctx.label} refers to ${id}, which is not created (its condition ${resource.conditionName ?? ""} is false)`,
        undefined,
        { placeholder },
        at,
      );
    }
    if (attribute === undefined) return { kind: "ref", id, type: resource.type, at };
    const target = REFERENCE_ATTRIBUTES[resource.type]?.[attribute];
    if (target) return { kind: "ref", ...target(id), at };
    const property = PROPERTY_ATTRIBUTES[resource.type]?.[attribute];
    if (property !== undefined) {
      const key = `${id}/${property}`;
      if (this.attributesInProgress.has(key))
        return evaluatedUnknown(
          "unresolved",
          `${ctx.label}: circular reference through ${id}.${attribute}`,
          undefined,
          { placeholder },
          at,
        );
      if (resource.properties[property] === undefined) {
        return evaluatedUnknown(
          "computed",
          `${ctx.label} uses ${id}.${attribute}, which AWS chooses at deploy time`,
          undefined,
          { placeholder },
          at,
        );
      }
      this.attributesInProgress.add(key);
      try {
        const value = this.evaluate(
          resource.properties[property],
          childPointer(`${resource.pointer}/Properties`, property),
          ctx,
          depth + 1,
        );
        return { ...value, at };
      } finally {
        this.attributesInProgress.delete(key);
      }
    }
    if (MODELLED_TYPES.has(resource.type)) {
      return evaluatedUnknown(
        "computed",
        `${ctx.label} uses ${id}.${attribute}, which is known only after deployment`,
        undefined,
        { placeholder },
        at,
      );
    }
    return evaluatedUnknown(
      "unsupported",
      `${ctx.label} uses ${id}.${attribute} (${resource.type}), which ssm-doctor does not model`,
      undefined,
      { placeholder },
      at,
    );
  }

  // ------------------------------------------------------------------ intrinsic functions

  private intrinsic(key: string, arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    switch (key) {
      case "Ref":
        return this.ref(arg, ctx, at, depth);
      case "Fn::GetAtt":
        return this.getAtt(arg, argAt, at, ctx, depth);
      case "Fn::Sub":
        return this.sub(arg, argAt, at, ctx, depth);
      case "Fn::Join":
        return this.join(arg, argAt, at, ctx, depth);
      case "Fn::Select":
        return this.select(arg, argAt, at, ctx, depth);
      case "Fn::Split":
        return this.split(arg, argAt, at, ctx, depth);
      case "Fn::If":
        return this.if(arg, argAt, at, ctx, depth);
      case "Fn::FindInMap":
        return this.findInMap(arg, argAt, at, ctx, depth);
      case "Fn::Base64": {
        const inner = this.evaluate(arg, argAt, ctx, depth);
        return inner.kind === "none" ? inner : { ...inner, at };
      }
      case "Fn::GetAZs":
        return evaluatedUnknown(
          "computed",
          `${ctx.label} uses Fn::GetAZs: the region's Availability Zones are known only at deploy time`,
          undefined,
          undefined,
          at,
        );
      case "Fn::Cidr":
        return this.cidr(arg, argAt, at, ctx, depth);
      case "Fn::ImportValue": {
        const name = this.evaluate(arg, argAt, ctx, depth);
        const shown = name.kind === "scalar" ? ` ${String(name.value)}` : "";
        return evaluatedUnknown(
          "outside",
          `${ctx.label} is imported from another stack (Fn::ImportValue${shown})`,
          undefined,
          undefined,
          at,
        );
      }
      case "Fn::Length": {
        const list = this.evaluate(arg, argAt, ctx, depth);
        if (list.kind === "list") return { kind: "scalar", value: list.items.length, at };
        return list.kind === "unknown"
          ? { ...list, at }
          : evaluatedUnknown("unresolved", `${ctx.label}: Fn::Length needs a list`, undefined, undefined, at);
      }
      case "Fn::ToJsonString": {
        const value = this.evaluate(arg, argAt, ctx, depth);
        const unknownPart = firstUnknown(value, ctx.label);
        if (unknownPart) return { kind: "unknown", reason: unknownPart, at };
        return { kind: "scalar", value: JSON.stringify(plain(value)), at };
      }
      case "Fn::Equals":
      case "Fn::And":
      case "Fn::Or":
      case "Fn::Not": {
        const result = this.conditionExpression({ [key]: arg }, at, ctx, depth);
        return typeof result === "boolean" ? { kind: "scalar", value: result, at } : { kind: "unknown", reason: result, at };
      }
      case "Fn::Transform":
        return evaluatedUnknown(
          "unsupported",
          `${ctx.label} uses Fn::Transform (a macro), which ssm-doctor does not expand`,
          undefined,
          undefined,
          at,
        );
      case "Fn::ForEach":
        return evaluatedUnknown("unsupported", `${ctx.label} uses Fn::ForEach, which ssm-doctor does not expand`, undefined, undefined, at);
      default:
        if (key.startsWith("!"))
          return evaluatedUnknown(
            "unsupported",
            `${ctx.label} uses the ${key} tag, which ssm-doctor does not expand`,
            undefined,
            undefined,
            at,
          );
        return evaluatedUnknown("unsupported", `${ctx.label} uses ${key}, which ssm-doctor does not evaluate`, undefined, undefined, at);
    }
  }

  private getAtt(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    let id: string | undefined;
    let attribute: string | undefined;
    if (typeof arg === "string") {
      const dot = arg.indexOf(".");
      if (dot > 0) {
        id = arg.slice(0, dot);
        attribute = arg.slice(dot + 1);
      }
    } else if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === "string") {
      id = arg[0];
      const name = this.evaluate(arg[1], childPointer(argAt, 1), ctx, depth);
      if (name.kind === "scalar" && typeof name.value === "string") attribute = name.value;
      else if (name.kind === "unknown") return { ...name, at };
    }
    if (!id || !attribute) return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::GetAtt`, undefined, undefined, at);
    return this.resource(id, attribute, ctx, at, depth);
  }

  /** A part of a string (Sub, Join): the text, or the unknown that makes the string unknown. */
  private textOf(part: Evaluated, ctx: EvalContext, placeholder: string): string | Evaluated {
    switch (part.kind) {
      case "scalar":
        return part.value === null ? "" : String(part.value);
      case "unknown":
        if (part.extra?.regionToken) return DEPLOYMENT_REGION;
        return ctx.lenient ? (part.extra?.placeholder ?? placeholder) : part;
      case "ref":
        if (ctx.lenient) return `\${${part.id}}`;
        return MODELLED_TYPES.has(part.type)
          ? evaluatedUnknown("computed", `${ctx.label} uses the id of ${part.id}, which is known only after deployment`)
          : evaluatedUnknown("unsupported", `${ctx.label} uses ${part.id} (${part.type}), which ssm-doctor does not model`);
      case "none":
        return ctx.lenient ? "" : evaluatedUnknown("unresolved", `${ctx.label}: AWS::NoValue inside a string`);
      default:
        return ctx.lenient ? placeholder : evaluatedUnknown("unresolved", `${ctx.label}: a list or mapping where text is expected`);
    }
  }

  private sub(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    let template: Json;
    let variables: JsonObject = {};
    let variablesAt = argAt;
    if (Array.isArray(arg)) {
      template = arg[0] ?? "";
      if (isObject(arg[1])) variables = arg[1];
      variablesAt = childPointer(argAt, 1);
    } else {
      template = arg;
    }
    if (typeof template !== "string") {
      const evaluated = this.evaluate(template, argAt, ctx, depth);
      if (evaluated.kind !== "scalar")
        return evaluated.kind === "unknown"
          ? { ...evaluated, at }
          : evaluatedUnknown("unresolved", `${ctx.label}: Fn::Sub needs a string`, undefined, undefined, at);
      template = String(evaluated.value);
    }
    let out = "";
    let last = 0;
    const pattern = /\$\{([^}]*)\}/g;
    for (let match = pattern.exec(template); match; match = pattern.exec(template)) {
      out += template.slice(last, match.index);
      last = match.index + match[0].length;
      const name = (match[1] ?? "").trim();
      if (name.startsWith("!")) {
        out += `\${${name.slice(1)}}`;
        continue;
      }
      let part: Evaluated;
      if (Object.hasOwn(variables, name)) part = this.evaluate(variables[name], childPointer(variablesAt, name), ctx, depth);
      else if (!name.startsWith("AWS::") && name.includes(".")) {
        const dot = name.indexOf(".");
        part = this.resource(name.slice(0, dot), name.slice(dot + 1), ctx, at, depth);
      } else part = this.ref(name, ctx, at, depth);
      const text = this.textOf(part, ctx, match[0]);
      if (typeof text !== "string") return { ...text, at };
      out += text;
    }
    out += template.slice(last);
    return { kind: "scalar", value: out, at };
  }

  private join(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2)
      return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::Join`, undefined, undefined, at);
    const delimiter = this.evaluate(arg[0], childPointer(argAt, 0), ctx, depth);
    const delimiterText = this.textOf(delimiter, ctx, "");
    if (typeof delimiterText !== "string") return { ...delimiterText, at };
    const list = this.evaluate(arg[1], childPointer(argAt, 1), ctx, depth);
    if (list.kind === "unknown") return ctx.lenient ? { kind: "scalar", value: list.extra?.placeholder ?? "${…}", at } : { ...list, at };
    if (list.kind !== "list") return evaluatedUnknown("unresolved", `${ctx.label}: Fn::Join needs a list`, undefined, undefined, at);
    const texts: string[] = [];
    for (const item of list.items) {
      const text = this.textOf(item, ctx, "${…}");
      if (typeof text !== "string") return { ...text, at };
      texts.push(text);
    }
    return { kind: "scalar", value: texts.join(delimiterText), at };
  }

  private select(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2)
      return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::Select`, undefined, undefined, at);
    const index = this.evaluate(arg[0], childPointer(argAt, 0), ctx, depth);
    // The value is an item of the list, not the index: what the index's parameter is (outside, a placeholder) is not its.
    if (index.kind === "unknown") return { kind: "unknown", reason: index.reason, at };
    const position = index.kind === "scalar" ? Number(index.value) : Number.NaN;
    if (!Number.isInteger(position) || position < 0)
      return evaluatedUnknown("unresolved", `${ctx.label}: Fn::Select needs a non-negative index`, undefined, undefined, at);
    const list = this.evaluate(arg[1], childPointer(argAt, 1), ctx, depth);
    if (list.kind === "unknown") return { ...list, at };
    if (list.kind !== "list") return evaluatedUnknown("unresolved", `${ctx.label}: Fn::Select needs a list`, undefined, undefined, at);
    const item = list.items[position];
    if (!item)
      return evaluatedUnknown(
        "unresolved",
        `${ctx.label}: Fn::Select index ${position} is outside a list of ${list.items.length}`,
        undefined,
        undefined,
        at,
      );
    return item;
  }

  private split(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 2)
      return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::Split`, undefined, undefined, at);
    const delimiter = this.evaluate(arg[0], childPointer(argAt, 0), ctx, depth);
    const source = this.evaluate(arg[1], childPointer(argAt, 1), { label: ctx.label }, depth);
    if (delimiter.kind === "unknown") return { ...delimiter, at };
    if (source.kind === "unknown") return { ...source, at };
    if (delimiter.kind !== "scalar" || source.kind !== "scalar")
      return evaluatedUnknown("unresolved", `${ctx.label}: Fn::Split needs text`, undefined, undefined, at);
    const text = source.value === null ? "" : String(source.value);
    return { kind: "list", items: text.split(String(delimiter.value)).map((value) => ({ kind: "scalar", value, at })), at };
  }

  private if(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== "string") {
      return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::If`, undefined, undefined, at);
    }
    const name = arg[0];
    const result = this.condition(name);
    if (result === true) return this.evaluate(arg[1], childPointer(argAt, 1), ctx, depth);
    if (result === false) return this.evaluate(arg[2], childPointer(argAt, 2), ctx, depth);
    return evaluatedUnknown(
      "condition",
      `${ctx.label} depends on the condition ${name}, which cannot be evaluated: ${result.message}`,
      result.decide,
      undefined,
      at,
    );
  }

  private findInMap(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    if (!Array.isArray(arg) || arg.length < 3)
      return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::FindInMap`, undefined, undefined, at);
    const [mapArg, firstArg, secondArg, options] = arg;
    const mapName = this.evaluate(mapArg, childPointer(argAt, 0), ctx, depth);
    if (mapName.kind !== "scalar")
      return mapName.kind === "unknown"
        ? { ...mapName, at }
        : evaluatedUnknown("unresolved", `${ctx.label}: Fn::FindInMap needs a map name`, undefined, undefined, at);
    const name = String(mapName.value);
    const mapping = this.mappings[name];
    if (!isObject(mapping))
      return evaluatedUnknown("unresolved", `${ctx.label}: Fn::FindInMap: no mapping named ${name}`, undefined, undefined, at);
    const first = this.evaluate(firstArg, childPointer(argAt, 1), ctx, depth);
    const second = this.evaluate(secondArg, childPointer(argAt, 2), ctx, depth);
    const defaultValue = isObject(options) ? options.DefaultValue : undefined;
    if (first.kind === "scalar" && second.kind === "scalar") {
      const row = mapping[String(first.value)];
      const value = isObject(row) ? row[String(second.value)] : undefined;
      if (value !== undefined) {
        const found = this.evaluate(value, at, ctx, depth);
        // A literal found by its keys keeps what the mapping says about it: the column's key and the names the
        // mapping gives beside it (an "AMI name" row), as the lookup without the keys would (issue 8).
        return found.kind === "scalar" && typeof found.value === "string"
          ? { ...found, mapping: mappingNames(name, mapping, String(first.value), String(second.value)) }
          : found;
      }
      if (defaultValue !== undefined) return this.evaluate(defaultValue, childPointer(childPointer(argAt, 3), "DefaultValue"), ctx, depth);
      return evaluatedUnknown(
        "unresolved",
        `${ctx.label}: the mapping ${name} has no entry ${String(first.value)}/${String(second.value)}`,
        undefined,
        undefined,
        at,
      );
    }
    const blocking = first.kind !== "scalar" ? first : second;
    const candidates: string[] = [];
    const columns = new Set<string>();
    for (const rowKey in mapping) {
      const row = mapping[rowKey];
      if (first.kind === "scalar" && rowKey !== String(first.value)) continue;
      if (!isObject(row)) continue;
      for (const column in row) {
        if (second.kind === "scalar" && column !== String(second.value)) continue;
        columns.add(column);
        const value = row[column];
        if (typeof value === "string" && !candidates.includes(value)) candidates.push(value);
      }
    }
    const description = `${name} mapping (${[...columns].join(", ")})`;
    const reason: UnknownReason =
      blocking.kind === "unknown"
        ? {
            code: blocking.reason.code,
            message: `${ctx.label} is looked up in the mapping ${name} by a key that is not known: ${blocking.reason.message}`,
            ...(blocking.reason.decide ? { decide: blocking.reason.decide } : {}),
          }
        : { code: "unresolved", message: `${ctx.label}: Fn::FindInMap key is not text` };
    return { kind: "unknown", reason, extra: { mapping: { description, candidates } }, at };
  }

  private cidr(arg: Json, argAt: string, at: string, ctx: EvalContext, depth: number): Evaluated {
    if (!Array.isArray(arg) || arg.length !== 3)
      return evaluatedUnknown("unresolved", `${ctx.label}: malformed Fn::Cidr`, undefined, undefined, at);
    const parts = arg.map((item, i) => this.evaluate(item, childPointer(argAt, i), ctx, depth));
    const blocking = parts.find((p) => p.kind !== "scalar");
    if (blocking)
      return blocking.kind === "unknown"
        ? { ...blocking, at }
        : evaluatedUnknown("unresolved", `${ctx.label}: Fn::Cidr needs text`, undefined, undefined, at);
    const [block, count, bits] = parts.map((p) => (p.kind === "scalar" ? String(p.value) : ""));
    const subnets = splitCidr(block ?? "", Number(count), Number(bits));
    if (!subnets)
      return evaluatedUnknown("unsupported", `${ctx.label}: Fn::Cidr of ${block} is not evaluated (IPv4 only)`, undefined, undefined, at);
    return { kind: "list", items: subnets.map((value) => ({ kind: "scalar", value, at })), at };
  }

  // ------------------------------------------------------------------ conditions

  /** A named condition: true, false, or why it cannot be decided. Memoized; cycles are unknown. */
  condition(name: string): ConditionResult {
    const memo = this.conditionMemo.get(name);
    if (memo !== undefined) return memo;
    if (this.conditionsInProgress.has(name)) return { code: "unresolved", message: `the condition ${name} refers to itself` };
    const def = this.conditionDefs[name];
    if (def === undefined) return { code: "unresolved", message: `no condition named ${name}` };
    this.conditionsInProgress.add(name);
    let result: ConditionResult;
    try {
      result = this.conditionExpression(def, childPointer("/Conditions", name), { label: `the condition ${name}` }, 0);
    } finally {
      this.conditionsInProgress.delete(name);
    }
    this.conditionMemo.set(name, result);
    return result;
  }

  private conditionExpression(node: Json, at: string, ctx: EvalContext, depth: number): ConditionResult {
    if (depth > MAX_EVAL_DEPTH) return { code: "unresolved", message: `${ctx.label} is nested too deeply` };
    if (typeof node === "boolean") return node;
    if (typeof node === "string" && /^(true|false)$/i.test(node)) return node.toLowerCase() === "true";
    if (!isObject(node)) return { code: "unresolved", message: `${ctx.label} is not a condition expression` };
    const keys = Object.keys(node);
    const key = keys.length === 1 ? keys[0]! : "";
    const arg = node[key] as Json;
    const argAt = childPointer(at, key);
    const operands = Array.isArray(arg) ? arg : [arg];
    switch (key) {
      case "Condition":
        return typeof arg === "string" ? this.condition(arg) : { code: "unresolved", message: `${ctx.label}: Condition needs a name` };
      case "Fn::Equals": {
        if (operands.length !== 2) return { code: "unresolved", message: `${ctx.label}: Fn::Equals needs two values` };
        const [first, second] = operands.map((operand, i) => this.evaluate(operand, childPointer(argAt, i), ctx, depth + 1));
        for (const side of [first, second]) if (side?.kind === "unknown") return side.reason;
        const left = comparable(first!);
        const right = comparable(second!);
        if (left === undefined || right === undefined)
          return { code: "unresolved", message: `${ctx.label} compares values that are known only after deployment` };
        return left === right;
      }
      case "Fn::Not": {
        const inner = this.conditionExpression(operands[0] as Json, childPointer(argAt, 0), ctx, depth + 1);
        return typeof inner === "boolean" ? !inner : inner;
      }
      case "Fn::And":
      case "Fn::Or": {
        const decisive = key === "Fn::Or";
        let firstUnknownReason: ConditionResult | undefined;
        for (let i = 0; i < operands.length; i++) {
          const result = this.conditionExpression(operands[i] as Json, childPointer(argAt, i), ctx, depth + 1);
          if (result === decisive) return decisive;
          if (typeof result !== "boolean") firstUnknownReason ??= result;
        }
        return firstUnknownReason ?? !decisive;
      }
      default: {
        const value = this.evaluate(node, at, ctx, depth + 1);
        if (value.kind === "scalar" && (typeof value.value === "boolean" || /^(true|false)$/i.test(String(value.value))))
          return String(value.value).toLowerCase() === "true";
        return value.kind === "unknown" ? value.reason : { code: "unresolved", message: `${ctx.label} is not a condition expression` };
      }
    }
  }
}

/** Condition operands compare as text, the way CloudFormation compares parameter values. */
function comparable(value: Evaluated): string | undefined {
  if (value.kind === "scalar") return value.value === null ? "" : String(value.value);
  if (value.kind === "list") {
    const items = value.items.map(comparable);
    return items.every((i) => i !== undefined) ? JSON.stringify(items) : undefined;
  }
  return undefined;
}

/** The first unknown inside a value (for values that must be entirely known). */
export function firstUnknown(value: Evaluated, label: string): UnknownReason | undefined {
  switch (value.kind) {
    case "unknown":
      return value.reason;
    case "ref":
      return { code: "computed", message: `${label} uses ${value.id}, known only after deployment` };
    case "list":
      for (const item of value.items) {
        const found = firstUnknown(item, label);
        if (found) return found;
      }
      return undefined;
    case "map":
      for (const item of value.entries.values()) {
        const found = firstUnknown(item, label);
        if (found) return found;
      }
      return undefined;
    default:
      return undefined;
  }
}

/** The plain JSON of a fully known value. */
export function plain(value: Evaluated): Json {
  switch (value.kind) {
    case "scalar":
      return value.value;
    case "list":
      return value.items.map(plain);
    case "map": {
      const out: JsonObject = {};
      for (const [key, item] of value.entries) out[key] = plain(item);
      return out;
    }
    default:
      return null;
  }
}

/** Fn::Cidr for IPv4: `count` blocks of 2^bits addresses, in order, from the start of `block`. */
export function splitCidr(block: string, count: number, bits: number): string[] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block.trim());
  if (!match || !Number.isInteger(count) || !Number.isInteger(bits) || count < 1 || count > 256 || bits < 0 || bits > 32) return undefined;
  const octets = match.slice(1, 5).map(Number);
  if (octets.some((o) => o > 255)) return undefined;
  const prefix = Number(match[5]);
  const newPrefix = 32 - bits;
  if (prefix > 32 || newPrefix < prefix) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : base - (base % 2 ** (32 - prefix));
  const size = 2 ** bits;
  if (count * size > 2 ** (32 - prefix)) return undefined;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const start = network + i * size;
    out.push(`${[24, 16, 8, 0].map((shift) => Math.floor(start / 2 ** shift) % 256).join(".")}/${newPrefix}`);
  }
  return out;
}

/**
 * "AWSAMIRegionMap mapping (RHEL74HVM): RHEL-7.4_HVM_GA-…": the mapping, the column the value stands in, and the
 * text values (not AMI ids) of that column and of its row, which name what the ids are. The same words the
 * lookup gives when its keys are not known, so a known key never says less.
 */
function mappingNames(name: string, mapping: JsonObject, rowKey: string, column: string): string {
  const names: string[] = [];
  const add = (value: Json | undefined) => {
    if (typeof value === "string" && !/^ami-[0-9a-f]+$/i.test(value) && !names.includes(value)) names.push(value);
  };
  for (const key in mapping) {
    const row = mapping[key];
    if (isObject(row)) add(row[column]);
  }
  const own = mapping[rowKey];
  if (isObject(own)) for (const key in own) if (key !== column) add(own[key]);
  const description = `${name} mapping (${column})`;
  return names.length > 0 ? `${description}: ${names.join(", ")}` : description;
}
