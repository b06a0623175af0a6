/**
 * The words for every evidence code, in one place: TypeScript checks that each code of EvidenceArgs has its
 * sentence. `argumentsOf` gives the arguments as the JSON report lists them (lists joined, claims in words).
 */
import type { Evidence, EvidenceArgs, EvidenceCode, HubClaim } from "../analysis/evidence.js";
import {
  networkAclEntryText as entryText,
  securityGroupRuleText as ruleText,
  routeTargetText as targetText,
} from "../analysis/reason-text.js";
import type { Finding } from "../engine/run.js";
import type { SourceKind } from "../model/index.js";
import { attributeName } from "./message.js";
import { fillTemplate, unknownText } from "./text.js";

type Flat = Record<string, string | number | boolean>;

interface Words<A> {
  /** The sentence, with `{{argument}}` placeholders filled from the flat arguments. */
  template: string | ((args: A) => string);
  /** The arguments as text and numbers, where some are lists or data; by default the arguments as they are. */
  flat?: (args: A) => Flat;
}

/** A list of names in a sentence and in JSON arguments: "a, b", or "none". */
const list = (items: readonly string[]): string => (items.length > 0 ? items.join(", ") : "none");

function claimText(claim: HubClaim): string {
  switch (claim.kind) {
    case "endpoint":
      return `its ${claim.service} endpoint admits TCP 443 from the VPCs routed to it and its policy allows the agent's actions`;
    case "egress":
      return claim.fromSpokes
        ? `it takes the traffic of the VPCs routed to it through ${targetText(claim.via)} on to the internet`
        : `it takes the traffic through ${targetText(claim.via)} on to the internet`;
    case "hosted-zone":
      return `its private hosted zone answers ${claim.service} for the VPCs routed to it`;
  }
}

const EVIDENCE: { [C in EvidenceCode]: Words<EvidenceArgs[C]> } = {
  "sg-allows": { template: "{{group}} allows {{rule}}", flat: (a) => ({ group: a.group, rule: ruleText(a.rule) }) },
  "sg-no-match": {
    template: (a) =>
      a.rules.length === 0
        ? "{{group}} has no {{direction}} rules: nothing allows tcp {{ports}} to/from {{peer}}"
        : "{{group}} has {{direction}} rules {{rules}}: none allows tcp {{ports}} to/from {{peer}}",
    flat: (a) => ({
      group: a.group,
      rules: a.rules.length > 0 ? a.rules.map(ruleText).join("; ") : "none",
      peer: a.peer,
      direction: a.direction,
      ports: a.ports,
    }),
  },
  "sg-no-groups": { template: "no security groups are attached: nothing allows {{direction}} tcp {{ports}} to/from {{peer}}" },
  "sg-partial": {
    template: "{{group}} allows {{rule}}, which covers only part of {{peer}}",
    flat: (a) => ({ ...a, rule: ruleText(a.rule) }),
  },
  "nacl-allows": { template: "{{acl}} {{direction}}: {{rule}}", flat: (a) => ({ ...a, rule: entryText(a.rule) }) },
  "nacl-denies": {
    template: "{{acl}} {{direction}} tcp {{ports}} with {{peer}}: first match is {{rule}}",
    flat: (a) => ({ ...a, rule: entryText(a.rule) }),
  },
  "nacl-partial": {
    template: "{{acl}} {{direction}} tcp {{ports}}: {{rule}} covers only part of {{peer}}",
    flat: (a) => ({ ...a, rule: entryText(a.rule) }),
  },
  "iam-allowed-by": { template: "{{action}} is allowed by {{policy}} ({{statement}})" },
  "iam-denied-by": { template: "{{action}} is denied by {{policy}} ({{statement}})" },
  "iam-not-allowed": {
    template: "no statement allows {{action}} (policies evaluated: {{policies}})",
    flat: (a) => ({ action: a.action, policies: list(a.policies) }),
  },
  "iam-allowed-elsewhere": {
    template: "{{policy}} ({{statement}}) allows {{action}} only on {{resources}}, not on the resource the agent calls it on",
    flat: (a) => ({ action: a.action, policy: a.policy, statement: a.statement, resources: list(a.resources) }),
  },
  "iam-boundary-blocks": {
    template: "the permissions boundary {{boundary}} does not allow {{action}}",
    flat: (a) => ({ action: a.action, boundary: "boundary" in a ? a.boundary : `of ${a.boundaryOf}` }),
  },
  "trust-missing-service": {
    template: "the trust policy does not let {{service}} assume the role (principals: {{principals}})",
    flat: (a) => ({ service: a.service, principals: list(a.principals) }),
  },
  "trust-denied": { template: "a Deny statement in the trust policy ({{statement}}) matches {{service}}" },
  "trust-any-principal": { template: "the trust policy lets any principal assume the role ({{statement}})" },
  "trust-condition": { template: "the trust statement for {{service}} has a condition ({{statement}})" },
  "vpc-attribute-false": { template: (a) => `{{vpc}}: {{attribute:${a.attribute}}} is false` },
  "endpoint-private-dns-off": { template: "{{endpoint}}: private DNS is off" },
  "endpoint-type": { template: "{{endpoint}}: type {{type}}" },
  "endpoint-region": { template: "{{endpoint}} serves region {{region}}; the deployment is in {{deployment}}" },
  "endpoint-state": { template: "{{endpoint}} is {{state}}" },
  "endpoint-policy-denies": {
    template: "the policy of {{endpoint}} does not allow {{actions}}",
    flat: (a) => ({ endpoint: a.endpoint, actions: a.actions.join(", ") }),
  },
  "endpoint-azs": { template: "{{endpoint}} is in {{zones}}; the instance is in {{az}}" },
  "endpoint-no-subnets": { template: "{{endpoint}} names no subnet, so no network interface of it answers for {{service}}" },
  "route-missing": { template: "{{routeTable}} has no route for 0.0.0.0/0" },
  "route-blackhole": { template: "{{routeTable}} sends 0.0.0.0/0 to {{target}}, where AWS drops the packets" },
  "route-default": { template: "{{routeTable}} routes 0.0.0.0/0" },
  "route-to-igw": { template: "{{routeTable}} routes 0.0.0.0/0 to {{gateway}}" },
  "route-elsewhere": {
    template: "{{routeTable}} routes 0.0.0.0/0 to {{target}}",
    flat: (a) => ({ ...a, target: targetText(a.target) }),
  },
  "no-public-ip": { template: "{{instance}} gets no public IP address" },
  "igw-detached": { template: "{{gateway}} is not attached to the VPC" },
  "nat-without-igw": { template: "{{gateway}} sits in {{subnet}}, whose route table {{routeTable}} has no route to an internet gateway" },
  "nat-subnet-not-public": { template: "{{routeTable}} sends 0.0.0.0/0 to a {{target}}, not an internet gateway" },
  "nat-private": { template: "{{gateway}} has private connectivity" },
  "nat-state": { template: "{{gateway}} is {{state}}, not available" },
  "gateway-endpoint-not-routed": { template: "{{endpoint}} is not associated with route table {{routeTable}}" },
  "hosted-zone": { template: "the private hosted zone {{zone}} answers {{name}} for this VPC" },
  "hub-declared": {
    template: "declared hub {{hub}} ({{file}}): {{claim}}",
    flat: (a) => ({ hub: a.hub, file: a.file, claim: claimText(a.claim) }),
  },
  "route-to-hub": {
    template: "{{routeTable}} routes {{destination}} to {{target}}",
    flat: (a) => ({ ...a, target: targetText(a.target) }),
  },
  "route-no-hub": { template: "{{routeTable}} has no route to a transit gateway or peering connection for {{destination}}" },
  "route-not-to-hub": {
    template: "{{routeTable}} sends {{destination}} to {{target}}, not to the hub ({{hub}})",
    flat: (a) => ({ ...a, target: targetText(a.target) }),
  },
  "custom-dns-servers": {
    template: "{{options}} sets domain-name-servers {{servers}}",
    flat: (a) => ({ options: a.options, servers: a.servers.join(", ") }),
  },
  "resolver-rule-forwards": {
    template: (a) =>
      `the Route 53 Resolver rule {{rule}} forwards ${a.domain === "." ? 'every name (".")' : "{{domain}}"} to ${a.targets.length > 0 ? "the DNS servers {{targets}}" : "DNS servers outside the VPC resolver"}`,
    flat: (a) => ({ rule: a.rule, domain: a.domain, targets: a.targets.join(", ") }),
  },
  "bpa-blocks": {
    template: (a) =>
      a.exit === "nat-gateway"
        ? "{{options}} sets VPC Block Public Access to {{mode}}, which blocks the internet gateway traffic of the NAT gateway in {{subnet}}"
        : "{{options}} sets VPC Block Public Access to {{mode}}, which blocks the internet gateway traffic of {{subnet}}",
  },
  "bpa-excluded": { template: "{{exclusion}} excludes {{subnet}} from VPC Block Public Access" },
  "log-group-encryption": {
    template: (a) => (a.key ? "the KMS key {{key}} encrypts the log group {{group}}" : "no KMS key encrypts the log group {{group}}"),
  },
  "no-instance-profile": { template: "{{instance}} has no instance profile" },
  "imds-tokens": { template: "{{instance}}: {{attribute:httpTokens}} {{tokens}}" },
  "imds-disabled": { template: "{{instance}}: metadata endpoint disabled" },
  "image-family": { template: "image: {{family}} ({{basis}})" },
  "iam-simulated": {
    template: "iam:SimulatePrincipalPolicy: {{action}} is {{decision}} for {{principal}} (matched: {{policies}})",
    flat: (a) => ({ action: a.action, decision: a.decision, principal: a.principal, policies: list(a.policies) }),
  },
  "agent-ping": {
    template: "{{instance}}: PingStatus {{ping}}, last ping {{lastPing}}",
    flat: (a) => ({ instance: a.instance, ping: a.ping, lastPing: a.lastPing ?? "unknown" }),
  },
  "agent-not-registered": { template: "{{instance}} is not in ssm:DescribeInstanceInformation" },
  "agent-version": { template: "{{instance}}: SSM Agent {{version}}" },
  "instance-state": { template: "{{instance}} is {{state}}" },
};

function wordsOf<C extends EvidenceCode>(code: C): Words<EvidenceArgs[C]> {
  return EVIDENCE[code];
}

/** The evidence's arguments as the JSON report lists them. */
export function argumentsOf(e: Evidence): Flat {
  const words = wordsOf(e.code) as Words<typeof e.args>;
  return words.flat ? words.flat(e.args) : (e.args as Flat);
}

/** The evidence in a sentence, naming attributes as an input of `source` does; names from the input are made safe (see inputText). */
export function evidenceText(e: Evidence, source: SourceKind): string {
  const words = wordsOf(e.code) as Words<typeof e.args>;
  const template = typeof words.template === "function" ? words.template(e.args) : words.template;
  return fillTemplate(
    template.replace(/\{\{attribute:(\w+)\}\}/g, (_, id: string) => attributeName(id, source)),
    argumentsOf(e),
  );
}

/** Evidence, unknown reasons: the "why" lines under a finding, for formats that show them as a list. */
export function findingDetails(finding: Finding, limit = 6): string[] {
  const lines = finding.evidence.slice(0, limit).map((e) => evidenceText(e, finding.source));
  if (finding.evidence.length > limit) lines.push(`… and ${finding.evidence.length - limit} more`);
  for (const u of finding.unknowns.slice(0, 3)) lines.push(unknownText(u));
  return lines;
}
