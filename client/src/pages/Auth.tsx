import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { sessionChanged } from '../apollo';
import { errorText } from '../errors';
import { PrivacyStatementDocument, SignInDocument, SignUpDocument } from '../generated/graphql';

/** Sign in, or create an account with only what the privacy statement needs. */
export function Auth() {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'signIn' | 'signUp'>('signIn');
  const [error, setError] = useState<string | null>(null);
  const [signIn, signingIn] = useMutation(SignInDocument);
  const [signUp, signingUp] = useMutation(SignUpDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '');
    setError(null);
    try {
      if (mode === 'signIn') await signIn({ variables: { input: { login: text('login'), password: text('password') } } });
      else
        await signUp({
          variables: {
            input: {
              username: text('username'),
              lastName: text('lastName'),
              firstName: text('firstName') || null,
              email: text('email'),
              password: text('password'),
              newsletterOptIn: form.get('newsletter') === 'on',
            },
          },
        });
      await sessionChanged();
    } catch (e) {
      setError(errorText(e, t));
    }
  }

  const busy = signingIn.loading || signingUp.loading;
  return (
    <main className="auth">
      <h1>{t(mode)}</h1>
      <form onSubmit={submit} aria-describedby={error ? 'auth-error' : undefined}>
        {mode === 'signIn' ? (
          <label>
            {t('login')}
            <input name="login" autoComplete="username" required />
          </label>
        ) : (
          <>
            <label>
              {t('username')}
              <input name="username" autoComplete="username" required />
            </label>
            <label>
              {t('lastName')}
              <input name="lastName" autoComplete="family-name" required />
            </label>
            <label>
              {t('firstName')}
              <input name="firstName" autoComplete="given-name" />
            </label>
            <label>
              {t('email')}
              <input name="email" type="email" autoComplete="email" required />
            </label>
          </>
        )}
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete={mode === 'signIn' ? 'current-password' : 'new-password'} required minLength={mode === 'signUp' ? 10 : undefined} />
        </label>
        {mode === 'signUp' && (
          <>
            <label className="check">
              <input name="newsletter" type="checkbox" /> {t('newsletter')}
            </label>
            <PrivacyStatementLink />
          </>
        )}
        {error && (
          <p id="auth-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t(mode)}
        </button>
      </form>
      <p>
        {mode === 'signIn' ? t('noAccount') : t('haveAccount')}{' '}
        <button type="button" className="link" onClick={() => setMode(mode === 'signIn' ? 'signUp' : 'signIn')}>
          {t(mode === 'signIn' ? 'signUp' : 'signIn')}
        </button>
      </p>
    </main>
  );
}

/** The statement a new person agrees to, readable before they sign up (it is public). */
function PrivacyStatementLink() {
  const { t } = useTranslation();
  const { data } = useQuery(PrivacyStatementDocument);
  return (
    <details className="statement">
      <summary>{t('privacyStatement')}</summary>
      <div className="statement-text">{data?.privacyStatement.text}</div>
    </details>
  );
}
