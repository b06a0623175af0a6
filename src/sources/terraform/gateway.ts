/** Internet gateways (attached inline or by aws_internet_gateway_attachment) and NAT gateways of a plan. */
import { defaulted, type Ref, type Value, type World } from "../../model/index.js";
import { ELEMENT } from "./element-kinds.js";
import type { Reader } from "./reader.js";

export function buildGateways(r: Reader, world: World): void {
  const attachments = new Map<Ref, Value<Ref | null>>();
  for (const resource of r.index.ofType("aws_internet_gateway_attachment")) {
    const gateway = r.ref(resource, ["internet_gateway_id"], ELEMENT.gateway);
    const vpc = r.ref(resource, ["vpc_id"], ELEMENT.vpc);
    if (gateway?.kind === "known" && vpc) attachments.set(gateway.value, vpc);
  }
  for (const resource of r.index.ofType("aws_internet_gateway")) {
    const key = r.keyOf(resource);
    world.internetGateways.set(key, {
      ...r.base(resource),
      vpc: attachments.get(key) ?? r.ref(resource, ["vpc_id"], ELEMENT.vpc) ?? defaulted(null),
    });
  }
  for (const resource of r.index.ofType("aws_nat_gateway")) {
    world.natGateways.set(r.keyOf(resource), {
      ...r.base(resource),
      subnet: r.ref(resource, ["subnet_id"], ELEMENT.subnet) ?? r.missing(resource, ["subnet_id"]),
      connectivity: r.scalar<"public" | "private">(
        resource,
        ["connectivity_type"],
        (v) => (v === "public" || v === "private" ? v : undefined),
        "public",
      ),
    });
  }
}
