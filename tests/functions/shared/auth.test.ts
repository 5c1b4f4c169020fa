/**
 * Who is calling: API Gateway HTTP APIs pass JWT claims as strings, and flatten arrays such as
 * cognito:groups to "[a b]". The handlers must read every form the same way.
 */
import type { APIGatewayProxyEventV2WithJWTAuthorizer } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { actorOf, hasAnyRole, parseGroups, userFromEvent } from '../../../functions/shared/auth.js';

type Claims = Record<string, string | number | boolean>;
const eventWith = (claims: Claims | undefined) =>
  ({
    requestContext: { authorizer: claims ? { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } : undefined },
  }) as unknown as Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>;

describe('parseGroups', () => {
  it('reads the "[a b]" form HTTP APIs pass for an array claim', () => {
    expect(parseGroups('[sales_rep finance]')).toEqual(['sales_rep', 'finance']);
    expect(parseGroups('[sales_manager]')).toEqual(['sales_manager']);
    expect(parseGroups(' [sales_rep  finance] ')).toEqual(['sales_rep', 'finance']);
    expect(parseGroups('[sales_rep, finance]')).toEqual(['sales_rep', 'finance']);
  });

  it('reads a JSON array string', () => {
    expect(parseGroups('["sales_rep","finance"]')).toEqual(['sales_rep', 'finance']);
    expect(parseGroups('[ "auditor" ]')).toEqual(['auditor']);
  });

  it('reads a real array', () => {
    expect(parseGroups(['sales_rep', 'finance'])).toEqual(['sales_rep', 'finance']);
    expect(parseGroups([])).toEqual([]);
  });

  it('reads a bare space- or comma-separated string', () => {
    expect(parseGroups('admin')).toEqual(['admin']);
    expect(parseGroups('admin auditor')).toEqual(['admin', 'auditor']);
    expect(parseGroups('admin,auditor')).toEqual(['admin', 'auditor']);
  });

  it('gives no groups for empty or absent values', () => {
    expect(parseGroups('')).toEqual([]);
    expect(parseGroups('   ')).toEqual([]);
    expect(parseGroups('[]')).toEqual([]);
    expect(parseGroups('[ ]')).toEqual([]);
    expect(parseGroups(undefined)).toEqual([]);
    expect(parseGroups(null)).toEqual([]);
    expect(parseGroups(42)).toEqual([]);
  });
});

describe('userFromEvent', () => {
  it('reads id, name and roles from the claims API Gateway passes', () => {
    const user = userFromEvent(eventWith({ sub: 'wang.qiang', name: '王强 Wang Qiang', 'cognito:username': 'wang.qiang', 'cognito:groups': '[sales_rep]' }));
    expect(user).toEqual({ userId: 'wang.qiang', name: '王强 Wang Qiang', roles: ['sales_rep'] });
    expect(actorOf(user!)).toEqual({ userId: 'wang.qiang', name: '王强 Wang Qiang' });
  });

  it('ignores groups that are not roles of RULES.md', () => {
    const user = userFromEvent(eventWith({ sub: 'u1', 'cognito:groups': '[sales_rep us-east-1_AbCdEf_Google superuser admin]' }));
    expect(user?.roles).toEqual(['sales_rep', 'admin']);
    const none = userFromEvent(eventWith({ sub: 'u2', 'cognito:groups': '[wizard Admin SALES_REP]' }));
    expect(none?.roles).toEqual([]);
    expect(hasAnyRole(none!, ['admin', 'sales_rep'])).toBe(false);
  });

  it('reads the JSON-array form of the groups claim too', () => {
    expect(userFromEvent(eventWith({ sub: 'u3', 'cognito:groups': '["finance","finance_manager"]' }))?.roles).toEqual(['finance', 'finance_manager']);
  });

  it('a user without groups is signed in with no role', () => {
    const user = userFromEvent(eventWith({ sub: 'u4', name: 'No Groups' }));
    expect(user).toEqual({ userId: 'u4', name: 'No Groups', roles: [] });
  });

  it('falls back for the display name: name, then username, then email, then sub', () => {
    expect(userFromEvent(eventWith({ sub: 's', 'cognito:username': 'user.name', email: 'e@x.example' }))?.name).toBe('user.name');
    expect(userFromEvent(eventWith({ sub: 's', email: 'e@x.example' }))?.name).toBe('e@x.example');
    expect(userFromEvent(eventWith({ sub: 's' }))?.name).toBe('s');
    expect(userFromEvent(eventWith({ sub: 's', name: '' , 'cognito:username': 'u' }))?.name).toBe('u');
  });

  it('no sub means nobody: undefined', () => {
    expect(userFromEvent(eventWith({ name: 'Nobody', 'cognito:groups': '[admin]' }))).toBeUndefined();
    expect(userFromEvent(eventWith({ sub: '', 'cognito:groups': '[admin]' }))).toBeUndefined();
    expect(userFromEvent(eventWith({ sub: 12345, 'cognito:groups': '[admin]' }))).toBeUndefined();
    expect(userFromEvent(eventWith({}))).toBeUndefined();
    expect(userFromEvent(eventWith(undefined))).toBeUndefined();
    expect(userFromEvent({ requestContext: undefined } as unknown as Pick<APIGatewayProxyEventV2WithJWTAuthorizer, 'requestContext'>)).toBeUndefined();
  });
});
