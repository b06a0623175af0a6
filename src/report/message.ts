/**
 * A finding's message: the rule's template filled with the finding's arguments, in the words of the input.
 * Templates hold `{{argument}}`, `{{#flag}}…{{/flag}}` (the part stands when the argument is true or not
 * empty), `{{^flag}}…{{/flag}}` (when it is false or empty) and `{{attribute:id}}` (the attribute as the input names it). A few arguments are data that only
 * the report puts into words: `instances` (names, a long list shortened), `attributes` (attribute ids),
 * `problem` (what breaks a path), `targets` (where traffic goes), `denied` (the direction and ports an ACL
 * denies, "outbound:443"), `reason` (why a verdict is not known: the unknown reasons' messages).
 */
import type { AttributeId } from "../analysis/evidence.js";
import type { MessageArg, MessageArgs, Rule } from "../engine/rule.js";
import type { PathProblem } from "../engine/rule-helpers.js";
import type { Finding } from "../engine/run.js";
import type { SourceKind } from "../model/index.js";
import { inputText } from "./text.js";

/** Each attribute as each kind of input names it: a template's property, a plan's argument, the API's name. */
const ATTRIBUTE_NAMES: Record<AttributeId, Record<SourceKind, string>> = {
  privateDnsEnabled: { cloudformation: "PrivateDnsEnabled", terraform: "private_dns_enabled", live: "PrivateDnsEnabled" },
  vpcEndpointType: { cloudformation: "VpcEndpointType", terraform: "vpc_endpoint_type", live: "VpcEndpointType" },
  enableDnsHostnames: { cloudformation: "EnableDnsHostnames", terraform: "enable_dns_hostnames", live: "enableDnsHostnames" },
  enableDnsSupport: { cloudformation: "EnableDnsSupport", terraform: "enable_dns_support", live: "enableDnsSupport" },
  httpTokens: { cloudformation: "HttpTokens", terraform: "http_tokens", live: "HttpTokens" },
};

export function attributeName(id: string, source: SourceKind): string {
  return (ATTRIBUTE_NAMES as Record<string, Record<SourceKind, string>>)[id]?.[source] ?? id;
}

const PATH_PROBLEM: Record<PathProblem, string> = {
  "gateway-endpoint-route": "the S3 gateway endpoint is not on the subnet's route table",
  "no-route": "no endpoint and no route to the internet; add an endpoint (S3: a gateway endpoint) or a NAT route",
  "instance-egress": "the instance's security groups allow no TCP 443 to it (through an S3 gateway endpoint: allow the S3 prefix list)",
  "endpoint-ingress": "the endpoint's security groups admit no TCP 443 from the instance",
  "network-acl": "a network ACL denies HTTPS or its return traffic",
  dns: "the endpoint's private DNS name does not resolve",
  "endpoint-policy": "the endpoint policy does not allow the agent's calls",
  "endpoint-type-or-region": "the endpoint is of the wrong type or region",
  other: "the path fails",
};

/** "internet", "endpoint:ssm", "hub-endpoint:ssm": where an instance's traffic goes. */
function targetText(target: string): string {
  const [kind, service] = target.split(":");
  if (kind === "internet") return "the internet";
  return kind === "hub-endpoint" ? `the hub's ${service} endpoint` : `the ${service} endpoint`;
}

function listOf(value: MessageArg): readonly string[] {
  return Array.isArray(value) ? value : [String(value)];
}

/** The words for one argument. */
function argumentText(name: string, value: MessageArg, source: SourceKind): string {
  switch (name) {
    case "instances": {
      const names = listOf(value);
      if (names.length === 0) return "its instances";
      return names.length <= 3 ? names.join(", ") : `${names.slice(0, 3).join(", ")} and ${names.length - 3} more`;
    }
    case "attributes":
      return listOf(value)
        .map((id) => attributeName(id, source))
        .join(" and ");
    case "problem":
      return (PATH_PROBLEM as Record<string, string>)[String(value)] ?? String(value);
    case "targets":
      return listOf(value).map(targetText).join(" and ");
    case "denied":
      return listOf(value)
        .map((d) => d.replace(/^(\w+):/, "$1 tcp "))
        .join(" and ");
    case "reason": {
      const reasons = listOf(value);
      return reasons.length > 0 ? reasons.join("; ") : "no answer";
    }
    default:
      return Array.isArray(value) ? value.join(", ") : String(value);
  }
}

const present = (value: MessageArg | undefined): boolean =>
  value !== undefined && value !== false && value !== "" && value !== 0 && !(Array.isArray(value) && value.length === 0);

/** Fill a message template for an input of `source`; a missing argument stays visible rather than silently empty. */
export function fillMessage(template: string, args: MessageArgs, source: SourceKind): string {
  let text = template;
  // Outer parts first, then the parts inside those that stand.
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text.replace(/\{\{([#^])(\w+)\}\}([\s\S]*?)\{\{\/\2\}\}/g, (_, kind: string, name: string, part: string) =>
      present(args[name]) === (kind === "#") ? part : "",
    );
  }
  return text
    .replace(/\{\{attribute:(\w+)\}\}/g, (_, id: string) => attributeName(id, source))
    .replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      const value = args[name];
      return value === undefined ? `{{${name}}}` : inputText(argumentText(name, value, source));
    });
}

/** A section of a template that holds no other section: `{{#name}}part{{/name}}` or `{{^name}}part{{/name}}`. */
const SECTION = /\{\{[#^](\w+)\}\}((?:(?!\{\{[#^])[\s\S])*?)\{\{\/\1\}\}/g;
/** A part and the words that stand when it does not: `{{#name}}part{{/name}}{{^name}}otherwise{{/name}}`. */
const EITHER = /\{\{#(\w+)\}\}((?:(?!\{\{[#^])[\s\S])*?)\{\{\/\1\}\}\{\{\^\1\}\}((?:(?!\{\{[#^])[\s\S])*?)\{\{\/\1\}\}/g;

/**
 * A template as a person reads it in a rule's documentation: an attribute by the names the rule's inputs give
 * it, side by side ("PrivateDnsEnabled / private_dns_enabled"), a part that stands only sometimes in brackets,
 * and a part with the words that stand otherwise as "[part | otherwise]". Arguments stay `{{name}}`.
 */
export function readableTemplate(template: string, sources: readonly SourceKind[]): string {
  let text = template.replace(/\{\{attribute:(\w+)\}\}/g, (_, id: string) =>
    [...new Set(sources.map((source) => attributeName(id, source)))].join(" / "),
  );
  // Inner parts first, then the parts around them.
  for (let previous = ""; previous !== text; ) {
    previous = text;
    text = text.replace(EITHER, (_, _name: string, part: string, otherwise: string) => `[${part} | ${otherwise}]`);
    text = text.replace(SECTION, (_, _name: string, part: string) => {
      const lead = /^\s*/.exec(part)?.[0] ?? "";
      return `${lead}[${part.slice(lead.length)}]`;
    });
  }
  return text;
}

export function findingMessage(finding: Finding, rules: readonly Rule[]): string {
  const rule = rules.find((r) => r.meta.id === finding.ruleId);
  const template = rule ? (rule.meta.messages as Record<string, string>)[finding.messageId] : undefined;
  return template ? fillMessage(template, finding.args, finding.source) : `${finding.ruleId}: ${finding.messageId}`;
}
