/**
 * `npm start`: the whole product locally, data kept in .local/ across restarts.
 * Ports: PORT (API, default 3000), DYNAMODB_PORT (8000), SFN_PORT (8083); LOCAL_DATA_DIR (default .local).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROLES } from '../../functions/shared/roles.js';
import { DEMO_USERS } from './auth.js';
import { loadDemoData } from './demo-data.js';
import { LocalStartError, assertJava, assertPortFree } from './dynamodb.js';
import { ensureConsoleBuilt } from './console.js';
import { startLocalStack } from './stack.js';

const port = Number(process.env.PORT ?? 3000);
const dynamoPort = Number(process.env.DYNAMODB_PORT ?? 8000);
const stepFunctionsPort = Number(process.env.SFN_PORT ?? 8083);

async function main() {
  assertJava();
  await assertPortFree(port, 'API gateway, set PORT');
  await assertPortFree(dynamoPort, 'DynamoDB Local, set DYNAMODB_PORT');
  await assertPortFree(stepFunctionsPort, 'Step Functions, set SFN_PORT');
  await ensureConsoleBuilt(console.log);
  // The schedules start once the demo data is in: loading it moves the business clock through the past six months.
  const stack = await startLocalStack({ dataDir: process.env.LOCAL_DATA_DIR, port, dynamoPort, stepFunctionsPort, schedules: false, logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'WARN', log: console.log });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping (data stays in ${stack.dataDir})`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  const loaded = await loadDemoData(stack);
  stack.scheduler.start();
  const tokens: Record<string, { userId: string; name: string; token: string }> = {};
  for (const role of ROLES) {
    const user = DEMO_USERS.find((u) => u.roles.includes(role))!;
    tokens[role] = { userId: user.userId, name: user.name, token: await stack.tokenFor(user) };
  }
  const other = DEMO_USERS.find((u) => u.userId === 'li.na')!;
  tokens['sales_rep (second rep)'] = { userId: other.userId, name: other.name, token: await stack.tokenFor(other) };
  const tokenFile = path.join(stack.dataDir, 'tokens.json');
  writeFileSync(tokenFile, JSON.stringify(tokens, null, 2));

  console.log(`
Order-to-cash is running locally.
  Web console    ${stack.url}/console/   (sign in as any demo user)
  API            ${stack.url}   (OpenAPI: ${stack.url}/openapi.json, health: ${stack.url}/health)
  DynamoDB Local ${stack.dynamoEndpoint}
  Step Functions ${stack.stepFunctionsEndpoint}
  Data           ${stack.dataDir} ${loaded ? '(demo data loaded)' : '(kept from the last run)'}
  Schedules      ${stack.scheduler.describe().map((s) => `${s.name} ${s.expression} ${s.timeZone}`).join('; ')}
  Run a job now  npm run job -- credit-reviews-due

Demo users and tokens (valid 7 days; also in ${tokenFile}):`);
  for (const [role, t] of Object.entries(tokens)) console.log(`  ${role.padEnd(24)} ${t.userId.padEnd(12)} ${t.token}`);
  console.log(`
Try:  TOKEN=$(node -e "console.log(require('./.local/tokens.json').sales_rep.token)")
      curl -s ${stack.url}/customers -H "Authorization: Bearer $TOKEN"
Ctrl-C stops everything.`);
}

main().catch((err) => {
  if (err instanceof LocalStartError) console.error(`Cannot start: ${err.message}`);
  else console.error(err);
  process.exit(1);
});
