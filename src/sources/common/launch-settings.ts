/** Launch settings stack: an instance's own settings win over its launch template's, setting by setting. */
export function mergeLaunchSettings<T extends object>(own: T, launched: T | undefined): T {
  if (!launched) return own;
  const out = { ...launched };
  for (const [key, value] of Object.entries(own)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
