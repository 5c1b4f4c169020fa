/** Sign-in: locally a picker of the demo users of every role; in the cloud the Cognito hosted login. */
import { useEffect, useState } from 'react';
import { CognitoAuthenticator, LocalAuthenticator, type Authenticator, type DemoUser, type Session } from '../auth.js';
import { common, roleLabel } from '../i18n/common.js';
import { defineMessages, LOCALES, useLocale, useT, type Locale } from '../i18n/index.js';

const m = defineMessages({
  title: ['登录', 'Sign in'],
  pickUser: ['选择一位演示用户（本地开发环境）', 'Choose a demo user (local development)'],
  hosted: ['使用公司账号登录', 'Sign in with your company account'],
  user: ['用户', 'User'],
  role: ['角色', 'Role'],
});

export function SignIn({ authenticator, onSignedIn }: { authenticator: Authenticator; onSignedIn(session: Session): void }) {
  const t = useT(m);
  const tc = useT(common);
  const { locale, setLocale } = useLocale();
  const [users, setUsers] = useState<DemoUser[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (authenticator instanceof LocalAuthenticator) authenticator.demoUsers().then(setUsers, (err: unknown) => setError(String(err)));
  }, [authenticator]);

  return (
    <main id="main" className="signin">
      <h1>
        {tc('appName')} · {t('title')}
      </h1>
      <label className="lang">
        {tc('language')}{' '}
        <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
          {LOCALES.map((l) => (
            <option key={l} value={l}>
              {l === 'zh-CN' ? '中文' : 'English'}
            </option>
          ))}
        </select>
      </label>
      {error ? <p role="alert">{error}</p> : null}
      {authenticator instanceof CognitoAuthenticator ? (
        <button type="button" onClick={() => void authenticator.signIn()}>
          {t('hosted')}
        </button>
      ) : null}
      {users ? (
        <section aria-labelledby="pick">
          <h2 id="pick">{t('pickUser')}</h2>
          <ul className="user-picker">
            {users.map((u) => (
              <li key={u.userId}>
                <button type="button" className="user-card" onClick={() => onSignedIn((authenticator as LocalAuthenticator).signInAs(u))}>
                  <strong>{u.name}</strong>
                  <span>{u.roles.map((r) => roleLabel(locale, r)).join('、')}</span>
                  <small className="muted">{u.userId}</small>
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
