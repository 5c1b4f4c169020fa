/** `npm run job -- <schedule name> [asOf=YYYY-MM-DD]`: runs a scheduled job now on the running local stack. */
const [name, ...rest] = process.argv.slice(2);
if (!name) {
  console.error('usage: npm run job -- <schedule name> [key=value ...]   e.g. npm run job -- credit-reviews-due');
  process.exit(2);
}
const input = Object.fromEntries(rest.map((kv) => kv.split('=') as [string, string]));
const port = Number(process.env.PORT ?? 3000);
try {
  const res = await fetch(`http://localhost:${port}/_local/jobs/${name}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(input) });
  console.log(res.status, JSON.stringify(await res.json(), null, 2));
  process.exit(res.ok ? 0 : 1);
} catch {
  console.error(`Nothing answers on port ${port}: start the stack first with npm start`);
  process.exit(1);
}
