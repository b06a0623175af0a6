/**
 * CloudFormation source: a template (YAML or JSON) or a CDK cloud assembly (cdk.out) → World.
 * Public API: the adapter `cloudFormation`; loadCloudFormation, isCloudFormationText, loadCdkOut.
 */

import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, timed, type World } from "../../model/index.js";
import { type Input, type SourceAdapter, sharedOptions } from "../adapter.js";
import { readInputText } from "../common/read-file.js";
import { buildWorld } from "./build.js";
import { parseTemplate, retainParsedTemplates } from "./parse.js";
import type { CloudFormationOptions } from "./types.js";

export type { CloudFormationOptions } from "./types.js";

/**
 * Reads a template. `file` is the path as the user gave it; it is put unchanged in every origin.
 * Throws InputError for anything that is not a readable CloudFormation template.
 */
export function loadCloudFormation(file: string, text: string, options: CloudFormationOptions = {}): World {
  const parsed = timed(options.timings, "parse", () => parseTemplate(file, text));
  return timed(options.timings, "model", () => buildWorld(file, parsed, options));
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
  /** `parameters`: the values CDK passes to the stack's parameters when it deploys it. */
  properties?: { templateFile?: string; directoryName?: string; parameters?: Record<string, unknown> };
}

/** The stack parameters the manifest passes at deployment, under those the user gives. */
function stackParameters(artifact: ManifestArtifact, given: Record<string, string> | undefined): Record<string, string> | undefined {
  const fromManifest = Object.entries(artifact.properties?.parameters ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  if (fromManifest.length === 0) return given;
  return { ...Object.fromEntries(fromManifest), ...given };
}

/**
 * A CDK cloud assembly: every artifact of type aws:cloudformation:stack (nested assemblies of CDK
 * stages too). The artifact's environment gives region and account unless the options do, and its parameters the
 * values of the stack's parameters unless the options give them.
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
    const parameters = stackParameters(artifact, options.parameters);
    const stackOptions: CloudFormationOptions = {
      ...options,
      ...(parameters ? { parameters } : {}),
      ...(options.region === undefined && region ? { region } : {}),
      ...(options.accountId === undefined && account ? { accountId: account } : {}),
    };
    const text = timed(options.timings, "read", () => readInputText(file));
    results.push({ file, world: loadCloudFormation(file, text, stackOptions) });
  }
}

/** A directory holding a CDK cloud assembly: its manifest.json. */
function isCdkOut(dir: string): boolean {
  try {
    return statSync(join(dir, "manifest.json")).isFile();
  } catch {
    return false;
  }
}

/**
 * Templates by their content (YAML or JSON, whatever the extension), and cdk.out directories named as
 * such. A named file nothing else recognises is read as a template, which says what is wrong with it.
 */
export const cloudFormation: SourceAdapter = {
  kind: "cloudformation",
  fileNames: /\.(ya?ml|json|template)$/i,
  fallback: true,
  detect(candidate): Input[] {
    if (candidate.type === "file" && isCloudFormationText(candidate.text()))
      return [{ kind: "cloudformation", file: candidate.file, text: candidate.text() }];
    if (candidate.type === "directory" && isCdkOut(candidate.path)) return [{ kind: "cloudformation", file: candidate.path }];
    return [];
  },
  load(input, options) {
    const cloudFormationOptions = { parameters: options.parameters, ...sharedOptions(options) };
    // Without text, the input is a cdk.out directory.
    if (input.text === undefined) return loadCdkOut(input.file, cloudFormationOptions);
    return [{ file: input.file, world: loadCloudFormation(input.file, input.text, cloudFormationOptions) }];
  },
  // @aws-cdk/cloudformation-diff loads on the first comparison, never before.
  compare: async (before, after) => (await import("./changes.js")).compareCloudFormation(before, after),
  retainDocuments: retainParsedTemplates,
};
