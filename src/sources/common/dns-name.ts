/** A domain name as Resolver rules compare them: lower case, without the trailing dot; the root stays ".". */
export function dnsName(name: string): string {
  const n = name.trim().toLowerCase();
  return n === "." || n === "" ? "." : n.replace(/\.$/, "");
}
