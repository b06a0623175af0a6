/**
 * What a source is, to the rest of the tool: how it recognises its inputs among what the user names
 * (`detect`), and how it turns one into worlds (`load`). Each source folder's index.ts exports its
 * adapter; src/sources/index.ts lists them. Nothing outside a source's folder knows its formats.
 */
import type { InputComparison, StatedAssumptions, Timings, World } from "../model/index.js";

/** An input a source recognised. */
export interface Input {
  /** The kind of the source that recognised it. */
  kind: string;
  /** As the user named it (or relative to the named directory). */
  file: string;
  /** The file's text; absent when the input is a directory (a cdk.out, a Terraform configuration). */
  text?: string;
  /** A folder this input is linted instead of (a plan beside the .tf files it was made from). */
  shadows?: string;
}

/** What the CLI offers the sources to recognise, in the order it meets them. */
export type Candidate =
  /**
   * A file the user named (`named`; standard input too), or one found in a searched folder, which is
   * offered only to the sources whose `fileNames` match it. `text()` reads it once, on first call.
   */
  | { type: "file"; file: string; named: boolean; text: () => string }
  /** A directory the user named, before it is searched: a source may take it whole. */
  | { type: "directory"; path: string }
  /**
   * A named directory once searched: every file found in it (as the search named them: the directory,
   * then the path inside it), and `inputs`, every input recognised so far, the files of this folder last
   * (a source may mark one: a plan `shadows` the configuration beside it).
   */
  | { type: "folder"; root: string; files: readonly string[]; inputs: readonly Input[] };

/**
 * The options every source is loaded with; each takes what concerns it. The run's assumptions (region,
 * DHMC, agent version) as the caller states them; each source settles them on its World.
 */
export interface LoadOptions extends StatedAssumptions {
  parameters: Record<string, string>;
  /** Terraform: the root of the .tf files, for locations and inline suppressions. */
  tfRoot?: string;
  /** Terraform configurations: -var NAME=VALUE and -var-file FILE, in order. */
  vars?: string[];
  varFiles?: string[];
  timings?: Timings;
}

/** A world a source loaded, and the file it is named by in reports. */
export interface SourceWorld {
  file: string;
  world: World;
}

/** The text of one version of an input, for change review. */
export interface InputText {
  file: string;
  text: string;
}

export interface SourceAdapter {
  /** Names the source in inputs (`Input.kind`); unique in the registry. */
  readonly kind: string;
  /**
   * Names of the files, inside a searched folder, that may be this source's input: only those are
   * listed and offered to it. A file the user names is offered whatever its name.
   */
  readonly fileNames?: RegExp;
  /**
   * A named file that no source recognises goes to this source, whose loader then says what is wrong
   * with it. At most one source is the fallback.
   */
  readonly fallback?: boolean;
  /** The inputs this source recognises in a candidate: none, one, or (for a searched folder) several. */
  detect(candidate: Candidate): Input[];
  /** One recognised input → its worlds (a cdk.out holds several templates). */
  load(input: Input, options: LoadOptions): SourceWorld[] | Promise<SourceWorld[]>;
  /** Change review: what changed between two versions of one input file, when the source can tell. */
  compare?(before: InputText, after: InputText): Promise<InputComparison | undefined>;
  /** Change review: keep what loading parsed, for `compare` to reuse, while `on`. */
  retainDocuments?(on: boolean): void;
}

/** What every source takes the same way: the stated assumptions and the clock of --timings. */
export function sharedOptions(options: LoadOptions): StatedAssumptions & { timings?: Timings } {
  return {
    ...(options.region ? { region: options.region } : {}),
    ...(options.dhmc ? { dhmc: options.dhmc } : {}),
    ...(options.agentVersion ? { agentVersion: options.agentVersion } : {}),
    ...(options.timings ? { timings: options.timings } : {}),
  };
}
