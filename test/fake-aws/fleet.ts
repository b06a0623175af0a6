/**
 * A generated fleet for call-count tests and the benchmark: `instances` instances spread over `vpcs` VPCs
 * (each with an app subnet, an endpoint subnet and ssm/ssmmessages/ec2messages interface endpoints) and
 * `roles` instance roles. Returns a compact scenario spec for expandScenario.
 */
export function fleetSpec(instances = 1000, vpcs = 10, roles = 5): Record<string, unknown> {
  const hex = (n: number, width: number) => n.toString(16).padStart(width, "0");
  const spec: Record<string, unknown[] | string> = {
    account: "111122223333",
    region: "us-east-1",
    vpcs: [],
    subnets: [],
    securityGroups: [],
    endpoints: [],
    roles: [],
    instanceProfiles: [],
    instances: [],
  };
  const push = (k: string, v: unknown) => (spec[k] as unknown[]).push(v);
  for (let v = 0; v < vpcs; v++) {
    const vpc = `vpc-0f${hex(v, 15)}`;
    push("vpcs", { id: vpc, name: `fleet-${v}`, cidr: `10.${v}.0.0/16` });
    push("subnets", { id: `subnet-0a${hex(v, 15)}`, vpc, cidr: `10.${v}.0.0/20`, az: "us-east-1a" });
    push("subnets", { id: `subnet-0e${hex(v, 15)}`, vpc, cidr: `10.${v}.200.0/24`, az: "us-east-1a" });
    push("securityGroups", { id: `sg-0a${hex(v, 15)}`, name: `app-${v}`, vpc, ingress: [] });
    push("securityGroups", {
      id: `sg-0e${hex(v, 15)}`,
      name: `endpoints-${v}`,
      vpc,
      ingress: [{ proto: "tcp", ports: 443, cidr: `10.${v}.0.0/16` }],
    });
    for (const [s, service] of ["ssm", "ssmmessages", "ec2messages"].entries())
      push("endpoints", {
        id: `vpce-0${s}${hex(v, 14)}`,
        service,
        vpc,
        privateDns: true,
        subnets: [`subnet-0e${hex(v, 15)}`],
        groups: [`sg-0e${hex(v, 15)}`],
      });
  }
  for (let r = 0; r < roles; r++) {
    push("roles", { name: `fleet-role-${r}`, trust: "ec2", managed: ["AmazonSSMManagedInstanceCore"] });
    push("instanceProfiles", { name: `fleet-profile-${r}`, roles: [`fleet-role-${r}`] });
  }
  for (let i = 0; i < instances; i++) {
    const v = i % vpcs;
    push("instances", {
      id: `i-0${hex(i, 16)}`,
      subnet: `subnet-0a${hex(v, 15)}`,
      groups: [`sg-0a${hex(v, 15)}`],
      privateIp: `10.${v}.${Math.floor(i / 250) % 16}.${(i % 250) + 4}`,
      profile: `fleet-profile-${i % roles}`,
      tokens: "required",
    });
  }
  return spec;
}
