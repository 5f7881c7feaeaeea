import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../App';
import { ErrorText } from '../../components/ErrorText';
import { MeDocument, UpdateProfileDocument } from '../../generated/graphql';

/** The person's own data, to see and correct (rectification); a new email address asks for the password. */
export function Profile({ viewer }: { viewer: Me }) {
  const { t } = useTranslation();
  const [update, updating] = useMutation(UpdateProfileDocument, { refetchQueries: [MeDocument] });
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const text = (name: string) => String(values.get(name) ?? '').trim();
    setSaved(false);
    try {
      await update({
        variables: {
          input: {
            username: text('username'),
            lastName: text('lastName'),
            firstName: text('firstName'),
            email: text('email'),
            currentPassword: text('currentPassword') || null,
          },
        },
      });
      (form.elements.namedItem('currentPassword') as HTMLInputElement).value = '';
      setSaved(true);
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <section aria-labelledby="profile-title">
      <h2 id="profile-title">{t('privacy.profile.title')}</h2>
      <form onSubmit={submit}>
        <label>
          {t('username')}
          <input name="username" autoComplete="username" defaultValue={viewer.username} required />
        </label>
        <label>
          {t('lastName')}
          <input name="lastName" autoComplete="family-name" defaultValue={viewer.lastName ?? ''} required />
        </label>
        <label>
          {t('firstName')}
          <input name="firstName" autoComplete="given-name" defaultValue={viewer.firstName ?? ''} />
        </label>
        <label>
          {t('email')}
          <input name="email" type="email" autoComplete="email" defaultValue={viewer.email ?? ''} required />
        </label>
        <label>
          {t('privacy.profile.currentPassword')}
          <input name="currentPassword" type="password" autoComplete="current-password" />
        </label>
        <button type="submit" disabled={updating.loading}>
          {t('save')}
        </button>
        {saved && <p role="status">{t('saved')}</p>}
        <ErrorText error={updating.error} />
      </form>
    </section>
  );
}
