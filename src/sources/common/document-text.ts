/** Documents written as text inside an input (an SSM document's content): JSON, else YAML. */
import { parse as parseYaml } from "yaml";

/** The parsed document, or undefined when the text is neither JSON nor YAML. */
export function parseDocumentText(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) };
  } catch {
    try {
      return { value: parseYaml(text, { maxAliasCount: 10 }) };
    } catch {
      return undefined;
    }
  }
}
