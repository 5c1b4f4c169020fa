/**
 * JSON with object keys sorted at every level: items read back from DynamoDB come with their map
 * keys in any order, and a request body's key order means nothing, so comparisons use this.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  ) ?? 'null';
}
