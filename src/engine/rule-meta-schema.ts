/**
 * What a rule's metadata must look like (the rules' own test checks every rule against it). Apart from
 * rule.ts so that loading the rules does not load zod.
 */
import { z } from "zod";

export const ruleMetaSchema = z.object({
  id: z.string().regex(/^SD[1-9]\d{2}$/),
  name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(10).max(120),
  description: z.string().min(40).max(1024),
  prerequisite: z.enum(["agent", "endpoints", "network", "dns", "iam", "logging"]),
  severity: z.enum(["error", "warning", "note"]),
  appliesTo: z.array(z.enum(["cloudformation", "terraform", "live"])).min(1),
  onUnknown: z.enum(["skip", "note", "assume-fail"]),
  messages: z.record(z.string(), z.string().min(10)).refine((m) => Object.keys(m).length > 0, "at least one message"),
  remediation: z.object({ cloudformation: z.string().optional(), terraform: z.string().optional(), cli: z.string().optional() }),
  messageRemediation: z
    .record(z.string(), z.object({ cloudformation: z.string().optional(), terraform: z.string().optional(), cli: z.string().optional() }))
    .optional(),
  references: z.array(z.string().url()).min(1),
});
