import { useMutation, useQuery } from '@apollo/client/react';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { sessionChanged } from './apollo';
import { LiveNotifications } from './components/LiveNotifications';
import { StatementBanner } from './components/StatementBanner';
import { CurrentWorkspaceProvider } from './components/CurrentWorkspace';
import { MeDocument, SignOutDocument, type MeQuery } from './generated/graphql';
import { Auth } from './pages/Auth';
import { Chat } from './pages/Chat';
import { Documents } from './pages/Documents';
import { PrivacyCentre } from './pages/PrivacyCentre';
import { WorkspaceAdmin } from './pages/WorkspaceAdmin';

// the admin tools and GraphiQL (Monaco is large) load only when an admin opens them
const PlatformAdmin = lazy(() => import('./pages/admin/PlatformAdmin').then((m) => ({ default: m.PlatformAdmin })));
const GraphiQLPage = lazy(() => import('./pages/GraphiQLPage').then((m) => ({ default: m.GraphiQLPage })));

export type Me = NonNullable<MeQuery['me']>;

export function App() {
  const { t, i18n } = useTranslation();
  const me = useQuery(MeDocument);
  const [signOut] = useMutation(SignOutDocument);
  const viewer = me.data?.me ?? null;

  return (
    <>
      <a className="skip" href="#main">
        {t('skipToContent')}
      </a>
      <header>
        <span className="brand">{t('appName')}</span>
        {viewer && (
          <nav aria-label={t('nav.label')} className="pages">
            <NavLink to="/" end>
              {t('nav.chat')}
            </NavLink>
            <NavLink to="/documents">{t('nav.documents')}</NavLink>
            <NavLink to="/workspace">{t('nav.workspace')}</NavLink>
            <NavLink to="/privacy">{t('nav.privacy')}</NavLink>
            {viewer.platformRole === 'ADMIN' && <NavLink to="/admin">{t('nav.admin')}</NavLink>}
            {viewer.platformRole === 'ADMIN' && <NavLink to="/graphiql">GraphiQL</NavLink>}
          </nav>
        )}
        <label className="language" htmlFor="language">
          {t('language')}
        </label>
        <select id="language" value={i18n.resolvedLanguage} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
        </select>
        {viewer && (
          <button
            type="button"
            onClick={async () => {
              await signOut();
              await sessionChanged();
            }}
          >
            {t('signOut')} ({viewer.username})
          </button>
        )}
      </header>
      {viewer && <StatementBanner />}
      {viewer && <LiveNotifications />}
      <div id="main">{me.loading ? null : viewer ? <SignedIn viewer={viewer} /> : <Auth />}</div>
    </>
  );
}

function SignedIn({ viewer }: { viewer: Me }) {
  const { t } = useTranslation();
  return (
    <CurrentWorkspaceProvider>
      <Suspense fallback={<p className="empty">{t('loading')}</p>}>
        <Routes>
          <Route path="/" element={<Chat viewer={viewer} />} />
          <Route path="/documents" element={<Documents viewer={viewer} />} />
          <Route path="/workspace" element={<WorkspaceAdmin viewer={viewer} />} />
          <Route path="/privacy" element={<PrivacyCentre viewer={viewer} />} />
          <Route path="/admin" element={viewer.platformRole === 'ADMIN' ? <PlatformAdmin /> : <AdminsOnly />} />
          <Route path="/graphiql" element={viewer.platformRole === 'ADMIN' ? <GraphiQLPage /> : <AdminsOnly />} />
          <Route path="*" element={<p className="empty">{t('notFound')}</p>} />
        </Routes>
      </Suspense>
    </CurrentWorkspaceProvider>
  );
}

function AdminsOnly() {
  const { t } = useTranslation();
  return (
    <main className="page">
      <h1>{t('adminsOnly.title')}</h1>
      <p>{t('adminsOnly.text')}</p>
    </main>
  );
}
