/**
 * The sources as one: which source recognises what the user named, and loading and comparing through
 * the source that recognised it. Knows no format itself: it only asks the adapters, in their order.
 */
import { basename } from "node:path";
import type { InputComparison } from "../model/index.js";
import type { Input, InputText, LoadOptions, SourceAdapter, SourceWorld } from "./adapter.js";

/** A world and the kind of the source that loaded it. */
export interface LoadedWorld extends SourceWorld {
  kind: string;
}

export class SourceRegistry {
  private readonly fallback: SourceAdapter | undefined;

  constructor(readonly adapters: readonly SourceAdapter[]) {
    const kinds = adapters.map((a) => a.kind);
    const repeated = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
    if (repeated !== undefined) throw new Error(`two sources are named ${repeated}`);
    const fallbacks = adapters.filter((a) => a.fallback);
    if (fallbacks.length > 1) throw new Error(`more than one fallback source: ${fallbacks.map((a) => a.kind).join(", ")}`);
    this.fallback = fallbacks[0];
  }

  /** Whether a file of this name, inside a searched folder, may be some source's input. */
  searches(name: string): boolean {
    return this.adapters.some((a) => a.fileNames?.test(name));
  }

  /**
   * A file the user named, or standard input: the first source that recognises it, else the fallback
   * source. Reading errors propagate.
   */
  detectNamedFile(file: string, read: () => string): Input | undefined {
    const text = once(read);
    for (const adapter of this.adapters) {
      const [input] = adapter.detect({ type: "file", file, named: true, text });
      if (input) return input;
    }
    return this.fallback ? { kind: this.fallback.kind, file, text: text() } : undefined;
  }

  /**
   * A file found in a searched folder: the first source that reads files of its name and recognises it;
   * undefined when none does. Reading errors propagate.
   */
  detectFoundFile(file: string, read: () => string): Input | undefined {
    const text = once(read);
    const name = basename(file);
    for (const adapter of this.adapters) {
      if (!adapter.fileNames?.test(name)) continue;
      const [input] = adapter.detect({ type: "file", file, named: false, text });
      if (input) return input;
    }
    return undefined;
  }

  /** A directory the user named, taken whole by the first source that recognises it (a cdk.out). */
  detectDirectory(path: string): Input | undefined {
    for (const adapter of this.adapters) {
      const [input] = adapter.detect({ type: "directory", path });
      if (input) return input;
    }
    return undefined;
  }

  /** What each source recognises among a searched folder's files beyond single files (Terraform configurations). */
  detectInFolder(root: string, files: readonly string[], inputs: readonly Input[]): Input[] {
    return this.adapters.flatMap((adapter) => adapter.detect({ type: "folder", root, files, inputs }));
  }

  /** Each input through the source that recognised it, in order: one world per template, plan or configuration. */
  async loadWorlds(inputs: readonly Input[], options: LoadOptions): Promise<LoadedWorld[]> {
    const worlds: LoadedWorld[] = [];
    for (const input of inputs) {
      const adapter = this.adapter(input.kind);
      for (const loaded of await adapter.load(input, options)) worlds.push({ kind: input.kind, ...loaded });
    }
    return worlds;
  }

  /** What changed between two versions of one input file, for change review, when its source can tell. */
  async compareInputs(kind: string, before: InputText, after: InputText): Promise<InputComparison | undefined> {
    return this.adapter(kind).compare?.(before, after);
  }

  /** While a change review runs, sources keep what they parsed, for compareInputs (off again after it). */
  retainSourceDocuments(on: boolean): void {
    for (const adapter of this.adapters) adapter.retainDocuments?.(on);
  }

  private adapter(kind: string): SourceAdapter {
    const adapter = this.adapters.find((a) => a.kind === kind);
    if (!adapter) throw new Error(`no source of kind ${kind}`);
    return adapter;
  }
}

/** A reader that reads at most once. */
function once(read: () => string): () => string {
  let text: string | undefined;
  return () => {
    text ??= read();
    return text;
  };
}
