/**
 * The CDK app (cdk.json: `npx tsx infra/app.ts`). One environment-agnostic stack; cdk-nag's
 * AwsSolutions pack validates it at every synth, so an unacknowledged finding stops the build.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { OrderToCashStack, STACK_ID } from './stack.js';

const app = new App();
new OrderToCashStack(app, STACK_ID);
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
