/** Where an element or a value comes from. Reporters turn this into file/line or an ARN. */
export type SourceKind = "cloudformation" | "terraform" | "live";

export interface Region {
  startLine: number; // 1-based
  startColumn: number; // 1-based
  endLine?: number;
  endColumn?: number;
}

export interface Origin {
  source: SourceKind;
  /** The input file as the user named it (relative where the user gave a relative path). */
  file?: string;
  /** JSON pointer inside the document ("/Resources/rVpc/Properties/EnableDnsHostnames"). */
  pointer?: string;
  /** CloudFormation logical id, Terraform module-qualified address, or live resource id. */
  id?: string;
  /** Line and column, when the source knows them cheaply; otherwise see World.locate. */
  region?: Region;
  /** Live resources: the ARN when there is one. */
  arn?: string;
}
