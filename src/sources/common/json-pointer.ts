/** JSON pointers (RFC 6901), shared by the sources for origins. */
export function escapePointerSegment(segment: string): string {
  return segment.includes("~") || segment.includes("/") ? segment.replace(/~/g, "~0").replace(/\//g, "~1") : segment;
}

export function splitPointer(pointer: string): string[] {
  return pointer
    .slice(1)
    .split("/")
    .map((s) => (s.includes("~") ? s.replace(/~1/g, "/").replace(/~0/g, "~") : s));
}

export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${typeof key === "number" ? key : escapePointerSegment(key)}`;
}
