/**
 * `npm run job -- <schedule name> [key=value ...]`: runs a scheduled job now on the running local
 * stack (POST /_local/jobs/<name>) and prints its result. A job that refuses (statements for a month
 * that has not ended), an unknown job or input it cannot take is said in one line, exit code 1.
 */
const [name, ...rest] = process.argv.slice(2);
const usage = 'usage: npm run job -- <schedule name> [key=value ...]   e.g. npm run job -- statements-due month=2026-11';
if (!name || rest.some((kv) => !/^[^=]+=/.test(kv))) {
  console.error(usage);
  process.exit(2);
}
const input = Object.fromEntries(rest.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
const port = Number(process.env.PORT ?? 3000);
let res: Response;
try {
  res = await fetch(`http://localhost:${port}/_local/jobs/${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
} catch {
  console.error(`Nothing answers on port ${port}: start the stack first with npm start`);
  process.exit(1);
}
const text = await res.text();
let body: unknown = text;
try {
  body = JSON.parse(text);
} catch {
  // not JSON: print it as it came
}
if (res.ok) {
  console.log(JSON.stringify(body, null, 2));
  process.exit(0);
}
const message = body && typeof body === 'object' && 'message' in body ? String((body as { message: unknown }).message) : text;
console.error(`${name} did not run (${res.status}): ${message}`);
process.exit(1);
