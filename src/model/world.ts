/**
 * The normalized world every source fills and every rule reads. References between elements are
 * model references (the element's `key`), never raw AWS ids; a resource outside the input is an
 * unknown value with reason "outside".
 */
import type { Origin, Region, SourceKind } from "./origin.js";
import type { RunAssumptions } from "./run-assumptions.js";
import type { UnknownReason, Value, ValueList } from "./value.js";

/** Key of an element in the World (CloudFormation logical id, Terraform address, or AWS resource id). */
export type Ref = string;

export interface Suppression {
  ruleId: string; // "SD302"
  reason: string;
  origin: Origin;
}

export interface Element {
  readonly key: Ref;
  /** Name a person knows it by: logical id, address, or "sg-0abc (app-sg)". */
  readonly name: string;
  readonly origin: Origin;
  /** Set when the element exists only under a condition the source could not evaluate. */
  readonly conditional?: UnknownReason;
  /** Inline suppressions (CloudFormation Metadata, Terraform comments). */
  readonly suppressions?: Suppression[];
}

// ---------------------------------------------------------------- network

export interface Vpc extends Element {
  readonly cidrBlocks: Value<string[]>;
  /** Default true. */
  readonly enableDnsSupport: Value<boolean>;
  /** Default false for new VPCs in CloudFormation and Terraform. */
  readonly enableDnsHostnames: Value<boolean>;
  /** null = the default option set (AmazonProvidedDNS). */
  readonly dhcpOptions: Value<Ref | null>;
  /** The synthesized (or live) default security group, main route table and default ACL of this VPC. */
  readonly defaultSecurityGroup: Ref;
  readonly mainRouteTable: Ref;
  readonly defaultNetworkAcl: Ref;
}

export interface Subnet extends Element {
  readonly vpc: Value<Ref>;
  readonly cidrBlock: Value<string>;
  readonly availabilityZone: Value<string>;
  readonly mapPublicIpOnLaunch: Value<boolean>;
  /** Explicit association, else the VPC's main route table. */
  readonly routeTable: Value<Ref>;
  /** Explicit association, else the VPC's default network ACL. */
  readonly networkAcl: Value<Ref>;
}

export type RouteTarget =
  | { kind: "local" }
  | { kind: "internet-gateway"; gateway: Value<Ref> }
  | { kind: "nat-gateway"; gateway: Value<Ref> }
  | { kind: "egress-only-internet-gateway" }
  | { kind: "transit-gateway"; id: string }
  | { kind: "peering"; id: string }
  | { kind: "vpc-endpoint"; id: string }
  | { kind: "instance"; id: string }
  | { kind: "network-interface"; id: string }
  | { kind: "virtual-private-gateway"; id: string }
  /** `blackhole`: the route's target no longer exists (a deleted NAT gateway, say), and AWS drops its packets. */
  | { kind: "other"; description: string; blackhole?: boolean };

export interface Route {
  /** IPv4 CIDR; IPv6 and prefix-list destinations are kept with their kind for evidence. */
  readonly destination: Value<{ kind: "ipv4"; cidr: string } | { kind: "ipv6"; cidr: string } | { kind: "prefix-list"; id: string }>;
  readonly target: Value<RouteTarget>;
  readonly origin: Origin;
  readonly conditional?: UnknownReason;
}

export interface RouteTable extends Element {
  readonly vpc: Value<Ref>;
  /** The implicit local route is not listed; analysis adds it from the VPC CIDR. */
  readonly routes: Route[];
  /**
   * True when the input describes every route of the table (a table created in the template or plan).
   * False for a live table we could not read fully, or a table referenced from outside the input.
   */
  readonly routesComplete: boolean;
  readonly isMain: boolean;
}

export interface InternetGateway extends Element {
  /** The VPC it is attached to, or null when detached. */
  readonly vpc: Value<Ref | null>;
}

export interface NatGateway extends Element {
  readonly subnet: Value<Ref>;
  /** "public" (default) needs an Elastic IP and an internet-routed subnet; "private" never reaches the internet. */
  readonly connectivity: Value<"public" | "private">;
  /** Live only: "available", "pending", "failed", … Only an available NAT gateway carries traffic. */
  readonly state?: Value<string>;
}

export type Protocol = "all" | "tcp" | "udp" | "icmp" | "icmpv6" | string;

export type Peer =
  | { kind: "cidr"; cidr: string } // IPv4
  | { kind: "cidr6"; cidr: string }
  | { kind: "security-group"; group: Value<Ref> }
  | { kind: "prefix-list"; id: Value<string> };

export interface SecurityGroupRule {
  readonly direction: "ingress" | "egress";
  /** "all" for -1; numbers are normalized (6 → tcp, 17 → udp, 1 → icmp). */
  readonly protocol: Value<Protocol>;
  /** For "all", 0–65535. For icmp, type/code live here and are not ports. */
  readonly fromPort: Value<number>;
  readonly toPort: Value<number>;
  readonly peer: Value<Peer>;
  readonly description?: string;
  readonly origin: Origin;
  readonly conditional?: UnknownReason;
}

/** How the input manages egress, for the Terraform pitfall (SD302). */
export interface EgressManagement {
  /** "cloudformation-default": no SecurityGroupEgress, AWS keeps allow-all. */
  readonly mode:
    | "cloudformation-default"
    | "inline" // egress rules given inline
    | "standalone" // egress from separate rule resources
    | "terraform-none" // Terraform group without egress blocks and no standalone egress rule: no egress at all
    | "aws-default" // live or default SG: as AWS has it
    | "unknown";
  /** How the tool knows (evidence for SD302): "configuration has no egress block", "plan after.egress = []", … */
  readonly basis?: string;
}

export interface SecurityGroup extends Element {
  readonly vpc: Value<Ref>;
  readonly groupName?: Value<string>;
  readonly ingress: SecurityGroupRule[];
  readonly egress: SecurityGroupRule[];
  /** Whether the listed rules are all the group has (false when rules may exist outside the input). */
  readonly rulesComplete: Value<boolean>;
  readonly egressManagement: EgressManagement;
  /** True for a VPC's default security group (synthesized or live). */
  readonly isDefault: boolean;
}

export interface NetworkAclEntry {
  readonly ruleNumber: Value<number>;
  readonly egress: boolean;
  readonly protocol: Value<Protocol>;
  readonly action: Value<"allow" | "deny">;
  readonly cidr: Value<{ kind: "ipv4" | "ipv6"; cidr: string }>;
  /** null = all ports (protocol all, or not a port protocol). */
  readonly portRange: Value<{ from: number; to: number } | null>;
  readonly origin: Origin;
  readonly conditional?: UnknownReason;
}

export interface NetworkAcl extends Element {
  readonly vpc: Value<Ref>;
  /** Custom entries, excluding the implicit final deny (*), which analysis adds. */
  readonly entries: NetworkAclEntry[];
  readonly entriesComplete: boolean;
  readonly isDefault: boolean;
}

export type EndpointType = "Interface" | "Gateway" | "GatewayLoadBalancer" | "Resource" | "ServiceNetwork";

export interface VpcEndpoint extends Element {
  readonly vpc: Value<Ref>;
  /** "com.amazonaws.us-east-1.ssm"; may contain DEPLOYMENT_REGION for CloudFormation without --region. */
  readonly serviceName: Value<string>;
  /** Default Gateway in CloudFormation and Terraform. */
  readonly endpointType: Value<EndpointType>;
  /** Default false in CloudFormation and Terraform. */
  readonly privateDnsEnabled: Value<boolean>;
  /**
   * DnsOptions.DnsRecordIpType: "ipv4", "dualstack", "ipv6" (AAAA records only) or "service-defined"; absent when the
   * input does not set it (AWS then publishes the records of the endpoint's address type).
   */
  readonly dnsRecordIpType?: Value<string>;
  readonly subnets: ValueList<Ref>;
  /** Empty known list = AWS attaches the VPC's default security group. */
  readonly securityGroups: ValueList<Ref>;
  readonly routeTables: ValueList<Ref>;
  /** The endpoint policy (raw IAM JSON); null = the default full-access policy. */
  readonly policy: Value<unknown | null>;
  /** Live only: "available", "pending", … */
  readonly state?: Value<string>;
  /** Live only: private IPv4 addresses of the endpoint's network interfaces. */
  readonly networkInterfaceAddresses?: Value<string[]>;
}

export interface DhcpOptions extends Element {
  readonly domainNameServers: Value<string[]>;
}

export interface HostedZone extends Element {
  /** Without the trailing dot, lower case: "ssm.us-east-1.amazonaws.com". */
  readonly zoneName: Value<string>;
  readonly vpcs: ValueList<Ref>;
  /** Live: the account that owns the zone (a hub account when the zone is shared with this VPC). */
  readonly ownerAccount?: string;
}

/**
 * A CloudWatch Logs log group. With `cloudWatchEncryptionEnabled` the agent starts a session only when the group the
 * preferences name is encrypted with a KMS key.
 */
export interface LogGroup extends Element {
  readonly logGroupName: Value<string>;
  /** The KMS key that encrypts it; null: none. */
  readonly kmsKeyId: Value<string | null>;
}

/**
 * VPC Block Public Access, the region's setting (AWS::EC2::VPCBlockPublicAccessOptions): "block-bidirectional" stops
 * all traffic through internet gateways, "block-ingress" all but that of NAT gateways (and egress-only gateways),
 * except for the VPCs and subnets an exclusion names.
 */
export interface BlockPublicAccessOptions extends Element {
  /** "off", "block-bidirectional" or "block-ingress". */
  readonly mode: Value<string>;
  /** Live: false when a declarative policy manages the setting and disallows exclusions. */
  readonly exclusionsAllowed?: boolean;
}

/** A VPC or subnet excluded from VPC Block Public Access. */
export interface BlockPublicAccessExclusion extends Element {
  /** The VPC or subnet. */
  readonly scope: Value<Ref>;
  /** "allow-bidirectional" or "allow-egress" (the latter only under block-bidirectional). */
  readonly mode: Value<string>;
}

/**
 * A Route 53 Resolver rule associated with VPCs. A FORWARD (or DELEGATE) rule sends the queries for its domain and
 * every name under it to DNS servers outside the VPC resolver; a SYSTEM rule keeps a subdomain with the resolver.
 * The most specific domain among rules and private hosted zones answers, a rule winning a tie.
 */
export interface ResolverRule extends Element {
  /** Without the trailing dot, lower case; "." (the root) stays ".". */
  readonly domainName: Value<string>;
  /** "FORWARD", "SYSTEM", "RECURSIVE" (AWS's own), "DELEGATE". */
  readonly ruleType: Value<string>;
  /** The DNS servers a forwarding rule sends queries to ("10.1.0.2:53"), for messages. */
  readonly targets: Value<string[]>;
  readonly vpcs: ValueList<Ref>;
}

/**
 * A hub the team declares once in `.ssm-doctor.yaml`: where a transit gateway or peering connection leads,
 * which no template, plan or account read shows (hub-and-spoke networks with centralised endpoints or egress).
 */
export interface HubDeclaration {
  /** A label for messages: the declared name, else the first attachment id. */
  readonly name: string;
  /** Transit gateway and peering connection ids (as the inputs spell them) that lead to the hub. */
  readonly attachments: readonly string[];
  /** The hub VPC's IPv4 range, where its endpoint network interfaces are. */
  readonly cidr?: string;
  /** The hub's AWS account id. */
  readonly account?: string;
  /** Services ("ssm", "ssmmessages", …) whose private hosted zones the hub associates with its spokes. */
  readonly endpoints: readonly string[];
  /** The hub carries the spokes' traffic to the internet (centralised egress). */
  readonly internet: boolean;
  /** Where the declaration is: the configuration file as the user names it. */
  readonly file: string;
}

// ---------------------------------------------------------------- compute

export type ImageSource =
  | { kind: "ssm-parameter"; name: string } // /aws/service/ami-amazon-linux-latest/…
  | { kind: "ami-id"; id: string; mapping?: string } // literal: cannot tell the family, unless the mapping it came from names it
  | { kind: "name-filter"; pattern: string; owners?: string[] } // Terraform data.aws_ami
  | { kind: "mapping"; description: string; candidates: string[] } // FindInMap with literal ids
  | { kind: "described"; description: string }; // live: the image's name/platform, e.g. "amzn2-ami-hvm-…"

export interface MetadataOptions {
  /** Default "enabled". */
  readonly httpEndpoint: Value<"enabled" | "disabled">;
  /** "required" = IMDSv2 only. Default "optional" unless the AMI says otherwise (unknown then). */
  readonly httpTokens: Value<"optional" | "required">;
  readonly origin?: Origin;
}

/** The operating systems whose ephemeral ports differ (the replies to the agent's connections arrive on them). */
export type OperatingSystem = "Linux" | "Windows" | "macOS";

export type ComputeKind = "instance" | "auto-scaling-group" | "launch-template" | "launch-configuration" | "node-group";

/** One unit of compute Session Manager should reach: an instance, or the instances an ASG will launch. */
export interface Instance extends Element {
  readonly computeKind: ComputeKind;
  readonly image: Value<ImageSource>;
  /** Decoded user data text (never printed; only searched for an agent install). null = none. */
  readonly userData: Value<string | null>;
  /** One for an instance; several for an Auto Scaling group. */
  readonly subnets: ValueList<Ref>;
  readonly securityGroups: ValueList<Ref>;
  /** Explicit public IP setting (instance / interface / launch template); unset = the subnet's MapPublicIpOnLaunch. */
  readonly associatePublicIp: Value<boolean | null>;
  readonly privateIp?: Value<string>;
  readonly instanceProfile: Value<Ref | null>;
  readonly metadata: MetadataOptions;
  /** Where the launch settings live when they come from a launch template/configuration (fix location). */
  readonly launchSettingsOrigin?: Origin;
  /** Live only: the system EC2 says the instance runs (static inputs tell it by the image). */
  readonly operatingSystem?: Value<OperatingSystem>;
  /** Live only. */
  readonly agent?: AgentStatus;
  readonly state?: Value<string>;
}

export interface AgentStatus {
  readonly registered: Value<boolean>;
  readonly pingStatus: Value<"Online" | "ConnectionLost" | "Inactive" | string>;
  readonly agentVersion: Value<string>;
  readonly lastPing?: Value<string>;
  readonly platform?: Value<string>;
}

// ---------------------------------------------------------------- IAM

export type PolicyRef =
  | { kind: "aws-managed"; arn: string; name: string }
  | { kind: "element"; ref: Ref }
  | { kind: "external-arn"; arn: string };

export interface InlinePolicy {
  readonly name: string;
  /** Raw IAM JSON; unresolved parts are UnresolvedPart markers. */
  readonly document: Value<unknown>;
  readonly origin: Origin;
}

export interface InstanceProfile extends Element {
  readonly roles: ValueList<Ref>;
}

export interface Role extends Element {
  readonly trustPolicy: Value<unknown>;
  readonly managedPolicies: ValueList<PolicyRef>;
  readonly inlinePolicies: InlinePolicy[];
  readonly permissionsBoundary: Value<PolicyRef | null>;
  /** Live: true when attachments were read from IAM; static: true when the role is created by the input. */
  readonly policiesComplete: boolean;
  /**
   * Live only: iam:SimulatePrincipalPolicy's answer per action (keys lower case, "ssm:updateinstanceinformation").
   * AWS evaluates identity policies, boundaries and denies for us; when present, analysis uses it instead of
   * evaluating the policies itself. An unknown value carries why (the simulation was denied, failed).
   */
  readonly simulated?: ReadonlyMap<string, Value<SimulatedDecision>>;
}

/** One action's result from iam:SimulatePrincipalPolicy. */
export interface SimulatedDecision {
  readonly decision: "allowed" | "implicitDeny" | "explicitDeny";
  /** The policies whose statements matched (SourcePolicyId), for evidence. */
  readonly matchedPolicies?: readonly string[];
  /** false when the permissions boundary does not allow the action. */
  readonly allowedByBoundary?: boolean;
}

/** Live `check --principal`: may this IAM principal start a session (ssm:StartSession)? */
export interface OperatorAccess {
  /** The IAM user or role ARN that was simulated. */
  readonly principal: string;
  readonly origin: Origin;
  /** ssm:StartSession on each instance's ARN, by instance key. */
  readonly instances: ReadonlyMap<Ref, Value<SimulatedDecision>>;
  /** ssm:StartSession on the session document (SSM-SessionManagerRunShell). */
  readonly document: Value<SimulatedDecision>;
  readonly documentArn: string;
}

/** A customer managed policy defined in the input. */
export interface ManagedPolicy extends Element {
  readonly document: Value<unknown>;
}

// ---------------------------------------------------------------- Systems Manager

export interface SessionPreferences extends Element {
  readonly s3BucketName: Value<string | null>;
  readonly cloudWatchLogGroupName: Value<string | null>;
  readonly kmsKeyId: Value<string | null>;
  readonly s3EncryptionEnabled?: Value<boolean>;
  readonly cloudWatchEncryptionEnabled?: Value<boolean>;
}

/** A remark about the input that is not a finding (SAM transform not expanded, plan extracted from a log…). */
export interface SourceNote {
  readonly level: "info" | "warning";
  readonly code: string;
  readonly message: string;
  readonly origin?: Origin;
}

export interface World {
  readonly source: SourceKind;
  /** The input files as the user named them. */
  readonly files: string[];
  /** The region, DHMC and agent version the run assumes where the input cannot show them. */
  readonly assumptions: RunAssumptions;
  readonly vpcs: Map<Ref, Vpc>;
  readonly subnets: Map<Ref, Subnet>;
  readonly routeTables: Map<Ref, RouteTable>;
  readonly internetGateways: Map<Ref, InternetGateway>;
  readonly natGateways: Map<Ref, NatGateway>;
  readonly securityGroups: Map<Ref, SecurityGroup>;
  readonly networkAcls: Map<Ref, NetworkAcl>;
  readonly vpcEndpoints: Map<Ref, VpcEndpoint>;
  readonly dhcpOptions: Map<Ref, DhcpOptions>;
  readonly hostedZones: Map<Ref, HostedZone>;
  readonly resolverRules: Map<Ref, ResolverRule>;
  /** VPC Block Public Access settings (one per region; none: the input does not set it). */
  readonly blockPublicAccess: Map<Ref, BlockPublicAccessOptions>;
  readonly blockPublicAccessExclusions: Map<Ref, BlockPublicAccessExclusion>;
  readonly logGroups: Map<Ref, LogGroup>;
  readonly instances: Map<Ref, Instance>;
  readonly instanceProfiles: Map<Ref, InstanceProfile>;
  readonly roles: Map<Ref, Role>;
  readonly managedPolicies: Map<Ref, ManagedPolicy>;
  /** null = the input sets none (the account's own preferences apply and are not visible statically). */
  readonly sessionPreferences: Value<SessionPreferences | null>;
  /** Live only, with --principal: whether that operator may start sessions. */
  readonly operator?: OperatorAccess;
  readonly notes: SourceNote[];
  /** CloudFormation: the parameters the template declares (--parameters may name only these). */
  readonly parameters?: readonly string[];
  /** Lazily finds the line/column of an origin that carries only a pointer (large plans). */
  readonly locate?: (origin: Origin) => Region | undefined;
}

/**
 * Why a static input's session preferences are unknown when it defines none: the account's own apply and a
 * template cannot show them. Unlike any other unknown preferences (a document read that failed, content an
 * input leaves unresolved), this one does not make the logging requirements unknown.
 */
export const PREFERENCES_NOT_IN_INPUT: UnknownReason = Object.freeze({
  code: "outside",
  message: "the input defines no Session Manager preferences document",
});

export function emptyWorld(source: SourceKind, files: string[], assumptions: RunAssumptions): World {
  return {
    source,
    files,
    assumptions,
    vpcs: new Map(),
    subnets: new Map(),
    routeTables: new Map(),
    internetGateways: new Map(),
    natGateways: new Map(),
    securityGroups: new Map(),
    networkAcls: new Map(),
    vpcEndpoints: new Map(),
    dhcpOptions: new Map(),
    hostedZones: new Map(),
    resolverRules: new Map(),
    blockPublicAccess: new Map(),
    blockPublicAccessExclusions: new Map(),
    logGroups: new Map(),
    instances: new Map(),
    instanceProfiles: new Map(),
    roles: new Map(),
    managedPolicies: new Map(),
    sessionPreferences: { kind: "unknown", reason: PREFERENCES_NOT_IN_INPUT },
    notes: [],
  };
}
