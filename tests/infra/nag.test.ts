/**
 * cdk-nag (AwsSolutions pack) over the whole app: the parent stack and every nested stack (the
 * business areas' functions and routes) in one construct tree. cdk-nag 3 is a policy-validation plugin
 * (Validations.of(app).addPlugins) rather than an Aspect that writes annotations; its
 * `validateScope` returns the same findings `cdk synth` reports, so the test calls it directly.
 */
import { App, CfnResource, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/synth.js';

interface Violation {
  ruleName: string;
  severity?: string;
  description: string;
  violatingResources: { constructPath: string }[];
}
interface Acknowledgment {
  path: string;
  id: string;
  reason: string;
}

const ACK_KEY = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
/** CDK stores `Annotation::AwsSolutions-S1` for an acknowledged `AwsSolutions-S1`. */
const bareId = (qualified: string) => qualified.replace(/^[A-Za-z]+::(?=AwsSolutions-)/, '');

let violations: Violation[];
let acknowledgments: Acknowledgment[];
let nestedStacks: string[];
const used = new Set<string>();

/** Runs the pack over a construct tree and records which acknowledgment silenced each finding. */
function runNag(scope: IConstruct, record?: Set<string>): Violation[] {
  const pack = new AwsSolutionsChecks();
  if (record) {
    const hooks = pack as unknown as { isAcknowledged: (resource: CfnResource, ruleId: string) => boolean };
    hooks.isAcknowledged = (resource, ruleId) => {
      for (let c: IConstruct | undefined = resource; c; c = c.node.scope) {
        const hit = c.node.metadata.some((m) => m.type === ACK_KEY && Object.keys(m.data as object).map(bareId).includes(ruleId));
        if (hit) {
          record.add(`${c.node.path}|${ruleId}`);
          return true;
        }
      }
      return false;
    };
  }
  return pack.validateScope(scope).violations as Violation[];
}

beforeAll(() => {
  const { app } = buildApp();
  app.synth(); // lazily added resources (policies, permissions) exist only after synthesis
  nestedStacks = app.node.findAll().filter((c) => c instanceof NestedStack).map((c) => c.node.path);
  violations = runNag(app, used);
  acknowledgments = app.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === ACK_KEY)
        .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ path: c.node.path, id: bareId(id), reason }))),
    );
});

describe('cdk-nag AwsSolutions', () => {
  it('finds violations when there are some (the checks really run on this aws-cdk-lib)', () => {
    const app = new App();
    const stack = new Stack(app, 'Bad');
    new s3.Bucket(stack, 'PlainBucket');
    app.synth();
    const rules = runNag(app).map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('reports no unacknowledged error or warning for the stack', () => {
    const summary = violations.map((v) => `${v.severity} ${v.ruleName}: ${v.description} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(summary).toEqual([]);
  });

  it('checks the nested stacks too: findings in every one of them were met (and acknowledged)', () => {
    expect(nestedStacks.length).toBeGreaterThan(1);
    for (const path of nestedStacks) {
      expect([...used].some((u) => u.startsWith(`${path}/`)), path).toBe(true);
    }
  });

  it('every acknowledgment names an AwsSolutions rule and carries a concrete reason', () => {
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgments) {
      expect(id, path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}: "${reason}"`).toBeGreaterThanOrEqual(60);
      expect(reason, `${path} ${id}`).not.toMatch(/\b(todo|tbd|fixme|later|temporary|not needed|n\/a)\b/i);
    }
  });

  it('every acknowledgment silences a real finding (no stale suppressions)', () => {
    const stale = acknowledgments.filter((a) => !used.has(`${a.path}|${a.id}`)).map((a) => `${a.path} ${a.id}`);
    expect(stale).toEqual([]);
  });
});
