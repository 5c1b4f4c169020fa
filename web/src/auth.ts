/**
 * Who is signed in. Locally the console offers the demo users of every role (development
 * tokens from the local gateway); in the cloud it signs in through the Cognito hosted login
 * (authorization code with PKCE, oidc-client-ts) and sends the ID token, whose audience is
 * the app client the API's JWT authorizer accepts. Roles come from the token's cognito:groups.
 */
import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import type { AuthConfig } from './config.js';
import { sessionFromToken, type Session } from './session.js';

export { sessionFromToken, type Session } from './session.js';

export interface DemoUser {
  userId: string;
  name: string;
  roles: string[];
  token: string;
}

const STORAGE_KEY = 'o2c.session';

export interface Authenticator {
  /** The session kept from before (a reload), or the one a hosted-login redirect just brought. */
  restore(): Promise<Session | undefined>;
  signOut(): Promise<void>;
}

export class LocalAuthenticator implements Authenticator {
  constructor(private readonly apiUrl: string) {}

  async demoUsers(): Promise<DemoUser[]> {
    const res = await fetch(`${this.apiUrl}/_local/demo-users`);
    if (!res.ok) throw new Error(`demo users: HTTP ${res.status}`);
    return ((await res.json()) as { users: DemoUser[] }).users;
  }

  signInAs(user: DemoUser): Session {
    const session = sessionFromToken(user.token);
    sessionStorage.setItem(STORAGE_KEY, user.token);
    return session;
  }

  async restore(): Promise<Session | undefined> {
    const token = sessionStorage.getItem(STORAGE_KEY);
    if (!token) return undefined;
    const session = sessionFromToken(token);
    return session.expiresAt * 1000 > Date.now() ? session : undefined;
  }

  async signOut(): Promise<void> {
    sessionStorage.removeItem(STORAGE_KEY);
  }
}

export class CognitoAuthenticator implements Authenticator {
  private readonly manager: UserManager;

  constructor(private readonly config: Extract<AuthConfig, { mode: 'cognito' }>) {
    const here = `${location.origin}${location.pathname}`;
    this.manager = new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: here,
      post_logout_redirect_uri: here,
      response_type: 'code',
      scope: 'openid email profile',
      userStore: new WebStorageStateStore({ store: sessionStorage }),
      automaticSilentRenew: false,
    });
  }

  async restore(): Promise<Session | undefined> {
    const params = new URLSearchParams(location.search);
    if (params.has('code') && params.has('state')) {
      const user = await this.manager.signinRedirectCallback();
      history.replaceState(null, '', `${location.pathname}${location.hash}`);
      return user.id_token ? sessionFromToken(user.id_token) : undefined;
    }
    const user = await this.manager.getUser();
    if (!user || user.expired || !user.id_token) return undefined;
    return sessionFromToken(user.id_token);
  }

  signIn(): Promise<void> {
    return this.manager.signinRedirect();
  }

  /** Cognito's logout endpoint is not in its discovery document: it is the hosted domain's /logout. */
  async signOut(): Promise<void> {
    await this.manager.removeUser();
    const back = encodeURIComponent(`${location.origin}${location.pathname}`);
    location.assign(`${this.config.domain}/logout?client_id=${encodeURIComponent(this.config.clientId)}&logout_uri=${back}`);
  }
}
