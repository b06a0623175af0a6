/**
 * The sources, listed the way eslint lists its rules. Each is a folder whose index.ts exports its
 * adapter (`{ kind, detect, load }`, see adapter.ts); a new source is one folder plus one line in
 * SOURCES. The CLI reaches the sources only through this module.
 */
import type { SourceAdapter } from "./adapter.js";
import { cloudFormation } from "./cloudformation/index.js";
import { SourceRegistry } from "./registry.js";
import { terraformPlan } from "./terraform/index.js";
import { terraformConfiguration } from "./terraform-config/index.js";

/**
 * In the order they are asked: the first that recognises a file takes it. A named .tf file stands for
 * its folder before anything reads it; a plan is JSON, so it is tried before templates; CloudFormation
 * also takes the named files no source recognises.
 */
export const SOURCES: readonly SourceAdapter[] = [terraformConfiguration, terraformPlan, cloudFormation];

export const sources = new SourceRegistry(SOURCES);

export type { Candidate, Input, InputText, LoadOptions, SourceAdapter, SourceWorld } from "./adapter.js";
export { decodeInputText, describeSpecialFile, MAX_INPUT_BYTES, readInputText } from "./common/read-file.js";
export { type LoadedWorld, SourceRegistry } from "./registry.js";

/**
 * The live source: an AWS account read through the SDK, for `check`. It has no file to recognise (the
 * command line names instances and accounts, not inputs), so it is no adapter in SOURCES; it loads
 * lazily, so that only `check` pays for it.
 */
export const liveSource = () => import("./aws/index.js");
/** The live source across an organisation's accounts and regions (`check --accounts`). */
export const organizationSource = () => import("./aws/organization.js");
export type { ConnectionOptions, Selection } from "./aws/index.js";
