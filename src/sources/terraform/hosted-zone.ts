/** Private hosted zones of a plan: aws_route53_zone with vpc blocks or aws_route53_zone_association (public zones are left out). */
import { known, type Ref, type Value, type World } from "../../model/index.js";
import { byTarget } from "./attachments.js";
import { ELEMENT } from "./element-kinds.js";
import type { Reader } from "./reader.js";

export function buildHostedZones(reader: Reader, world: World): void {
  const associations = byTarget(reader, ["aws_route53_zone_association"], ["zone_id"], ELEMENT.hostedZone, "hosted zones");
  for (const resource of reader.index.ofType("aws_route53_zone")) {
    const key = reader.keyOf(resource);
    const vpcs: Value<Ref>[] = [];
    const raw = reader.raw(resource, ["vpc"]);
    if (raw.kind === "value" && Array.isArray(raw.value))
      raw.value.forEach((_, i) => {
        const v = reader.ref(resource, ["vpc", i, "vpc_id"], ELEMENT.vpc);
        if (v) vpcs.push(v);
      });
    for (const a of associations.byKey.get(key) ?? []) {
      const v = reader.ref(a, ["vpc_id"], ELEMENT.vpc);
      if (v) vpcs.push(v);
    }
    if (vpcs.length === 0) continue; // a public zone (AWS associates VPCs with private zones only)
    // An association that picks one of several zones may add a VPC to this one.
    const maybe = associations.uncertain.unknownFor(key, "associate VPCs with", "hosted zone");
    if (maybe) vpcs.push(maybe);
    const name = reader.str(resource, ["name"]);
    world.hostedZones.set(key, {
      ...reader.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: known(vpcs, reader.origin(resource, ["vpc"])),
    });
  }
}
