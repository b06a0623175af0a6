/**
 * What a change to the input did, resource by resource: the data a source derives from two versions of
 * a template or plan (CloudFormation through @aws-cdk/cloudformation-diff, Terraform from the two plans'
 * resource changes). Reporters write the words; the engine pairs changes with the hops they broke.
 */
import type { Origin } from "./origin.js";
import type { Ref } from "./world.js";

export type ChangeAction = "added" | "removed" | "modified";

/** Which part of the path a change touches (the kinds Session Manager depends on). */
export type ChangeCategory = "security-group" | "iam" | "network" | "endpoint" | "compute" | "other";

export interface InputChange {
  /** The element the change is about, by its key in the world (a security group's logical id, a role's address). */
  readonly resource: Ref;
  /** CloudFormation type or Terraform resource type of `resource`. */
  readonly resourceType: string;
  /** The property that changed (SecurityGroupEgress, egress, ManagedPolicyArns); absent for a whole resource. */
  readonly property?: string;
  /** A separate resource that carried the change (an AWS::EC2::SecurityGroupEgress, an aws_vpc_security_group_egress_rule). */
  readonly via?: { key: Ref; resourceType: string };
  readonly action: ChangeAction;
  readonly category: ChangeCategory;
  /** The value before and after, in a few words ("tcp 443 to ${pCidr}"); never user data such as user data scripts. */
  readonly before?: string;
  readonly after?: string;
  /** Where the change is in the new input (or in the old one, for a removal). */
  readonly origin?: Origin;
}

/** What two versions of an input say beyond their worlds: the changes, and elements renamed between them. */
export interface InputComparison {
  readonly changes: InputChange[];
  /** Old key → new key of an element whose key changed (a CDK construct path kept, a Terraform `moved` block). */
  readonly renamed: ReadonlyMap<Ref, Ref>;
  /** Remarks for the report (a change the library could not read). */
  readonly notes: string[];
}
