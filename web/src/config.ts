/**
 * Where the console finds its API and how people sign in. The file `config.json` next to
 * index.html is written by whoever serves the console: the local gateway (same origin, dev
 * tokens) or the CDK deployment (API URL and Cognito hosted login), so one build runs in both.
 */
export type AuthConfig =
  | { mode: 'local' }
  | { mode: 'cognito'; authority: string; clientId: string; domain: string };

export interface ConsoleConfig {
  /** Base URL of the API, without a trailing slash; '' = the console's own origin. */
  apiUrl: string;
  auth: AuthConfig;
  /** The company's time zone for business dates and times (setting timeZone). */
  timeZone: string;
  /** The company's currency (setting currency). */
  currency: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch('./config.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  const config = (await res.json()) as Partial<ConsoleConfig>;
  if (typeof config.apiUrl !== 'string' || !config.auth) throw new Error('config.json: apiUrl and auth are required');
  return { timeZone: 'Asia/Shanghai', currency: 'CNY', ...config } as ConsoleConfig;
}
