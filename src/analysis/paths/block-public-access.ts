/**
 * VPC Block Public Access on the way out through an internet gateway (VPC User Guide, "Block public access to VPCs
 * and subnets"): "block-bidirectional" stops all traffic through internet gateways, "block-ingress" all but that of
 * NAT gateways, except for a VPC or subnet an exclusion names ("allow-egress" counts under block-bidirectional
 * only). The subnet that matters is the one whose traffic meets the gateway: the instance's own with a public
 * address, the NAT gateway's behind a NAT.
 */
import { type BlockPublicAccessOptions, isKnown, knownValue, type Subnet, type UnknownReason, type World } from "../../model/index.js";
import { fail, pass, undecided } from "../verdict.js";
import { type Hop, hop } from "./hops.js";

export type Exit = "internet-gateway" | "nat-gateway";

/** The hop, when the input sets Block Public Access at all; none when it is off or does not touch this way. */
export function blockPublicAccessHop(world: World, subnet: Subnet, exit: Exit): Hop | undefined {
  if (world.blockPublicAccess.size === 0) return undefined;
  const reasons: UnknownReason[] = [];
  let blocking: { options: BlockPublicAccessOptions; mode: string } | undefined;
  for (const options of world.blockPublicAccess.values()) {
    const mode = options.mode;
    if (!isKnown(mode)) {
      reasons.push(mode.reason);
      continue;
    }
    if (!(mode.value === "block-bidirectional" || (mode.value === "block-ingress" && exit === "internet-gateway"))) continue;
    if (options.conditional) reasons.push(options.conditional);
    else blocking ??= { options, mode: mode.value };
  }
  if (!blocking && reasons.length === 0) return undefined;
  const subject = (blocking?.options ?? [...world.blockPublicAccess.values()][0]!).key;
  if (blocking && blocking.options.exclusionsAllowed !== false) {
    const vpc = knownValue(subnet.vpc);
    for (const exclusion of world.blockPublicAccessExclusions.values()) {
      const { scope, mode } = exclusion;
      const covers = isKnown(scope) ? scope.value === subnet.key || scope.value === vpc : undefined;
      if (covers === false) continue;
      const fits = isKnown(mode)
        ? mode.value === "allow-bidirectional" || (mode.value === "allow-egress" && blocking.mode === "block-bidirectional")
        : undefined;
      if (fits === false) continue;
      if (covers && fits && !exclusion.conditional)
        return hop(
          "block-public-access",
          pass([{ code: "bpa-excluded", args: { exclusion: exclusion.name, subnet: subnet.name }, origin: exclusion.origin }]),
          subject,
        );
      reasons.push(!isKnown(scope) ? scope.reason : !isKnown(mode) ? mode.reason : exclusion.conditional!);
    }
  }
  if (!blocking) return hop("block-public-access", undecided(reasons), subject);
  const evidence = [
    {
      code: "bpa-blocks" as const,
      args: { options: blocking.options.name, mode: blocking.mode, exit, subnet: subnet.name, subnetKey: subnet.key },
      origin: blocking.options.mode.origin ?? blocking.options.origin,
    },
  ];
  // An exclusion that may name this subnet or VPC leaves the block undecided.
  return hop("block-public-access", reasons.length > 0 ? undecided(reasons, evidence) : fail(evidence), subject);
}
