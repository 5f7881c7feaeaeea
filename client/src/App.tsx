import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { sessionChanged } from './apollo';
import { MeDocument, SignOutDocument } from './generated/graphql';
import { Auth } from './pages/Auth';
import { Chat } from './pages/Chat';

export function App() {
  const { t, i18n } = useTranslation();
  const me = useQuery(MeDocument);
  const [signOut] = useMutation(SignOutDocument);

  return (
    <>
      <header>
        <span className="brand">{t('appName')}</span>
        <label>
          {t('language')}
          <select value={i18n.language} onChange={(e) => void i18n.changeLanguage(e.target.value)}>
            <option value="nl">Nederlands</option>
            <option value="en">English</option>
          </select>
        </label>
        {me.data?.me && (
          <button
            type="button"
            onClick={async () => {
              await signOut();
              await sessionChanged();
            }}
          >
            {t('signOut')} ({me.data.me.username})
          </button>
        )}
      </header>
      {me.loading ? null : me.data?.me ? <Chat /> : <Auth />}
    </>
  );
}
