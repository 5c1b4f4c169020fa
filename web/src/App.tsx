/**
 * The console's frame: configuration, sign-in, the permissions the API publishes, then the
 * layout (header, navigation by role, the screen). Routes are hash routes (#/orders/SO-…), so
 * the same static files work behind the local gateway and CloudFront without rewrites.
 */
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { HashRouter, NavLink, Navigate, Route, Routes } from 'react-router';
import { Api } from './api.js';
import { AppContext, permissionsFrom, type AppContextValue, type Permissions } from './app-context.js';
import { CognitoAuthenticator, LocalAuthenticator, type Authenticator, type Session } from './auth.js';
import { loadConfig, type ConsoleConfig } from './config.js';
import { common, roleLabel } from './i18n/common.js';
import { LOCALES, LocaleProvider, useLocale, useT, type Locale } from './i18n/index.js';
import { Loading, Page } from './components/ui.js';
import { NAV_GROUPS, SCREENS } from './screens/registry.js';
import { SignIn } from './screens/SignIn.js';

export function App() {
  const [config, setConfig] = useState<ConsoleConfig>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    loadConfig().then(setConfig, (err: unknown) => setError(String(err)));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!config) return null;
  return (
    <LocaleProvider timeZone={config.timeZone}>
      <Signed config={config} />
    </LocaleProvider>
  );
}

function Signed({ config }: { config: ConsoleConfig }) {
  const authenticator: Authenticator = useMemo(() => (config.auth.mode === 'cognito' ? new CognitoAuthenticator(config.auth) : new LocalAuthenticator(config.apiUrl)), [config]);
  const [session, setSession] = useState<Session | null>();
  const [permissions, setPermissions] = useState<Permissions>();
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    authenticator.restore().then(
      (s) => setSession(s ?? null),
      (err: unknown) => {
        setFailure(String(err));
        setSession(null);
      },
    );
    fetch(`${config.apiUrl}/openapi.json`)
      .then((r) => r.json())
      .then((doc) => setPermissions(permissionsFrom(doc)), (err: unknown) => setFailure(String(err)));
  }, [authenticator, config.apiUrl]);

  const signOut = useCallback(() => {
    void authenticator.signOut().then(() => setSession(null));
  }, [authenticator]);

  if (failure) return <p role="alert">{failure}</p>;
  if (session === undefined || !permissions) return null;
  if (!session) return <SignIn authenticator={authenticator} onSignedIn={setSession} />;
  return <Shell config={config} session={session} permissions={permissions} signOut={signOut} />;
}

function Shell({ config, session, permissions, signOut }: { config: ConsoleConfig; session: Session; permissions: Permissions; signOut(): void }) {
  const t = useT(common);
  const { locale, setLocale } = useLocale();
  const context: AppContextValue = useMemo(() => {
    const api = new Api(config.apiUrl, async () => session.token, signOut);
    const hasRole = (...roles: string[]) => roles.some((r) => session.roles.includes(r));
    const can = (operationId: string) => {
      const roles = permissions[operationId];
      return roles === 'public' || (Array.isArray(roles) && roles.some((r) => session.roles.includes(r)));
    };
    return { api, session, config, can, hasRole };
  }, [config, session, permissions, signOut]);

  const visible = SCREENS.filter((s) => s.nav && context.can(s.nav.operationId));
  const home = visible[0]?.path ?? 'notifications';

  return (
    <AppContext.Provider value={context}>
      <HashRouter>
        <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
          {t('skipToContent')}
        </a>
        <header className="topbar">
          <span className="brand">{t('appName')}</span>
          <div className="topbar-right">
            <span className="who" aria-label={t('signedInAs')}>
              {session.name} · {session.roles.map((r) => roleLabel(locale, r)).join('、')}
            </span>
            <label className="lang">
              <span className="visually-hidden">{t('language')}</span>
              <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)} aria-label={t('language')}>
                {LOCALES.map((l) => (
                  <option key={l} value={l}>
                    {l === 'zh-CN' ? '中文' : 'English'}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className="secondary" onClick={signOut}>
              {t('signOut')}
            </button>
          </div>
        </header>
        <div className="layout">
          <nav aria-label={t('mainNav')} className="sidebar">
            {NAV_GROUPS.map((group) => {
              const items = visible.filter((s) => s.nav!.group === group);
              if (!items.length) return null;
              return (
                <div key={group} className="nav-group">
                  <h2 className="nav-group-title">{t(`group.${group}`)}</h2>
                  <ul>
                    {items.map((s) => (
                      <li key={s.path}>
                        <NavLink to={`/${s.path}`}>{t(s.nav!.label)}</NavLink>
                      </li>
                    ))}
                  </ul>
                </div>
              );
            })}
          </nav>
          <main id="main" tabIndex={-1}>
            <Suspense fallback={<Loading />}>
              <Routes>
                <Route path="/" element={<Navigate to={`/${home}`} replace />} />
                {SCREENS.map((s) => (
                  <Route key={s.path} path={`/${s.path}`} element={s.operationId && !context.can(s.operationId) ? <Refusal text={t('notAllowed')} /> : s.element} />
                ))}
                <Route path="*" element={<Refusal text={t('notFound')} />} />
              </Routes>
            </Suspense>
          </main>
        </div>
      </HashRouter>
    </AppContext.Provider>
  );
}

/** A page the user cannot open here: still a page, with its heading. */
function Refusal({ text }: { text: string }) {
  const t = useT(common);
  return (
    <Page title={t('appName')}>
      <p role="alert">{text}</p>
    </Page>
  );
}
