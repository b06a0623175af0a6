/** Where the project lives: package.json "homepage" is the one place the repository URL is written. */
import pkg from "../../package.json" with { type: "json" };

export const HOMEPAGE: string = pkg.homepage;

/** The rule's generated page in the repository (docs/rules/<id>.md): SARIF helpUri, Markdown links. */
export function ruleDocUrl(ruleId: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules/${ruleId}.md`;
}
