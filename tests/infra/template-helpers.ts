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

/** Every statement of every AWS::IAM::Policy attached to the role with this logical id. */
export function statementsOfRole(template: { Resources: Resources }, roleLogicalId: string): Statement[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, p]) => asList(p.Properties?.Roles).some((r: any) => r?.Ref === roleLogicalId))
    .flatMap(([, p]) => asList<Statement>(p.Properties?.PolicyDocument?.Statement));
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
