/**
 * Who is calling. API Gateway's JWT authorizer has verified the token (locally, the gateway
 * verifies development tokens the same way) and passes the claims; arrays such as
 * cognito:groups arrive flattened to a string "[a b]" by HTTP APIs.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { isRole, type Role } from './roles.js';
import type { Actor } from './schemas.js';

export interface User {
  userId: string;
  name: string;
  roles: Role[];
}

export function parseGroups(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value !== 'string' || value.trim() === '') return [];
  const trimmed = value.trim();
  if (trimmed.startsWith('[') && trimmed.endsWith(']')) {
    const inner = trimmed.slice(1, -1).trim();
    if (inner.startsWith('"')) return JSON.parse(trimmed) as string[];
    return inner.split(/[\s,]+/).filter(Boolean);
  }
  return trimmed.split(/[\s,]+/).filter(Boolean);
}

export function userFromEvent(event: Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>): User | undefined {
  const claims = event.requestContext?.authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string' || claims.sub === '') return undefined;
  const roles = parseGroups(claims['cognito:groups']).filter(isRole);
  const name = [claims.name, claims['cognito:username'], claims.email, claims.sub].find((v) => typeof v === 'string' && v !== '');
  return { userId: claims.sub, name: String(name), roles };
}

export function hasAnyRole(user: User, roles: readonly Role[]): boolean {
  return user.roles.some((r) => roles.includes(r));
}

export function actorOf(user: User): Actor {
  return { userId: user.userId, name: user.name };
}

/** The workflow acting on its own (timeouts, schedules). */
export const SYSTEM_ACTOR: Actor = { userId: 'system', name: 'System' };
