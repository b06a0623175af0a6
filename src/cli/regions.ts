/**
 * The AWS regions --region and the configuration's `region` may name: the partition data the AWS SDK ships,
 * extracted at build time into src/data/aws-regions.json (scripts/extract-regions.mjs), so checking a region
 * never loads the SDK.
 */
import { closest } from "fastest-levenshtein";
import data from "../data/aws-regions.json" with { type: "json" };

export const KNOWN_REGIONS: readonly string[] = data.partitions.flatMap((p) => p.regions);
const KNOWN: ReadonlySet<string> = new Set(KNOWN_REGIONS);

export function isKnownRegion(region: string): boolean {
  return KNOWN.has(region);
}

/** The known region nearest to what was typed (case folded first: EU-WEST-1 is eu-west-1). */
export function closestRegion(region: string): string {
  const folded = region.trim().toLowerCase();
  return KNOWN.has(folded) ? folded : closest(folded, KNOWN_REGIONS as string[]);
}
