/**
 * Provider facts a configuration does not show: the arguments the AWS provider computes when the
 * configuration leaves them unset (Optional+Computed in its schema). A plan marks them unknown at
 * create; the configuration reader does the same, so the plan source decides them the same way.
 * Read from `after_unknown` of plans made by hashicorp/aws 5.100 (fixtures/terraform).
 */
export const COMPUTED_WHEN_UNSET: Readonly<Record<string, readonly string[]>> = {
  aws_instance: [
    "associate_public_ip_address",
    "availability_zone",
    "iam_instance_profile",
    "instance_initiated_shutdown_behavior",
    "key_name",
    "metadata_options",
    "network_interface",
    "private_ip",
    "public_ip",
    "security_groups",
    "subnet_id",
    "user_data",
    "user_data_base64",
    "vpc_security_group_ids",
  ],
  aws_iam_role: ["inline_policy", "managed_policy_arns", "name"],
  aws_iam_instance_profile: ["name", "role"],
  aws_route_table: ["propagating_vgws", "route"],
  aws_security_group: ["egress", "ingress", "name", "vpc_id"],
  aws_subnet: ["availability_zone", "availability_zone_id"],
  aws_vpc: ["enable_dns_hostnames", "dhcp_options_id"],
  aws_vpc_endpoint: [
    "policy",
    "private_dns_enabled",
    "route_table_ids",
    "security_group_ids",
    "subnet_ids",
    "dns_options",
    "ip_address_type",
  ],
  aws_launch_template: ["name", "vpc_security_group_ids"],
  aws_autoscaling_group: ["availability_zones", "vpc_zone_identifier", "name"],
  aws_network_acl: ["subnet_ids"],
  aws_nat_gateway: ["private_ip", "allocation_id"],
  aws_ssm_document: ["document_version"],
};

/** Attributes every managed resource computes. */
export const ALWAYS_COMPUTED: readonly string[] = ["id", "arn", "owner_id", "tags_all"];
