/** The HCL block scanner: blocks and argument lines, robust to heredocs, braces in strings, interpolations and comments. */
import { describe, expect, it } from "vitest";
import { type HclFile, ignoreDirective, scanHcl } from "../../../src/sources/terraform/scan-hcl.js";

function block(file: HclFile, type: string, ...labels: string[]) {
  return file.blocks.find((b) => b.type === type && labels.every((l, i) => b.labels[i] === l));
}

const TRICKY = `# a comment with { braces } and "quotes"
// another { comment
/* a block comment
resource "aws_instance" "commented_out" {
}
*/
locals {
  text = "a } string { with braces"
  nested = "\${jsonencode({ a = "}" })}"
  escaped = "a \\" quote and $\${not_interpolated} {"
}

resource "aws_instance" "web" {
  ami       = data.aws_ami.ubuntu.id
  user_data = <<-EOF
    #!/bin/bash
    echo "}"
    cat <<EOT > /etc/x
    resource "fake" "inside" {
    EOT
  EOF

  tags = {
    Name = "web-\${var.env}"
  }

  metadata_options {
    http_tokens = "required" # IMDSv2 }
  }

  dynamic "ebs_block_device" {
    for_each = var.disks
    content {
      device_name = ebs_block_device.value
    }
  }
}

resource aws_security_group bare_labels {
  # ssm-doctor:ignore SD302 only receives traffic
  // ssm-doctor:ignore SD301, SD303 - both on purpose
  egress = []
}

module "app" {
  source = "./modules/app"
  count  = 2 == 2 ? 1 : 0
}
`;

describe("scanHcl", () => {
  const file = scanHcl(TRICKY);

  it("finds the top-level blocks and no block inside comments, strings or heredocs", () => {
    expect(file.blocks.map((b) => `${b.type} ${b.labels.join(" ")}`.trim())).toEqual([
      "locals",
      "resource aws_instance web",
      "resource aws_security_group bare_labels",
      "module app",
    ]);
  });

  it("knows each block's lines and its arguments' lines (first occurrence, dotted paths)", () => {
    const web = block(file, "resource", "aws_instance", "web")!;
    expect(web.line).toBe(13);
    expect(web.endLine).toBe(37);
    expect(web.attributes.get("ami")).toEqual({ line: 14, column: 3 });
    expect(web.attributes.get("user_data")?.line).toBe(15);
    expect(web.attributes.get("tags")?.line).toBe(23);
    expect(web.attributes.get("metadata_options")?.line).toBe(27);
    expect(web.attributes.get("metadata_options.http_tokens")?.line).toBe(28);
    expect(web.attributes.get("ebs_block_device")?.line).toBe(31);
    expect(web.attributes.get("ebs_block_device.device_name")?.line).toBe(34);
  });

  it("keeps plain string arguments (a module's source)", () => {
    expect(block(file, "module", "app")!.literals.get("source")).toBe("./modules/app");
  });

  it("reads ignore directives in # and // comments", () => {
    const sg = block(file, "resource", "aws_security_group", "bare_labels")!;
    const directives = file.comments.filter((c) => c.offset > sg.start && c.offset < sg.end).flatMap((c) => ignoreDirective(c) ?? []);
    expect(directives).toEqual([
      { ruleIds: ["SD302"], reason: "only receives traffic", position: { line: 40, column: 3 } },
      { ruleIds: ["SD301", "SD303"], reason: "both on purpose", position: { line: 41, column: 3 } },
    ]);
  });

  it("never throws on broken input", () => {
    for (const text of ['resource "a" "b" {', "}}}}", '"unterminated', "<<EOF\nno end", "resource { = }", ""]) {
      expect(() => scanHcl(text)).not.toThrow();
    }
    expect(scanHcl('resource "a" "b" {\n  x = 1\n').blocks).toEqual([]);
  });
});
