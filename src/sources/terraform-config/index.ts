/**
 * Terraform configurations without a plan: the `.tf` files of a root module (and its local modules)
 * are parsed with positions, evaluated as far as Terraform itself could before `plan` (variables,
 * locals, functions, count / for_each, dynamic blocks, module inputs and outputs), and written as a
 * plan, which the plan source turns into the World with the same code as a real plan. Findings point
 * at the `.tf` lines; `# ssm-doctor:ignore` comments work as with --tf-root.
 * Public API: the adapter `terraformConfiguration`; loadTerraformConfiguration and initHclParser (load.ts,
 * imported when a configuration is linted).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { type Candidate, type Input, type SourceAdapter, sharedOptions } from "../adapter.js";

/** A folder as a key: `dir`, `dir/` and `./dir` name the same folder. */
function folderKey(path: string): string {
  const normal = normalize(path);
  return normal.length > 1 ? normal.replace(/[\\/]+$/, "") : normal;
}

const LOCAL_SOURCE = /^\s*source\s*=\s*"(\.\.?\/[^"]*)"/gm;

/**
 * Root modules among the folders that hold .tf files: those no other folder calls as a local module
 * (`source = "../modules/x"`). A folder whose plan JSON was found beside its .tf files is left to the plan.
 */
function configurationRoots(tfDirs: Set<string>, planDirs: Set<string>): { roots: string[]; shadowed: string[] } {
  const called = new Set<string>();
  for (const dir of tfDirs) {
    for (const file of readdirSync(dir).filter((n) => n.endsWith(".tf"))) {
      let text = "";
      try {
        if (!statSync(join(dir, file)).isFile()) continue; // a FIFO would block the read forever
        text = readFileSync(join(dir, file), "utf8");
      } catch {
        continue;
      }
      for (const m of text.matchAll(LOCAL_SOURCE)) called.add(folderKey(join(dir, m[1] ?? "")));
    }
  }
  const roots: string[] = [];
  const shadowed: string[] = [];
  for (const dir of [...tfDirs].sort()) {
    if (called.has(folderKey(dir))) continue;
    if (planDirs.has(folderKey(dir))) shadowed.push(dir);
    else roots.push(dir);
  }
  return { roots, shadowed };
}

/**
 * The root modules of a searched folder, each one input. Where a plan was found beside a root's .tf
 * files, the plan is linted instead (it knows more) and says so.
 */
function configurationsIn({ root, files, inputs }: Extract<Candidate, { type: "folder" }>): Input[] {
  const shown = (path: string) => join(root, relative(root, path));
  // The folders holding .tf files; the searched folder itself as the user wrote it.
  const tfDirs = new Set(files.filter((f) => f.endsWith(".tf")).map((f) => shown(dirname(f))));
  // The plans found in this folder (an earlier argument may have named one of them too).
  const here = new Set(files.map(shown));
  const plans = inputs.filter((i) => i.kind === "terraform-plan");
  const planDirs = new Set(plans.filter((i) => here.has(i.file)).map((i) => folderKey(dirname(i.file))));
  const { roots, shadowed } = configurationRoots(tfDirs, planDirs);
  for (const dir of shadowed) {
    const plan = plans.find((i) => folderKey(dirname(i.file)) === folderKey(shown(dir)));
    if (plan) plan.shadows = shown(dir);
  }
  return roots.map((dir) => ({ kind: "terraform-configuration", file: shown(dir) }));
}

/** Whether a JSON text is a plan (`terraform show -json` always writes format_version; a configuration never has it). */
const isPlanText = (text: string) => text.includes('"format_version"');

/** A folder of .tf files: named through one of its files, or found as a root module in a searched folder. */
export const terraformConfiguration: SourceAdapter = {
  kind: "terraform-configuration",
  fileNames: /\.tf$/,
  detect(candidate): Input[] {
    // Terraform reads a directory, not a file: a named file's folder is the configuration. A named .tf.json file
    // (JSON syntax, which is read only from a plan) names it too, unless it is a plan itself, so that the run says so.
    if (candidate.type === "file")
      return candidate.named && (candidate.file.endsWith(".tf") || (candidate.file.endsWith(".tf.json") && !isPlanText(candidate.text())))
        ? [{ kind: "terraform-configuration", file: dirname(candidate.file) }]
        : [];
    return candidate.type === "folder" ? configurationsIn(candidate) : [];
  },
  async load(input, options) {
    const { initHclParser, loadTerraformConfiguration } = await import("./load.js");
    // The HCL parser (WebAssembly) loads only when a configuration is linted, once.
    await initHclParser();
    const world = loadTerraformConfiguration(input.file, {
      ...sharedOptions(options),
      ...(options.vars ? { vars: options.vars } : {}),
      ...(options.varFiles ? { varFiles: options.varFiles } : {}),
    });
    return [{ file: input.file, world }];
  },
};
