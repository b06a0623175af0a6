/**
 * The image an instance, a launch template or an EKS node group names: an AMI id, an SSM parameter
 * (`{{resolve:ssm:…}}` or a parameter path), a mapping of AMI ids, or the EKS optimized AMI an AmiType names.
 */

import { defaulted, type ImageSource, known, unknown, type Value } from "../../model/index.js";
import type { Template } from "./template.js";
import type { Evaluated, ResourceInfo } from "./types.js";

export function imageSource(template: Template, ev: Evaluated, pointer: string): Value<ImageSource> {
  const origin = template.origin(ev.at ?? pointer);
  if (ev.kind === "scalar" && typeof ev.value === "string") {
    const text = ev.value.trim();
    const ssm = /^(?:\{\{)?resolve:ssm:([^}]+?)(?::\d+)?(?:\}\})?$/.exec(text);
    if (ssm) return known({ kind: "ssm-parameter", name: ssm[1]! }, origin);
    if (text.startsWith("/")) return known({ kind: "ssm-parameter", name: text }, origin);
    if (/^ami-[0-9a-f]+$/i.test(text))
      return known(ev.mapping ? { kind: "ami-id", id: text, mapping: ev.mapping } : { kind: "ami-id", id: text }, origin);
    return unknown("unresolved", `ImageId is '${text}', which is not an AMI id`, undefined, origin);
  }
  if (ev.kind === "unknown" && ev.extra?.ssmParameter) return known({ kind: "ssm-parameter", name: ev.extra.ssmParameter }, origin);
  if (ev.kind === "unknown" && ev.extra?.mapping) {
    // Mappings often carry the AMI name beside the ids (an "AMI" row): it tells the family, so keep it in the description.
    const { description, candidates } = ev.extra.mapping;
    const ids = candidates.filter((c) => /^ami-[0-9a-f]+$/i.test(c));
    const names = candidates.filter((c) => !ids.includes(c));
    return known(
      { kind: "mapping", description: names.length > 0 ? `${description}: ${names.join(", ")}` : description, candidates: ids },
      origin,
    );
  }
  return template.unknownFrom(ev, "ImageId", pointer);
}

const AMI_TYPES: Record<string, string> = {
  AL2_x86_64: "Amazon EKS optimized Amazon Linux 2 (x86_64)",
  AL2_x86_64_GPU: "Amazon EKS optimized accelerated Amazon Linux 2 (x86_64)",
  AL2_ARM_64: "Amazon EKS optimized Amazon Linux 2 (arm64)",
  AL2023_x86_64_STANDARD: "Amazon EKS optimized Amazon Linux 2023 (x86_64)",
  AL2023_ARM_64_STANDARD: "Amazon EKS optimized Amazon Linux 2023 (arm64)",
  AL2023_x86_64_NVIDIA: "Amazon EKS optimized accelerated Amazon Linux 2023 (x86_64, NVIDIA)",
  AL2023_x86_64_NEURON: "Amazon EKS optimized accelerated Amazon Linux 2023 (x86_64, Neuron)",
  BOTTLEROCKET_x86_64: "Bottlerocket (x86_64)",
  BOTTLEROCKET_ARM_64: "Bottlerocket (arm64)",
  WINDOWS_CORE_2019_x86_64: "Amazon EKS optimized Windows Server 2019 Core",
  WINDOWS_FULL_2019_x86_64: "Amazon EKS optimized Windows Server 2019 Full",
  WINDOWS_CORE_2022_x86_64: "Amazon EKS optimized Windows Server 2022 Core",
  WINDOWS_FULL_2022_x86_64: "Amazon EKS optimized Windows Server 2022 Full",
};

/** A node group without a launch template image runs the EKS optimized AMI its AmiType names. */
export function nodeGroupImage(template: Template, resource: ResourceInfo): Value<ImageSource> {
  const amiType = template.prop(resource, "AmiType");
  const pointer = template.propertyPointer(resource, "AmiType");
  const type = amiType.kind === "none" ? "AL2_x86_64" : amiType.kind === "scalar" ? String(amiType.value) : undefined;
  if (type === undefined) return template.unknownFrom(amiType, "AmiType", pointer);
  const description = AMI_TYPES[type];
  if (!description) return unknown("unsupported", `AmiType ${type} is not recognised`, undefined, template.origin(pointer));
  return amiType.kind === "none"
    ? defaulted({ kind: "described", description })
    : known({ kind: "described", description }, template.origin(pointer));
}
