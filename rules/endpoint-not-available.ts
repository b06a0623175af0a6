import { defineRule } from "../src/engine/rule.js";
import { draftsFromHops, namesOf } from "../src/engine/rule-helpers.js";
import { examplesOf } from "./examples/index.js";

type M = "notAvailable" | "unknownState";

export default defineRule<M>({
  meta: {
    id: "SD205",
    name: "endpoint-not-available",
    title: "A VPC endpoint on the path is not in the available state",
    description:
      "An interface endpoint carries traffic only while its state is Available. Pending (still being created, or waiting for acceptance), Failed, Rejected or Deleting endpoints answer nothing: the agent's connections to ssm or ssmmessages time out although the endpoint exists. Only the live account shows the state.",
    prerequisite: "endpoints",
    severity: "error",
    appliesTo: ["live"],
    onUnknown: "note",
    messages: {
      notAvailable:
        "{{endpoint}} is {{#state}}{{state}}{{/state}}{{^state}}not available{{/state}}, not Available, so the SSM Agent on {{instances}} cannot reach {{services}} through it.",
      unknownState: "Whether the endpoints used by {{instances}} are available is not known: {{reason}}.",
    },
    remediation: {
      cli: "aws ec2 describe-vpc-endpoints --vpc-endpoint-ids {{subject|vpce-…}}   # Failed: delete and recreate it; Pending: wait, or accept the connection",
    },
    references: [
      "https://docs.aws.amazon.com/vpc/latest/privatelink/create-interface-endpoint.html",
      "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcEndpoint.html",
    ],
  },
  examples: examplesOf("endpoint-not-available"),
  check(ctx) {
    return draftsFromHops(
      ctx,
      ["endpoint-state"],
      (group, instances) => {
        const ev = group.hits.flatMap((h) => h.evidence).find((e) => e.code === "endpoint-state");
        return {
          messageId: "notAvailable",
          args: {
            endpoint: group.subject.name,
            state: ev?.args.state ?? "",
            instances: namesOf(instances),
            services: [...new Set(group.hits.map((h) => h.path.service))].join(", "),
          },
        };
      },
      "unknownState",
    );
  },
});
