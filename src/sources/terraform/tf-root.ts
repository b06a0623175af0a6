/**
 * `--tf-root DIR`: where a plan's resources are written in the `.tf` files. Module-aware: a module's
 * directory comes from `.terraform/modules/modules.json` (what `terraform init` installed) or from a
 * local `source` ("./modules/x") in the configuration, so same-named resources of different modules
 * never collide. Files are read and scanned once per module directory, only when a location is asked.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, join, normalize, relative, resolve } from "node:path";
import type { ModuleScope } from "./plan-index.js";
import { type HclBlock, type HclFile, type IgnoreDirective, ignoreDirective, scanHcl } from "./scan-hcl.js";

export interface LocatedBlock {
  /** The .tf file as the user would write it: below --tf-root as given, or relative to the working directory. */
  readonly file: string;
  readonly block: HclBlock;
  /** The ignore comments inside the block, and inside override blocks for it (with their file). */
  readonly ignores: readonly (IgnoreDirective & { readonly file?: string })[];
  /** Arguments an override file sets, by dotted path: the file they are in (their positions are in block.attributes). */
  readonly overrides?: ReadonlyMap<string, string>;
}

/**
 * Whether a file is an override file (`override.tf`, or a name ending in `_override.tf`): Terraform reads those after
 * the others and merges their blocks into the blocks they name.
 */
export function isOverrideFile(name: string): boolean {
  const base = name.slice(0, -".tf".length);
  return base === "override" || base.endsWith("_override");
}

/** `.tf` file names in the order Terraform reads them: the others by name, then the override files by name. */
export function inReadingOrder(names: readonly string[]): string[] {
  return [...names.filter((n) => !isOverrideFile(n)).sort(), ...names.filter(isOverrideFile).sort()];
}

/** The arguments an override block sets stand where the override writes them; the rest where the block does. */
function withOverride(base: LocatedBlock, over: LocatedBlock): LocatedBlock {
  const attributes = new Map(base.block.attributes);
  const overrides = new Map(base.overrides);
  for (const [path, at] of over.block.attributes) {
    attributes.set(path, at);
    overrides.set(path, over.file);
  }
  return {
    ...base,
    block: { ...base.block, attributes },
    ignores: [...base.ignores, ...over.ignores.map((d) => ({ ...d, file: over.file }))],
    overrides,
  };
}

interface ModuleFiles {
  /** "resource.aws_sg.x" / "data.aws_ami.y" / "module.vpc" → the block. */
  readonly blocks: Map<string, LocatedBlock>;
}

const MAX_FILE_BYTES = 10 * 1024 * 1024;

export class TerraformRoot {
  private readonly rootAbs: string;
  private readonly modules = new Map<string, ModuleFiles | null>();
  private installed?: Map<string, string>;
  /** Module paths whose directory could not be found (for a note). */
  readonly missingModules = new Set<string>();

  constructor(
    /** --tf-root as the user wrote it. */
    private readonly root: string,
    private readonly scopes: ReadonlyMap<string, ModuleScope>,
    private readonly cwd: string = process.cwd(),
  ) {
    this.rootAbs = resolve(cwd, root);
  }

  /** Whether the directory exists (checked by the loader for a clear error). */
  exists(): boolean {
    try {
      return statSync(this.rootAbs).isDirectory();
    } catch {
      return false;
    }
  }

  /** The block of a resource of the module at `configModule` (configuration path, no instance keys). */
  resource(configModule: string, mode: "managed" | "data", type: string, name: string): LocatedBlock | undefined {
    const files = this.filesOf(configModule);
    return files?.blocks.get(`${mode === "data" ? "data" : "resource"}.${type}.${name}`);
  }

  /** `.terraform/modules/modules.json`: module key ("a.b") → directory relative to the root. */
  private installedModules(): Map<string, string> {
    if (this.installed) return this.installed;
    this.installed = new Map();
    const manifest = join(this.rootAbs, ".terraform", "modules", "modules.json");
    if (!existsSync(manifest)) return this.installed;
    try {
      const data = JSON.parse(readFileSync(manifest, "utf8")) as { Modules?: { Key?: string; Dir?: string }[] };
      for (const m of data.Modules ?? []) if (typeof m.Key === "string" && typeof m.Dir === "string") this.installed.set(m.Key, m.Dir);
    } catch {
      // An unreadable manifest is as good as none: local sources still work.
    }
    return this.installed;
  }

  /** Absolute directory of a module, or undefined when it cannot be found. */
  private directoryOf(configModule: string): string | undefined {
    if (configModule === "") return this.rootAbs;
    const key = configModule
      .split(".")
      .filter((_, i) => i % 2 === 1)
      .join(".");
    const installed = this.installedModules().get(key);
    if (installed !== undefined) return resolve(this.rootAbs, installed);
    const scope = this.scopes.get(configModule);
    const parentPath = scope?.parent?.path ?? configModule.replace(/(^|\.)module\.[^.]+$/, "");
    const parentDir = this.directoryOf(parentPath);
    if (parentDir === undefined) return undefined;
    let source = scope?.call?.source;
    if (source === undefined) {
      // No configuration in the plan: the module block's literal source in the parent's files.
      const name = configModule.slice(configModule.lastIndexOf(".") + 1);
      source = this.filesOf(parentPath)?.blocks.get(`module.${name}`)?.block.literals.get("source");
    }
    if (source === undefined || !/^\.\.?(\/|\\|$)/.test(source)) return undefined;
    return resolve(parentDir, source);
  }

  private filesOf(configModule: string): ModuleFiles | undefined {
    const cached = this.modules.get(configModule);
    if (cached !== undefined) return cached ?? undefined;
    const dir = this.directoryOf(configModule);
    let files: ModuleFiles | null = null;
    if (dir !== undefined) files = this.scanDirectory(dir);
    if (!files && configModule !== "") this.missingModules.add(configModule);
    this.modules.set(configModule, files);
    return files ?? undefined;
  }

  private scanDirectory(dir: string): ModuleFiles | null {
    let names: string[];
    try {
      names = inReadingOrder(readdirSync(dir).filter((n) => n.endsWith(".tf")));
    } catch {
      return null;
    }
    const blocks = new Map<string, LocatedBlock>();
    for (const name of names) {
      const abs = join(dir, name);
      let text: string;
      try {
        const st = statSync(abs);
        if (!st.isFile() || st.size > MAX_FILE_BYTES) continue; // a FIFO would block the read forever
        text = readFileSync(abs, "utf8");
      } catch {
        continue;
      }
      const scanned: HclFile = scanHcl(text);
      const file = this.display(abs);
      for (const block of scanned.blocks) {
        let key: string | undefined;
        if ((block.type === "resource" || block.type === "data") && block.labels.length >= 2)
          key = `${block.type}.${block.labels[0]}.${block.labels[1]}`;
        else if (block.type === "module" && block.labels.length >= 1) key = `module.${block.labels[0]}`;
        const known = key ? blocks.get(key) : undefined;
        if (!key || (known && !isOverrideFile(name))) continue;
        const ignores = scanned.comments
          .filter((c) => c.offset > block.start && c.offset < block.end)
          .flatMap((c) => {
            const d = ignoreDirective(c);
            return d ? [d] : [];
          });
        const located = { file, block, ignores };
        blocks.set(key, known ? withOverride(known, located) : located);
      }
    }
    return { blocks };
  }

  /** Below --tf-root as the user wrote it; never an absolute path. */
  private display(abs: string): string {
    const below = relative(this.rootAbs, abs);
    if (!isAbsolute(this.root)) return normalize(join(this.root, below));
    return relative(this.cwd, abs) || below;
  }
}
