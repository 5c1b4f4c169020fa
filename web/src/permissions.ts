/** Who may call what, as the API publishes it: no browser APIs here, so it is tested in Node. */

/** operationId → roles, from the OpenAPI document's x-roles. */
export type Permissions = Record<string, string[] | 'public'>;

export function permissionsFrom(openApi: { paths?: Record<string, Record<string, { operationId?: string; 'x-roles'?: string[]; security?: unknown[] }>> }): Permissions {
  const out: Permissions = {};
  for (const ops of Object.values(openApi.paths ?? {})) {
    for (const op of Object.values(ops)) {
      if (!op.operationId) continue;
      out[op.operationId] = op['x-roles'] ?? (op.security && op.security.length === 0 ? 'public' : []);
    }
  }
  return out;
}
