/** A parsed template → the World: the template's elements, one builder per element, and notes on what is not expanded. */
import { assumedAgentVersion, assumedDhmc, emptyWorld, known, unknown, type World } from "../../model/index.js";
import { buildEndpoints } from "./endpoint.js";
import { buildHostedZones, buildResolverRules } from "./hosted-zone.js";
import { buildIam } from "./iam.js";
import { buildInstances } from "./instance.js";
import { buildNetworkAcls } from "./network-acl.js";
import type { ParsedTemplate } from "./parse.js";
import { buildGateways, buildRouteTables } from "./route-table.js";
import { buildSecurityGroups } from "./security-group.js";
import { buildLogGroups, buildSessionPreferences } from "./session-preferences.js";
import { buildSubnets } from "./subnet.js";
import { LANGUAGE_EXTENSIONS, SAM_TRANSFORM, Template, transformNames } from "./template.js";
import type { CloudFormationOptions } from "./types.js";
import { buildBlockPublicAccess, buildDhcpOptions, buildVpcs } from "./vpc.js";

/** The World of a parsed template: every element built in turn, then the notes and how to locate an origin. */
export function buildWorld(file: string, parsed: ParsedTemplate, options: CloudFormationOptions): World {
  const template = new Template(file, parsed, options);
  noteUnexpandedConstructs(template);

  const base = emptyWorld("cloudformation", [file], {
    region: options.region ? known(options.region) : unknown("parameter", "the template does not say which region", "pass --region"),
    dhmc: assumedDhmc(options.dhmc),
    agentVersion: assumedAgentVersion(options.agentVersion),
  });
  // The order matters: each VPC adds its default security group, main route table and default network ACL
  // before the template's own, and EKS node groups add their instance profiles after the template's.
  buildVpcs(template, base);
  buildSubnets(template, base);
  buildRouteTables(template, base);
  buildGateways(template, base);
  buildSecurityGroups(template, base);
  buildNetworkAcls(template, base);
  buildEndpoints(template, base);
  buildDhcpOptions(template, base);
  buildBlockPublicAccess(template, base);
  buildHostedZones(template, base);
  buildResolverRules(template, base);
  buildIam(template, base);
  buildInstances(template, base);
  buildLogGroups(template, base);
  const sessionPreferences = buildSessionPreferences(template);
  base.notes.push(...template.notes);
  const { spans, lines, root } = parsed;
  const declared = root.Parameters;
  return {
    ...base,
    parameters: declared && typeof declared === "object" && !Array.isArray(declared) ? Object.keys(declared) : [],
    ...(sessionPreferences ? { sessionPreferences } : {}),
    locate: (origin) =>
      origin.file === file && origin.pointer !== undefined ? lines.region(spans.spanOf(root, origin.pointer)) : undefined,
  };
}

/** Notes for what the tool does not expand: SAM and other transforms, Rain directives, unknown tags, nested stacks. */
function noteUnexpandedConstructs(template: Template): void {
  let samNoted = false;
  for (const name of transformNames(template.parsed.root)) {
    if (name === SAM_TRANSFORM) {
      samNoted = true;
      template.note(
        "warning",
        "sam-transform",
        `the template uses the SAM transform (${SAM_TRANSFORM}), which ssm-doctor does not expand: AWS::Serverless::* resources and what SAM generates from them are not checked`,
        "/Transform",
      );
    } else if (name === LANGUAGE_EXTENSIONS) {
      template.note(
        "warning",
        "language-extensions",
        "the template uses AWS::LanguageExtensions; Fn::ForEach and other extensions are not expanded",
        "/Transform",
      );
    } else {
      template.note(
        "warning",
        "transform",
        `the template uses the transform ${name}, which ssm-doctor does not expand: resources it adds are not checked`,
        "/Transform",
      );
    }
  }
  if (!samNoted) {
    for (const type of template.types()) {
      if (!type.startsWith("AWS::Serverless::")) continue;
      template.note("warning", "sam-transform", "AWS::Serverless::* resources (SAM) are not expanded and not checked", "/Resources");
      break;
    }
  }
  const rain: string[] = [];
  const other: string[] = [];
  for (const [tag, offset] of template.parsed.unknownTags) {
    const described = `${tag} (line ${template.parsed.lines.position(offset).line})`;
    // Module resources get their own note from Template; the other directives are listed once.
    if (tag === "!Rain::Module") continue;
    (tag.startsWith("!Rain::") ? rain : other).push(described);
  }
  if (rain.length > 0) {
    template.note(
      "warning",
      "rain-module",
      `the template uses Rain directives that only rain expands: ${rain.join(", ")}; values using them are unknown`,
    );
  }
  if (other.length > 0) {
    template.note(
      "warning",
      "unknown-tag",
      `YAML tags that are not CloudFormation intrinsics: ${other.join(", ")}; values using them are unknown`,
    );
  }
  for (const stack of template.ofType("AWS::CloudFormation::Stack")) {
    template.note(
      "info",
      "nested-stack",
      `${stack.id} is a nested stack; its resources are not checked here (lint its template separately)`,
      stack.pointer,
    );
  }
}
