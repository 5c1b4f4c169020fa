/** The signed-in user as the API sees them, read from the token the console holds (no browser APIs: tested in Node). */

export interface Session {
  token: string;
  userId: string;
  name: string;
  roles: string[];
  /** Seconds since the epoch. */
  expiresAt: number;
}

/** The claims the API reads, from a token the console holds (verification is the API's job). */
export function sessionFromToken(token: string): Session {
  const [, payload] = token.split('.');
  if (!payload) throw new Error('not a JWT');
  const json = new TextDecoder().decode(Uint8Array.from(atob(payload.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));
  const claims = JSON.parse(json) as Record<string, unknown>;
  const groups = claims['cognito:groups'];
  return {
    token,
    userId: String(claims['cognito:username'] ?? claims.sub ?? ''),
    name: String(claims.name ?? claims['cognito:username'] ?? claims.email ?? ''),
    roles: Array.isArray(groups) ? groups.map(String) : [],
    expiresAt: Number(claims.exp ?? 0),
  };
}
