/**
 * A loopback fake of the AWS APIs `ssm-doctor check` reads (node:http on 127.0.0.1, an ephemeral port). All
 * services answer on one port, as AWS_ENDPOINT_URL points every client there: a request is routed by its
 * X-Amz-Target (Systems Manager, JSON 1.1), its path (Route 53, REST-XML) or its signing scope and Action
 * (EC2 query, IAM and STS query). It honours filters and pagination (MaxResults/NextToken, MaxItems/Marker),
 * records every call, and injects faults per operation (throttling, 500, slow answers, AccessDenied).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import * as EC2 from "@aws-sdk/client-ec2";
import * as IAM from "@aws-sdk/client-iam";
import * as R53 from "@aws-sdk/client-route-53";
import type * as SSM from "@aws-sdk/client-ssm";
import * as STS from "@aws-sdk/client-sts";
import { evaluateActions, lookupAwsManagedPolicy, type PolicySource } from "../../src/analysis/iam.js";
import { known } from "../../src/model/index.js";
import { type RequestContext, resolveConditions } from "./conditions.js";
import { type Account, type Fault, loadScenario } from "./scenario.js";
import { ec2Filters, errorBody, jsonResponse, operationSchema, queryList, type WireError, xmlResponse } from "./wire.js";

export type Service = "ec2" | "iam" | "sts" | "ssm" | "route53" | "logs";

export interface Call {
  service: Service;
  operation: string;
  /** "iam:GetInstanceProfile" as IAM names it. */
  action: string;
  params: Record<string, unknown>;
  status: number;
  accessKey?: string;
}

export interface FakeAws {
  url: string;
  port: number;
  account: Account;
  calls: Call[];
  /** Faults can be changed between runs. */
  faults: Fault[];
  latencyMs: number;
  close(): Promise<void>;
}

export interface FakeOptions {
  latencyMs?: number;
  faults?: Fault[];
}

const IAM_PREFIX: Record<Service, string> = { ec2: "ec2", iam: "iam", sts: "sts", ssm: "ssm", route53: "route53", logs: "logs" };

/** The JSON 1.1 services, by the X-Amz-Target prefix their operations carry. */
const JSON_TARGETS: Record<string, "ssm" | "logs"> = { AmazonSSM: "ssm", Logs_20140328: "logs" };

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------- helpers

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function signingService(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization ?? "";
  return /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\/aws4_request/.exec(auth)?.[1];
}

function accessKey(req: IncomingMessage): string | undefined {
  return /Credential=([^/]+)\//.exec(req.headers.authorization ?? "")?.[1];
}

function page<T>(
  items: T[],
  maxResults: number | undefined,
  token: string | undefined,
  cap: number | undefined,
  fallback = 1000,
): { items: T[]; next?: string } {
  const start = token
    ? Number(
        Buffer.from(token, "base64url")
          .toString("utf8")
          .replace(/^offset:/, ""),
      )
    : 0;
  if (!Number.isInteger(start) || start < 0) throw new ApiError(400, "InvalidParameterValue", `invalid NextToken ${token}`);
  const size = Math.max(1, Math.min(maxResults ?? fallback, cap ?? Number.POSITIVE_INFINITY));
  const slice = items.slice(start, start + size);
  const end = start + slice.length;
  return end < items.length ? { items: slice, next: Buffer.from(`offset:${end}`).toString("base64url") } : { items: slice };
}

function tagValue(tags: EC2.Tag[] | undefined, key: string): string[] {
  return (tags ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? "");
}

/** Values of an EC2 filter name for one resource; undefined = a filter this resource kind does not support. */
type FilterFields<T> = Record<string, (item: T) => (string | undefined)[]>;

function applyFilters<T extends { Tags?: EC2.Tag[] }>(
  items: T[],
  filters: { name: string; values: string[] }[],
  fields: FilterFields<T>,
  operation: string,
): T[] {
  // Sets, so a filter of 200 ids over a fleet of 20,000 costs what AWS's would: nothing that grows with both.
  const sets = filters.map((f) => ({ name: f.name, values: new Set(f.values) }));
  return items.filter((item) =>
    sets.every((f) => {
      if (f.name.startsWith("tag:")) return tagValue(item.Tags, f.name.slice(4)).some((v) => f.values.has(v));
      const field = fields[f.name];
      if (!field) throw new ApiError(400, "InvalidParameterValue", `The filter '${f.name}' is invalid for ${operation}`);
      return field(item).some((v) => v !== undefined && f.values.has(v));
    }),
  );
}

// ---------------------------------------------------------------- simulation

function simulate(
  account: Account,
  policies: { name: string; document: unknown }[],
  boundary: { name: string; document: unknown } | undefined,
  actions: string[],
  resources: string[],
  context: RequestContext,
): IAM.EvaluationResult[] {
  // The policies as each action's request sees them: Conditions decided on the call's context, missing keys listed.
  const sourcesFor = (action: string, resource: string) => {
    const missing = new Set<string>();
    const source = (p: { name: string; document: unknown }, kind: "identity" | "boundary"): PolicySource => {
      const resolved = resolveConditions(p.document, action, resource, context);
      for (const k of resolved.missing) missing.add(k);
      return { name: p.name, document: known(resolved.document), kind };
    };
    const sources = [...policies.map((p) => source(p, "identity")), ...(boundary ? [source(boundary, "boundary")] : [])];
    return { sources, missing: [...missing] };
  };
  const decide = (action: string, resource: string) => {
    const { sources, missing } = sourcesFor(action, resource);
    const [r] = evaluateActions(sources, [action], resource);
    const decision = r?.decision === "allowed" ? "allowed" : r?.decision === "explicit-deny" ? "explicitDeny" : "implicitDeny";
    const matched = (r?.evidence ?? [])
      .filter((e) => e.code === "iam-allowed-by" || e.code === "iam-denied-by")
      .map((e) => ({ SourcePolicyId: String(e.args.policy), SourcePolicyType: "IAM Policy" as IAM.PolicySourceType }));
    const boundaryBlocks = (r?.evidence ?? []).some((e) => e.code === "iam-boundary-blocks");
    return {
      decision: decision as IAM.PolicyEvaluationDecisionType,
      matched,
      missing,
      ...(boundary ? { boundary: { AllowedByPermissionsBoundary: !boundaryBlocks } } : {}),
    };
  };
  void account;
  return actions.map((action) => {
    if (resources.length === 0) {
      const d = decide(action, "*");
      return {
        EvalActionName: action,
        EvalResourceName: "*",
        EvalDecision: d.decision,
        MatchedStatements: d.matched,
        MissingContextValues: d.missing,
        ...(d.boundary ? { PermissionsBoundaryDecisionDetail: d.boundary } : {}),
      };
    }
    const specific = resources.map((resource) => {
      const d = decide(action, resource);
      return {
        EvalResourceName: resource,
        EvalResourceDecision: d.decision,
        MatchedStatements: d.matched,
        MissingContextValues: d.missing,
        ...(d.boundary ? { PermissionsBoundaryDecisionDetail: d.boundary } : {}),
      };
    });
    const overall = specific.every((s) => s.EvalResourceDecision === "allowed")
      ? "allowed"
      : specific.some((s) => s.EvalResourceDecision === "explicitDeny")
        ? "explicitDeny"
        : "implicitDeny";
    return {
      EvalActionName: action,
      EvalResourceName: "*",
      EvalDecision: overall as IAM.PolicyEvaluationDecisionType,
      ResourceSpecificResults: specific,
    };
  });
}

/** SimulatePrincipalPolicy's ContextEntries.member.N (ContextKeyName, ContextKeyValues.member.M) by lower-case key. */
function contextEntries(p: Record<string, string>): RequestContext {
  const context = new Map<string, string[]>();
  for (let n = 1; p[`ContextEntries.member.${n}.ContextKeyName`] !== undefined; n++)
    context.set(p[`ContextEntries.member.${n}.ContextKeyName`]!.toLowerCase(), queryList(p, `ContextEntries.member.${n}.ContextKeyValues`));
  return context;
}

// ---------------------------------------------------------------- handlers

type Handler = (a: Account, p: Record<string, string>, cap: number | undefined) => unknown;

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

function ec2List<T extends { Tags?: EC2.Tag[] }>(
  key: string,
  items: (a: Account) => T[],
  fields: FilterFields<T>,
  operation: string,
  maxResults: { min: number; max: number } = { min: 5, max: 1000 },
): Handler {
  return (a, p, cap) => {
    const mr = num(p.MaxResults);
    if (mr !== undefined && (mr < maxResults.min || mr > maxResults.max))
      throw new ApiError(400, "InvalidParameterValue", `MaxResults must be between ${maxResults.min} and ${maxResults.max}`);
    const filtered = applyFilters(items(a), ec2Filters(p), fields, operation);
    const r = page(filtered, mr, p.NextToken, cap);
    return { [key]: r.items, ...(r.next ? { NextToken: r.next } : {}) };
  };
}

const EC2_HANDLERS: Record<string, Handler> = {
  DescribeInstances: (a, p, cap) => {
    const h = ec2List(
      "Items",
      (x) => x.instances,
      {
        "instance-id": (i) => [i.InstanceId],
        "instance-state-name": (i) => [i.State?.Name],
        "vpc-id": (i) => [i.VpcId],
        "subnet-id": (i) => [i.SubnetId],
      },
      "DescribeInstances",
    )(a, p, cap) as { Items: EC2.Instance[]; NextToken?: string };
    return {
      Reservations: h.Items.map((i) => ({ ReservationId: `r-${i.InstanceId!.slice(2)}`, OwnerId: a.account, Groups: [], Instances: [i] })),
      ...(h.NextToken ? { NextToken: h.NextToken } : {}),
    };
  },
  DescribeIamInstanceProfileAssociations: ec2List(
    "IamInstanceProfileAssociations",
    (a) =>
      a.instances
        .filter((i) => i.IamInstanceProfile)
        .map((i): EC2.IamInstanceProfileAssociation & { Tags?: EC2.Tag[] } => ({
          AssociationId: `iip-assoc-${i.InstanceId}`,
          InstanceId: i.InstanceId,
          IamInstanceProfile: i.IamInstanceProfile,
          State: "associated",
        })),
    { "instance-id": (x) => [x.InstanceId], state: (x) => [x.State] },
    "DescribeIamInstanceProfileAssociations",
  ),
  DescribeVpcs: ec2List("Vpcs", (a) => a.vpcs, { "vpc-id": (v) => [v.VpcId] }, "DescribeVpcs"),
  DescribeVpcAttribute: (a, p) => {
    const attrs = a.vpcAttributes.get(p.VpcId ?? "");
    if (!attrs) throw new ApiError(400, "InvalidVpcID.NotFound", `The vpc ID '${p.VpcId}' does not exist`);
    if (p.Attribute === "enableDnsHostnames") return { VpcId: p.VpcId, EnableDnsHostnames: { Value: attrs.hostnames } };
    if (p.Attribute === "enableDnsSupport") return { VpcId: p.VpcId, EnableDnsSupport: { Value: attrs.support } };
    throw new ApiError(400, "InvalidParameterValue", `unsupported attribute ${p.Attribute}`);
  },
  DescribeVpcBlockPublicAccessOptions: (a) => ({ VpcBlockPublicAccessOptions: a.blockPublicAccess }),
  DescribeVpcBlockPublicAccessExclusions: (a, p, cap) => {
    const r = page(a.blockPublicAccessExclusions, num(p.MaxResults), p.NextToken, cap);
    return { VpcBlockPublicAccessExclusions: r.items, ...(r.next ? { NextToken: r.next } : {}) };
  },
  DescribeDhcpOptions: ec2List("DhcpOptions", (a) => a.dhcpOptions, { "dhcp-options-id": (d) => [d.DhcpOptionsId] }, "DescribeDhcpOptions"),
  DescribeSubnets: ec2List(
    "Subnets",
    (a) => a.subnets,
    { "vpc-id": (s) => [s.VpcId], "subnet-id": (s) => [s.SubnetId] },
    "DescribeSubnets",
  ),
  DescribeRouteTables: ec2List(
    "RouteTables",
    (a) => a.routeTables,
    {
      "vpc-id": (r) => [r.VpcId],
      "route-table-id": (r) => [r.RouteTableId],
      "association.subnet-id": (r) => (r.Associations ?? []).map((x) => x.SubnetId),
    },
    "DescribeRouteTables",
    { min: 5, max: 100 },
  ),
  DescribeNatGateways: ec2List(
    "NatGateways",
    (a) => a.natGateways,
    { "nat-gateway-id": (n) => [n.NatGatewayId], "vpc-id": (n) => [n.VpcId] },
    "DescribeNatGateways",
  ),
  DescribeInternetGateways: ec2List(
    "InternetGateways",
    (a) => a.internetGateways,
    { "internet-gateway-id": (g) => [g.InternetGatewayId], "attachment.vpc-id": (g) => (g.Attachments ?? []).map((x) => x.VpcId) },
    "DescribeInternetGateways",
  ),
  DescribeSecurityGroups: ec2List(
    "SecurityGroups",
    (a) => a.securityGroups,
    { "vpc-id": (g) => [g.VpcId], "group-id": (g) => [g.GroupId] },
    "DescribeSecurityGroups",
  ),
  DescribeManagedPrefixLists: ec2List(
    "PrefixLists",
    (a) => a.prefixLists as (EC2.ManagedPrefixList & { Tags?: EC2.Tag[] })[],
    { "prefix-list-id": (l) => [l.PrefixListId] },
    "DescribeManagedPrefixLists",
    { min: 1, max: 100 },
  ),
  GetManagedPrefixListEntries: (a, p, cap) => {
    const entries = a.prefixListEntries.get(p.PrefixListId ?? "");
    if (!entries) throw new ApiError(400, "InvalidPrefixListID.NotFound", `The prefix list ID '${p.PrefixListId}' does not exist`);
    const r = page(
      entries.map((Cidr) => ({ Cidr })),
      num(p.MaxResults),
      p.NextToken,
      cap,
    );
    return { Entries: r.items, ...(r.next ? { NextToken: r.next } : {}) };
  },
  DescribeNetworkAcls: ec2List(
    "NetworkAcls",
    (a) => a.networkAcls,
    { "vpc-id": (n) => [n.VpcId], "network-acl-id": (n) => [n.NetworkAclId] },
    "DescribeNetworkAcls",
    { min: 5, max: 100 },
  ),
  DescribeVpcEndpoints: ec2List(
    "VpcEndpoints",
    (a) => a.vpcEndpoints,
    { "vpc-id": (e) => [e.VpcId], "vpc-endpoint-id": (e) => [e.VpcEndpointId], "service-name": (e) => [e.ServiceName] },
    "DescribeVpcEndpoints",
  ),
  DescribeNetworkInterfaces: ec2List(
    "NetworkInterfaces",
    (a) => a.networkInterfaces as (EC2.NetworkInterface & { Tags?: EC2.Tag[] })[],
    { "network-interface-id": (n) => [n.NetworkInterfaceId], "vpc-id": (n) => [n.VpcId] },
    "DescribeNetworkInterfaces",
  ),
};

const IAM_HANDLERS: Record<string, Handler> = {
  GetInstanceProfile: (a, p) => {
    const profile = a.instanceProfiles.find((x) => x.InstanceProfileName === p.InstanceProfileName);
    if (!profile) throw new ApiError(404, "NoSuchEntity", `Instance Profile ${p.InstanceProfileName} cannot be found.`);
    return { InstanceProfile: profile };
  },
  ListAttachedRolePolicies: (a, p, cap) => {
    const role = a.roles.get(p.RoleName ?? "");
    if (!role) throw new ApiError(404, "NoSuchEntity", `The role with name ${p.RoleName} cannot be found.`);
    const r = page(role.managed, num(p.MaxItems), p.Marker, cap, 100);
    return { AttachedPolicies: r.items, IsTruncated: Boolean(r.next), ...(r.next ? { Marker: r.next } : {}) };
  },
  SimulatePrincipalPolicy: (a, p, cap) => {
    const source = p.PolicySourceArn ?? "";
    const roleName = /:role\/(?:.*\/)?([^/]+)$/.exec(source)?.[1];
    const role = roleName ? a.roles.get(roleName) : undefined;
    const principal = a.principals.get(source);
    if (!role && !principal) throw new ApiError(404, "NoSuchEntity", `The principal ${source} cannot be found.`);
    const results = simulate(
      a,
      role ? role.documents : principal!.documents,
      role?.boundary,
      queryList(p, "ActionNames"),
      queryList(p, "ResourceArns"),
      contextEntries(p),
    );
    const r = page(results, num(p.MaxItems), p.Marker, cap, 100);
    return { EvaluationResults: r.items, IsTruncated: Boolean(r.next), ...(r.next ? { Marker: r.next } : {}) };
  },
};

const STS_HANDLERS: Record<string, Handler> = {
  GetCallerIdentity: (a) => ({ Account: a.account, Arn: a.callerArn, UserId: "AIDAFAKEUSERID000000" }),
};

function ssmHandlers(): Record<string, (a: Account, body: Record<string, unknown>, cap: number | undefined) => unknown> {
  return {
    DescribeInstanceInformation: (a, b, cap) => {
      const mr = b.MaxResults as number | undefined;
      if (mr !== undefined && (mr < 5 || mr > 50)) throw new ApiError(400, "InvalidFilterValue", "MaxResults must be between 5 and 50");
      const filters = (b.Filters as { Key: string; Values: string[] }[] | undefined) ?? [];
      for (const f of filters) {
        if (f.Key !== "InstanceIds" && f.Key !== "PingStatus")
          throw new ApiError(400, "InvalidInstanceInformationFilterValue", `unsupported filter ${f.Key}`);
        if (f.Values.length > 100) throw new ApiError(400, "InvalidInstanceInformationFilterValue", "at most 100 filter values");
      }
      const sets = filters.map((f) => ({ key: f.Key, values: new Set(f.Values) }));
      const items = a.instanceInformation.filter((i) =>
        sets.every((f) => f.values.has((f.key === "InstanceIds" ? i.InstanceId : i.PingStatus) ?? "")),
      );
      const r = page(items, mr ?? 10, b.NextToken as string | undefined, cap, 10);
      return { InstanceInformationList: r.items, ...(r.next ? { NextToken: r.next } : {}) };
    },
    DescribeInstanceProperties: (a, b, cap) => describeInstanceProperties(a, b, cap),
    GetServiceSetting: (a, b) => {
      const id = String(b.SettingId);
      const value = a.serviceSettings.get(id);
      return {
        ServiceSetting: {
          SettingId: id,
          SettingValue: value ?? "$None",
          Status: value ? "Customized" : "Default",
          ARN: `arn:aws:ssm:${a.region}:${a.account}:servicesetting${id}`,
          LastModifiedDate: new Date("2025-01-01T00:00:00Z"),
        },
      };
    },
    GetDocument: (a, b) => {
      const name = String(b.Name);
      const content = a.documents.get(name);
      if (content === undefined) throw new ApiError(400, "InvalidDocument", `Document with name ${name} does not exist.`);
      return { Name: name, DocumentType: "Session", DocumentFormat: "JSON", DocumentVersion: "1", Status: "Active", Content: content };
    },
  };
}

/** The fields of a managed node that each DescribeInstanceProperties filter key matches. */
const PROPERTY_FILTER_FIELDS: Record<string, (i: SSM.InstanceInformation) => string | undefined> = {
  InstanceIds: (i) => i.InstanceId,
  AgentVersion: (i) => i.AgentVersion,
  PingStatus: (i) => i.PingStatus,
  PlatformTypes: (i) => i.PlatformType,
  ActivationIds: (i) => i.ActivationId,
  IamRole: (i) => i.IamRole,
  ResourceType: (i) => i.ResourceType,
  AssociationStatus: (i) => i.AssociationStatus,
};

/**
 * DescribeInstanceProperties (Systems Manager API Reference): MaxResults 5 to 1000; InstancePropertyFilterList and
 * FiltersWithOperator of 1 to 40 filters, each of 1 to 40 values (InstancePropertyFilter, InstancePropertyStringFilter).
 * The fake's nodes are the registered instances; it does not model documents (the DocumentName key) nor the
 * LessThan and GreaterThan operators, and refuses them rather than guess. The page size without MaxResults is
 * not documented; the fake uses 50.
 */
function describeInstanceProperties(a: Account, b: Record<string, unknown>, cap: number | undefined): unknown {
  const mr = b.MaxResults as number | undefined;
  if (mr !== undefined && (mr < 5 || mr > 1000))
    throw new ApiError(
      400,
      "ValidationException",
      "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 5 and 1000",
    );
  const plain = (b.InstancePropertyFilterList as { key: string; valueSet: string[] }[] | undefined)?.map((f) => ({
    key: f.key,
    values: f.valueSet,
    operator: "Equal",
  }));
  const withOperator = (b.FiltersWithOperator as { Key: string; Values: string[]; Operator?: string }[] | undefined)?.map((f) => ({
    key: f.Key,
    values: f.Values,
    operator: f.Operator ?? "Equal",
  }));
  for (const list of [plain, withOperator]) {
    if (list === undefined) continue;
    if (list.length < 1 || list.length > 40) throw new ApiError(400, "ValidationException", "a filter list holds 1 to 40 filters");
    for (const f of list) {
      if (!PROPERTY_FILTER_FIELDS[f.key]) throw new ApiError(400, "InvalidFilterKey", `the fake does not model the filter key ${f.key}`);
      if (!Array.isArray(f.values) || f.values.length < 1 || f.values.length > 40)
        throw new ApiError(400, "InvalidInstancePropertyFilterValue", "a filter holds 1 to 40 values");
      if (!["Equal", "NotEqual", "BeginWith"].includes(f.operator))
        throw new ApiError(400, "InvalidInstancePropertyFilterValue", `the fake does not model the operator ${f.operator}`);
    }
  }
  const filters = [...(plain ?? []), ...(withOperator ?? [])].map((f) => ({
    ...f,
    field: PROPERTY_FILTER_FIELDS[f.key]!,
    set: new Set(f.values),
  }));
  const matches = (i: SSM.InstanceInformation) =>
    filters.every((f) => {
      const v = f.field(i);
      if (f.operator === "BeginWith") return v !== undefined && f.values.some((x) => v.startsWith(x));
      const equal = v !== undefined && f.set.has(v);
      return f.operator === "NotEqual" ? !equal : equal;
    });
  const r = page(a.instanceInformation.filter(matches), mr ?? 50, b.NextToken as string | undefined, cap, 50);
  const instances = new Map(a.instances.map((i) => [i.InstanceId, i]));
  return {
    // InstanceInformation's fields under the same names, without IsLatestVersion (InstanceProperty has none).
    InstanceProperties: r.items.map(({ IsLatestVersion: _, ...info }): SSM.InstanceProperty => {
      const ec2 = instances.get(info.InstanceId);
      const name = ec2?.Tags?.find((t) => t.Key === "Name")?.Value;
      return {
        ...info,
        ...(name ? { Name: name } : {}),
        ...(ec2?.InstanceType ? { InstanceType: ec2.InstanceType } : {}),
        ...(ec2?.State?.Name ? { InstanceState: ec2.State.Name } : {}),
        ...(ec2?.LaunchTime ? { LaunchTime: ec2.LaunchTime } : {}),
        ...(ec2?.Placement?.AvailabilityZone ? { AvailabilityZone: ec2.Placement.AvailabilityZone } : {}),
        SourceId: info.InstanceId,
        SourceType: "AWS::EC2::Instance",
      } as SSM.InstanceProperty;
    }),
    ...(r.next ? { NextToken: r.next } : {}),
  };
}

function route53(a: Account, url: URL, cap: number | undefined): { operation: string; value: unknown; params: Record<string, string> } {
  const params = Object.fromEntries(url.searchParams);
  if (url.pathname === "/2013-04-01/hostedzonesbyvpc") {
    const vpc = params.vpcid ?? "";
    const zones = a.hostedZones.filter((z) => z.vpcs.includes(vpc));
    const maxItems = params.maxitems ? Number(params.maxitems) : 100;
    const r = page(zones, maxItems, params.nexttoken, cap, 100);
    return {
      operation: "ListHostedZonesByVPC",
      params,
      value: {
        HostedZoneSummaries: r.items.map((z) => ({
          HostedZoneId: z.id,
          Name: z.name.endsWith(".") ? z.name : `${z.name}.`,
          Owner: { OwningAccount: z.owner ?? a.account },
        })),
        MaxItems: maxItems,
        ...(r.next ? { NextToken: r.next } : {}),
      },
    };
  }
  throw new ApiError(404, "UnknownOperation", `no Route 53 operation at ${url.pathname}`);
}

// ---------------------------------------------------------------- the server

const PACKAGES = { ec2: EC2, iam: IAM, sts: STS, route53: R53 } as unknown as Record<
  "ec2" | "iam" | "sts" | "route53",
  Record<string, unknown>
>;

/** DescribeLogGroups (CloudWatch Logs API Reference): by logGroupNamePrefix, limit 1 to 50 (default 50). */
function describeLogGroups(a: Account, b: Record<string, unknown>, cap: number | undefined): unknown {
  const limit = b.limit as number | undefined;
  if (limit !== undefined && (limit < 1 || limit > 50))
    throw new ApiError(400, "InvalidParameterException", "limit must be between 1 and 50");
  const prefix = String(b.logGroupNamePrefix ?? "");
  const items = a.logGroups.filter((g) => g.logGroupName?.startsWith(prefix));
  const r = page(items, limit ?? 50, b.nextToken as string | undefined, cap, 50);
  return { logGroups: r.items, ...(r.next ? { nextToken: r.next } : {}) };
}

function faultError(service: Service, operation: string, kind: Fault["kind"], account: Account): WireError {
  const action = `${IAM_PREFIX[service]}:${operation}`;
  const who = account.callerArn;
  switch (kind) {
    case "denied":
      if (service === "ec2")
        return {
          status: 403,
          code: "UnauthorizedOperation",
          message: `You are not authorized to perform this operation. User: ${who} is not authorized to perform: ${action}`,
        };
      if (service === "ssm" || service === "logs")
        return { status: 400, code: "AccessDeniedException", message: `User: ${who} is not authorized to perform: ${action}` };
      return { status: 403, code: "AccessDenied", message: `User: ${who} is not authorized to perform: ${action}` };
    case "throttle":
      if (service === "ec2") return { status: 503, code: "RequestLimitExceeded", message: "Request limit exceeded." };
      if (service === "ssm" || service === "logs") return { status: 400, code: "ThrottlingException", message: "Rate exceeded" };
      return { status: 400, code: "Throttling", message: "Rate exceeded" };
    default:
      if (service === "ssm" || service === "logs")
        return { status: 500, code: "ServiceUnavailableException", message: "An internal error occurred" };
      return { status: 500, code: service === "ec2" ? "InternalError" : "ServiceFailure", message: "An internal error has occurred" };
  }
}

export async function startFakeAws(scenario: string | Account, options: FakeOptions = {}): Promise<FakeAws> {
  const account = typeof scenario === "string" ? loadScenario(scenario, lookupAwsManagedPolicy) : scenario;
  const calls: Call[] = [];
  const sockets = new Set<Socket>();
  const fake: FakeAws = {
    url: "",
    port: 0,
    account,
    calls,
    faults: [...account.faults, ...(options.faults ?? [])].map((f) => ({ ...f })),
    latencyMs: options.latencyMs ?? account.latencyMs ?? 0,
    close: async () => {},
  };
  const ssm = ssmHandlers();
  let requestCounter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const requestId = `fake-${++requestCounter}`;
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    if (url.pathname === "/__fake/calls") {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(calls));
      return;
    }
    let service: Service;
    let operation: string;
    let params: Record<string, unknown>;
    const target = req.headers["x-amz-target"];
    if (typeof target === "string") {
      const dot = target.indexOf(".");
      service = JSON_TARGETS[target.slice(0, dot)] ?? "ssm";
      operation = target.slice(dot + 1);
      params = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } else if (url.pathname.startsWith("/2013-04-01/")) {
      service = "route53";
      operation = url.pathname === "/2013-04-01/hostedzonesbyvpc" ? "ListHostedZonesByVPC" : url.pathname;
      params = Object.fromEntries(url.searchParams);
    } else {
      const form = Object.fromEntries(new URLSearchParams(raw));
      operation = form.Action ?? "";
      const scope = signingService(req);
      service =
        scope === "iam"
          ? "iam"
          : scope === "sts"
            ? "sts"
            : form.Version === "2010-05-08"
              ? "iam"
              : form.Version === "2011-06-15"
                ? "sts"
                : "ec2";
      params = form;
    }
    const key = accessKey(req);
    const call: Call = {
      service,
      operation,
      action: `${IAM_PREFIX[service]}:${operation}`,
      params,
      status: 200,
      ...(key ? { accessKey: key } : {}),
    };
    calls.push(call);
    const send = (status: number, contentType: string, body: string) => {
      call.status = status;
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": contentType, "x-amzn-requestid": requestId, "content-length": Buffer.byteLength(body) });
      res.end(body);
    };
    const fail = (e: WireError) => {
      const b = errorBody(service, e, requestId);
      send(e.status, b.contentType, b.body);
    };
    if (fake.latencyMs > 0) await new Promise((r) => setTimeout(r, fake.latencyMs));
    try {
      if (key && account.expiredKeys.includes(key)) {
        fail(
          service === "ec2"
            ? { status: 401, code: "AuthFailure", message: "AWS was not able to validate the provided access credentials" }
            : {
                status: 403,
                code: service === "ssm" ? "ExpiredTokenException" : "ExpiredToken",
                message: "The security token included in the request is expired",
              },
        );
        return;
      }
      const fault = fake.faults.find((f) => f.operation === operation && (f.times === undefined || f.times > 0));
      if (fault) {
        if (fault.times !== undefined) fault.times--;
        if (fault.kind === "slow") await new Promise((r) => setTimeout(r, fault.delayMs ?? 30_000));
        else {
          fail(faultError(service, operation, fault.kind, account));
          return;
        }
      }
      const cap = account.pageSize;
      if (service === "logs") {
        if (operation !== "DescribeLogGroups") throw new ApiError(400, "UnknownOperationException", `unknown operation ${operation}`);
        send(200, "application/x-amz-json-1.1", jsonResponse(describeLogGroups(account, params, cap)));
        return;
      }
      if (service === "ssm") {
        const h = ssm[operation];
        if (!h) throw new ApiError(400, "UnknownOperationException", `unknown operation ${operation}`);
        send(200, "application/x-amz-json-1.1", jsonResponse(h(account, params, cap)));
        return;
      }
      if (service === "route53") {
        const r = route53(account, url, cap);
        const schema = operationSchema(PACKAGES.route53, r.operation);
        send(200, "text/xml", xmlResponse("route53", r.operation, schema.output, r.value, requestId));
        return;
      }
      const handlers = service === "ec2" ? EC2_HANDLERS : service === "iam" ? IAM_HANDLERS : STS_HANDLERS;
      const h = handlers[operation];
      if (!h) throw new ApiError(400, "InvalidAction", `The action ${operation} is not valid for this web service.`);
      const value = h(account, params as Record<string, string>, cap);
      const schema = operationSchema(PACKAGES[service], operation);
      send(200, "text/xml", xmlResponse(service, operation, schema.output, value, requestId));
    } catch (e) {
      if (e instanceof ApiError) fail({ status: e.status, code: e.code, message: e.message });
      else fail({ status: 500, code: "InternalError", message: (e as Error).message });
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  fake.port = port;
  fake.url = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return fake;
}

/** Environment for a subprocess that talks to the fake: static test credentials, no IMDS (the CLI itself turns off the SDK's Node-version warning). */
export function fakeEnv(fake: FakeAws, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: fake.url,
    AWS_REGION: fake.account.region,
    AWS_ACCESS_KEY_ID: "AKIDFAKE",
    AWS_SECRET_ACCESS_KEY: "fake-secret",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    NO_COLOR: "1",
    ...extra,
  };
}
