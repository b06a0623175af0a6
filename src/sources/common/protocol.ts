import type { Protocol } from "../../model/index.js";

/** IP protocol names and numbers as the model spells them: -1 → all, 6 → tcp, 17 → udp, 1 → icmp, 58 → icmpv6. */
export function normaliseProtocol(text: string): Protocol {
  const lower = text.trim().toLowerCase();
  switch (lower) {
    case "-1":
    case "all":
      return "all";
    case "6":
      return "tcp";
    case "17":
      return "udp";
    case "1":
      return "icmp";
    case "58":
      return "icmpv6";
    default:
      return lower;
  }
}
