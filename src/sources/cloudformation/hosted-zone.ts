/** Private hosted zones (Route 53 zones associated with VPCs); public zones are left out. */
import { known, type World } from "../../model/index.js";
import type { Template } from "./template.js";
import { ResourceType } from "./types.js";

export function buildHostedZones(template: Template, world: World): void {
  for (const resource of template.ofType(ResourceType.hostedZone)) {
    const vpcs = template.prop(resource, "VPCs");
    if (vpcs.kind === "none" || (vpcs.kind === "list" && vpcs.items.length === 0)) continue; // public zone
    const pointer = (name: string) => template.propertyPointer(resource, name);
    const name = template.str(template.prop(resource, "Name"), "Name", pointer("Name"));
    world.hostedZones.set(resource.id, {
      ...template.base(resource),
      zoneName: name.kind === "known" ? known(name.value.toLowerCase().replace(/\.$/, ""), name.origin) : name,
      vpcs: template.list(vpcs, "VPCs", pointer("VPCs"), (item, i) =>
        template.ref(template.member(item, "VPCId"), `VPCs[${i}].VPCId`, item.at ?? pointer("VPCs"), [ResourceType.vpc], "a VPC"),
      ),
    });
  }
}
