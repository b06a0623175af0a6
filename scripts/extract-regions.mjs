#!/usr/bin/env node
/**
 * Extracts the AWS region list from the partition data the AWS SDK already ships (@aws-sdk/core's
 * util-endpoints partitions) into src/data/aws-regions.json, so `lint` validates --region without loading
 * the SDK. Run by `npm run build`; the output is committed, and a test fails when it differs from the
 * installed SDK's data.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
export const OUT = join(ROOT, "src", "data", "aws-regions.json");

/** The SDK's partitions module (not in the package's exports map, so found by path). */
export function partitionsFile() {
  const require = createRequire(join(ROOT, "package.json"));
  const core = dirname(require.resolve("@aws-sdk/core/package.json"));
  return join(core, "dist-es/submodules/client/util-endpoints/lib/aws/partitions.js");
}

/** { source, partitions: [{ id, regions: [...] }] }: real regions only (no aws-global pseudo-regions). */
export async function extractRegions() {
  const file = partitionsFile();
  const { partitionsInfo } = await import(pathToFileURL(file).href);
  return {
    source: "@aws-sdk/core util-endpoints partitions",
    partitions: partitionsInfo.partitions.map((p) => {
      const pattern = new RegExp(p.regionRegex);
      return {
        id: p.id,
        regions: Object.keys(p.regions)
          .filter((r) => pattern.test(r))
          .sort(),
      };
    }),
  };
}

export async function writeRegions() {
  const text = `${JSON.stringify(await extractRegions(), null, 2)}\n`;
  let old = "";
  try {
    old = readFileSync(OUT, "utf8");
  } catch {}
  if (old !== text) writeFileSync(OUT, text);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await writeRegions();
