/** Small readers over a synthesized CloudFormation template, shared by the infra tests. */

export type Resource = { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Resources = Record<string, Resource>;

export function resourcesOfType(template: { Resources: Resources }, type: string): [string, Resource][] {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
  Principal?: unknown;
}

export function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** An identity policy and the roles it applies to: an AWS::IAM::Policy resource, or an inline policy of a role (its `Policies`). */
export interface IdentityPolicy {
  /** Logical ids (merged-view keys) of the roles. */
  roles: string[];
  statements: Statement[];
}

/** Every identity policy of the template, whether a resource of its own or inline in its role. */
export function identityPolicies(template: { Resources: Resources }): IdentityPolicy[] {
  const standalone = resourcesOfType(template, 'AWS::IAM::Policy').map(([, p]) => ({
    roles: asList<any>(p.Properties?.Roles).map((r) => r?.Ref as string),
    statements: asList<Statement>(p.Properties?.PolicyDocument?.Statement),
  }));
  const inline = resourcesOfType(template, 'AWS::IAM::Role').flatMap(([id, role]) =>
    asList<any>(role.Properties?.Policies).map((p) => ({ roles: [id], statements: asList<Statement>(p.PolicyDocument?.Statement) })),
  );
  return [...standalone, ...inline];
}

/** Every statement of every identity policy of the role with this logical id (AWS::IAM::Policy resources and its inline policies). */
export function statementsOfRole(template: { Resources: Resources }, roleLogicalId: string): Statement[] {
  return identityPolicies(template)
    .filter((p) => p.roles.includes(roleLogicalId))
    .flatMap((p) => p.statements);
}

/** The logical id a resource reference points at: { Ref }, { Fn::GetAtt }, or the first of a { Fn::Join }. */
export function referencedLogicalId(value: any): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  if (Array.isArray(value['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  if (Array.isArray(value['Fn::Join'])) {
    for (const part of value['Fn::Join'][1] as unknown[]) {
      const id = referencedLogicalId(part);
      if (id) return id;
    }
  }
  return undefined;
}

/** Is there a Deny-unless-TLS statement for this action prefix in a resource policy? */
export function deniesInsecureTransport(policyDocument: any, actionPrefix: string): boolean {
  return asList<Statement>(policyDocument?.Statement).some(
    (s) =>
      s.Effect === 'Deny' &&
      asList(s.Action).some((a) => a === `${actionPrefix}*` || a.startsWith(actionPrefix)) &&
      JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
  );
}
