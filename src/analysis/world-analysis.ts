/**
 * Everything the rules need, computed once per world: for each compute unit the services it needs,
 * its paths, its identity, and its image. Rules only read this.
 */
import {
  type DhmcSetting,
  type HubDeclaration,
  type Instance,
  type InstanceProfile,
  isKnown,
  known,
  knownValue,
  LATEST_KNOWN_AGENT_VERSION,
  PREFERENCES_NOT_IN_INPUT,
  REQUIRED_ACTIONS,
  type Ref,
  type Role,
  type ServiceId,
  type SessionPreferences,
  type UnknownReason,
  type Value,
  type VpcEndpoint,
  type World,
} from "../model/index.js";
import { compareVersions, needsEc2Messages, regionHasEc2Messages } from "./agent-versions.js";
import { type ActionResult, evaluateActions, policySourcesOfRole, trustsService } from "./iam.js";
import { classifyImage, type ImageVerdict, userDataInstallsAgent, userDataStopsAgent } from "./image.js";
import { lookup, type Placement, placementsOf } from "./paths.js";
import { simulatedActions } from "./simulated.js";
import { type Check, fail, pass, undecided } from "./verdict.js";

export interface AnalysisOptions {
  /** Hubs the team declared (.ssm-doctor.yaml): where transit gateways and peering connections lead. */
  hubs?: readonly HubDeclaration[];
}

export type RequirementReason = "session-manager" | "old-agent" | "s3-logging" | "cloudwatch-logging" | "kms-encryption";

export interface Requirement {
  service: ServiceId;
  reason: RequirementReason;
}

export interface RoleAnalysis {
  role: Role;
  trust: Check;
  /** One result per required action. */
  actions: ActionResult[];
}

export type IdentityMode =
  | { kind: "profile"; profile: InstanceProfile; roles: RoleAnalysis[] }
  | { kind: "profile-without-role"; profile: InstanceProfile }
  | { kind: "none" } // no instance profile: Session Manager depends on DHMC
  | { kind: "unknown"; reason: UnknownReason };

/** A service the session preferences may need, where the preferences (or that setting) could not be known. */
export interface UndecidedRequirement {
  service: ServiceId;
  reason: RequirementReason;
  unknown: UnknownReason;
}

export interface InstanceAnalysis {
  instance: Instance;
  agentVersion: { version: string; assumed: boolean };
  requirements: Requirement[];
  /** Logging and encryption services that may be required: the preferences that decide it are not known. */
  undecidedRequirements: UndecidedRequirement[];
  placements: Placement[];
  identity: IdentityMode;
  image: ImageVerdict;
  userDataInstallsAgent: boolean;
  /** The user data command that leaves the agent removed, disabled or stopped, when none starts it again. */
  userDataStopsAgent?: string;
  dhmc: Value<DhmcSetting>;
}

/**
 * Whether IMDSv1 stays on (HttpTokens optional), which Default Host Management Configuration does not
 * support. Without an explicit HttpTokens the default follows the AMI: images marked ImdsSupport v2.0
 * (Amazon Linux 2023) launch with "required"; for an image we cannot name, the default is not known.
 */
export function imdsV1Allowed(a: InstanceAnalysis): { allowed: boolean; tokens?: string; defaulted?: boolean } {
  const tokens = a.instance.metadata.httpTokens;
  if (tokens.kind !== "known" || tokens.value === "required") return { allowed: false };
  if (tokens.provenance === "default" && (a.image.agent === "unknown" || /Amazon Linux 2023/i.test(a.image.family)))
    return { allowed: false };
  return { allowed: true, tokens: tokens.value, defaulted: tokens.provenance === "default" };
}

export interface WorldAnalysis {
  world: World;
  instances: InstanceAnalysis[];
  /** Memo: one IAM evaluation per role and action set. */
  roleAnalysis(role: Role, actions: readonly string[]): RoleAnalysis;
}

function requirementsFor(world: World, agentVersion: string): Requirement[] {
  const out: Requirement[] = [
    { service: "ssm", reason: "session-manager" },
    { service: "ssmmessages", reason: "session-manager" },
  ];
  const region = knownValue(world.assumptions.region);
  const regionHas = region ? regionHasEc2Messages(region) : undefined;
  const needs = needsEc2Messages(agentVersion);
  if (isKnown(needs) && needs.value && regionHas !== false) out.push({ service: "ec2messages", reason: "old-agent" });
  const prefs: SessionPreferences | null | undefined = knownValue(world.sessionPreferences);
  if (prefs) {
    if (knownValue(prefs.s3BucketName)) out.push({ service: "s3", reason: "s3-logging" });
    if (knownValue(prefs.cloudWatchLogGroupName)) out.push({ service: "logs", reason: "cloudwatch-logging" });
    if (knownValue(prefs.kmsKeyId)) out.push({ service: "kms", reason: "kms-encryption" });
  }
  return out;
}

const PREFERENCE_SERVICES: { service: ServiceId; reason: RequirementReason; setting: keyof SessionPreferences }[] = [
  { service: "s3", reason: "s3-logging", setting: "s3BucketName" },
  { service: "logs", reason: "cloudwatch-logging", setting: "cloudWatchLogGroupName" },
  { service: "kms", reason: "kms-encryption", setting: "kmsKeyId" },
];

/** Services the preferences may need where the preferences are not known (a read that failed, an unresolved value). */
function undecidedRequirementsFor(world: World): UndecidedRequirement[] {
  const prefs = world.sessionPreferences;
  if (!isKnown(prefs)) {
    if (prefs.reason === PREFERENCES_NOT_IN_INPUT) return [];
    return PREFERENCE_SERVICES.map(({ service, reason }) => ({ service, reason, unknown: prefs.reason }));
  }
  if (prefs.value === null) return [];
  const out: UndecidedRequirement[] = [];
  for (const { service, reason, setting } of PREFERENCE_SERVICES) {
    const v = prefs.value[setting] as Value<string | null>;
    if (!isKnown(v)) out.push({ service, reason, unknown: v.reason });
  }
  return out;
}

function stoppedBy(userData: string | null): { userDataStopsAgent?: string } {
  const command = userDataStopsAgent(userData);
  return command ? { userDataStopsAgent: command } : {};
}

function actionsFor(requirements: Requirement[]): string[] {
  return requirements.flatMap((r) => REQUIRED_ACTIONS[r.service]);
}

/** The endpoint policy must allow the agent's actions (a null policy is the default full access). */
function endpointPolicyCheck(endpoint: VpcEndpoint, actions: readonly string[]): Check | undefined {
  const policy = endpoint.policy;
  if (isKnown(policy) && policy.value === null) return undefined;
  const results = evaluateActions(
    [
      {
        name: `endpoint policy of ${endpoint.name}`,
        document: policy,
        kind: "identity",
        byPrincipal: true,
        origin: policy.origin ?? endpoint.origin,
      },
    ],
    [...actions],
  );
  const denied = results.filter((r) => r.decision === "explicit-deny" || r.decision === "implicit-deny");
  if (denied.length > 0) {
    return fail([
      {
        code: "endpoint-policy-denies",
        args: { endpoint: endpoint.name, actions: denied.map((d) => d.action) },
        origin: policy.origin ?? endpoint.origin,
      },
      ...denied.flatMap((d) => d.evidence),
    ]);
  }
  const unknowns = results.filter((r) => r.decision === "unknown");
  if (unknowns.length > 0) return undecided(unknowns.flatMap((u) => u.unknowns));
  return pass();
}

function identityOf(world: World, instance: Instance, role: (r: Role) => RoleAnalysis): IdentityMode {
  const profileRef = instance.instanceProfile;
  if (!isKnown(profileRef)) return { kind: "unknown", reason: profileRef.reason };
  if (profileRef.value === null) return { kind: "none" };
  const profile = lookup(world.instanceProfiles, known(profileRef.value as Ref), "instance profile");
  if (!isKnown(profile)) return { kind: "unknown", reason: profile.reason };
  const roles = profile.value.roles;
  if (!isKnown(roles)) return { kind: "unknown", reason: roles.reason };
  if (roles.value.length === 0) return { kind: "profile-without-role", profile: profile.value };
  const analysed: RoleAnalysis[] = [];
  for (const r of roles.value) {
    const found = lookup(world.roles, r, "role");
    if (!isKnown(found)) return { kind: "unknown", reason: found.reason };
    analysed.push(role(found.value));
  }
  return { kind: "profile", profile: profile.value, roles: analysed };
}

export function analyzeWorld(world: World, options: AnalysisOptions = {}): WorldAnalysis {
  const memo = new Map<string, RoleAnalysis>();
  const roleAnalysis = (role: Role, actions: readonly string[]): RoleAnalysis => {
    const key = `${role.key}\u0000${actions.join(",")}`;
    let hit = memo.get(key);
    if (!hit) {
      hit = {
        role,
        trust: trustsService(role.trustPolicy, "ec2.amazonaws.com"),
        // Live: AWS's own simulation (boundaries included); static: our evaluator over the policies.
        actions: role.simulated ? simulatedActions(role, actions) : evaluateActions(policySourcesOfRole(world, role), [...actions]),
      };
      memo.set(key, hit);
    }
    return hit;
  };

  // Every instance of a VPC asks its endpoints' policies about the same actions: each answer is made once.
  const policyAnswers = new Map<VpcEndpoint, Map<string, Check | undefined>>();
  const policyCheck = (endpoint: VpcEndpoint, actions: readonly string[]): Check | undefined => {
    let answers = policyAnswers.get(endpoint);
    if (!answers) {
      answers = new Map();
      policyAnswers.set(endpoint, answers);
    }
    const key = JSON.stringify(actions);
    if (!answers.has(key)) answers.set(key, endpointPolicyCheck(endpoint, actions));
    return answers.get(key);
  };

  const undecidedRequirements = undecidedRequirementsFor(world);
  const instances: InstanceAnalysis[] = [];
  for (const instance of world.instances.values()) {
    const liveVersion = instance.agent ? knownValue(instance.agent.agentVersion) : undefined;
    const version = liveVersion ?? knownValue(world.assumptions.agentVersion) ?? LATEST_KNOWN_AGENT_VERSION;
    const requirements = requirementsFor(world, version);
    const services = requirements.map((r) => r.service);
    const actions = actionsFor(requirements);
    const placements = placementsOf(world, instance, services, (s) => REQUIRED_ACTIONS[s], policyCheck, options.hubs ?? []);
    instances.push({
      instance,
      agentVersion: { version, assumed: liveVersion === undefined },
      requirements,
      undecidedRequirements,
      placements,
      identity: identityOf(world, instance, (r) => roleAnalysis(r, actions)),
      image: isKnown(instance.image)
        ? classifyImage(instance.image.value)
        : { family: "unknown", agent: "unknown", basis: instance.image.reason.message },
      userDataInstallsAgent: userDataInstallsAgent(knownValue(instance.userData) ?? null),
      ...stoppedBy(knownValue(instance.userData) ?? null),
      dhmc: world.assumptions.dhmc,
    });
  }
  return { world, instances, roleAnalysis };
}

export { compareVersions };
