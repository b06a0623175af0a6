/**
 * CloudFormation source: a template (YAML or JSON) or a CDK cloud assembly (cdk.out) → World.
 * Public API: loadCloudFormation, isCloudFormationText, loadCdkOut.
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { assumedAgentVersion, assumedDhmc, emptyWorld, InputError, known, timed, unknown, type World } from "../../model/index.js";
import { readInputText } from "../common/read-file.js";
import { buildCompute } from "./compute.js";
import { buildIam } from "./iam.js";
import { buildNetwork } from "./network.js";
import { parseTemplate } from "./parse.js";
import { buildSessionPreferences } from "./session.js";
import { isObject, Template } from "./template.js";
import type { CloudFormationOptions } from "./types.js";

export type { CloudFormationOptions } from "./types.js";

const SAM_TRANSFORM = "AWS::Serverless-2016-10-31";

/**
 * Reads a template. `file` is the path as the user gave it; it is put unchanged in every origin.
 * Throws InputError for anything that is not a readable CloudFormation template.
 */
export function loadCloudFormation(file: string, text: string, options: CloudFormationOptions = {}): World {
  const parsed = timed(options.timings, "parse", () => parseTemplate(file, text));
  return timed(options.timings, "model", () => buildWorld(file, parsed, options));
}

function buildWorld(file: string, parsed: ReturnType<typeof parseTemplate>, options: CloudFormationOptions): World {
  const template = new Template(file, parsed, options);
  noteUnexpandedConstructs(template);

  const base = emptyWorld("cloudformation", [file], {
    region: options.region ? known(options.region) : unknown("parameter", "the template does not say which region", "pass --region"),
    dhmc: assumedDhmc(options.dhmc),
    agentVersion: assumedAgentVersion(options.agentVersion),
  });
  buildNetwork(template, base);
  buildIam(template, base);
  buildCompute(template, base);
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
  const { root } = template.parsed;
  const transforms = root.Transform === undefined ? [] : Array.isArray(root.Transform) ? root.Transform : [root.Transform];
  let samNoted = false;
  for (const transform of transforms) {
    const name =
      typeof transform === "string" ? transform : isObject(transform) && typeof transform.Name === "string" ? transform.Name : "a macro";
    if (name === SAM_TRANSFORM) {
      samNoted = true;
      template.note(
        "warning",
        "sam-transform",
        `the template uses the SAM transform (${SAM_TRANSFORM}), which ssm-doctor does not expand: AWS::Serverless::* resources and what SAM generates from them are not checked`,
        "/Transform",
      );
    } else if (name === "AWS::LanguageExtensions") {
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

/** Cheap sniff for auto-detection: a top-level Resources or AWSTemplateFormatVersion key. */
export function isCloudFormationText(text: string): boolean {
  const head = text.length > 2_000_000 ? text.slice(0, 2_000_000) : text;
  const first = head.trimStart()[0];
  if (first === "{") {
    if (/"resource_changes"\s*:/.test(head) || /"format_version"\s*:/.test(head)) return false;
    return /"(?:AWSTemplateFormatVersion|Resources)"\s*:/.test(head);
  }
  // Top level = the indentation of the first content line (some templates indent the whole document).
  const firstContent = /^( *)[^\s#%-]/m.exec(head.replace(/^---.*$/m, ""));
  const indent = firstContent?.[1]?.length ?? 0;
  return new RegExp(
    `^ {${indent}}(?:AWSTemplateFormatVersion|Resources|"Resources"|'Resources'|"AWSTemplateFormatVersion")\\s*:`,
    "m",
  ).test(head);
}

interface ManifestArtifact {
  type?: string;
  environment?: string;
  properties?: { templateFile?: string; directoryName?: string };
}

/**
 * A CDK cloud assembly: every artifact of type aws:cloudformation:stack (nested assemblies of CDK
 * stages too). The artifact's environment gives region and account unless the options do.
 */
export function loadCdkOut(dir: string, options: CloudFormationOptions = {}): { file: string; world: World }[] {
  const results: { file: string; world: World }[] = [];
  readAssembly(dir, options, results, new Set(), 0);
  return results;
}

function readAssembly(
  dir: string,
  options: CloudFormationOptions,
  results: { file: string; world: World }[],
  seen: Set<string>,
  depth: number,
): void {
  const manifestFile = join(dir, "manifest.json");
  if (!existsSync(manifestFile) || !statSync(manifestFile).isFile()) {
    throw new InputError("not a CDK cloud assembly: no manifest.json", dir, undefined, undefined, "run `cdk synth` to create cdk.out");
  }
  if (seen.has(manifestFile) || depth > 10) return;
  seen.add(manifestFile);
  let manifest: { artifacts?: Record<string, ManifestArtifact> };
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as typeof manifest;
  } catch (error) {
    throw new InputError(`invalid manifest.json: ${(error as Error).message}`, manifestFile);
  }
  for (const artifact of Object.values(manifest.artifacts ?? {})) {
    if (artifact.type === "cdk:cloud-assembly" && artifact.properties?.directoryName) {
      readAssembly(join(dir, artifact.properties.directoryName), options, results, seen, depth + 1);
      continue;
    }
    if (artifact.type !== "aws:cloudformation:stack" || !artifact.properties?.templateFile) continue;
    const file = join(dir, artifact.properties.templateFile);
    if (!existsSync(file))
      throw new InputError("the manifest names a template that does not exist", file, undefined, undefined, "run `cdk synth` again");
    const environment = /^aws:\/\/([^/]+)\/(.+)$/.exec(artifact.environment ?? "");
    const account = environment?.[1] && environment[1] !== "unknown-account" ? environment[1] : undefined;
    const region = environment?.[2] && environment[2] !== "unknown-region" ? environment[2] : undefined;
    const stackOptions: CloudFormationOptions = {
      ...options,
      ...(options.region === undefined && region ? { region } : {}),
      ...(options.accountId === undefined && account ? { accountId: account } : {}),
    };
    const text = timed(options.timings, "read", () => readInputText(file));
    results.push({ file, world: loadCloudFormation(file, text, stackOptions) });
  }
}
