import { useMutation, useQuery } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { StepUpFields, stepUpFrom } from '../../components/StepUpFields';
import { MeDocument, PartnersDocument, CreatePartnerDocument, RevokePartnerKeyDocument } from '../../generated/graphql';

/** Partners and their API keys. A new key is shown once: only its hash is stored. */
export function Partners() {
  const { t, i18n } = useTranslation();
  const me = useQuery(MeDocument);
  const { data } = useQuery(PartnersDocument);
  const [create, creating] = useMutation(CreatePartnerDocument, { refetchQueries: [PartnersDocument] });
  const [revoke, revoking] = useMutation(RevokePartnerKeyDocument);
  const made = creating.data?.createPartner;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    try {
      await create({ variables: { name: String(values.get('name')).trim(), stepUp: stepUpFrom(values) } });
      form.reset();
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <section aria-labelledby="partners-title">
      <h2 id="partners-title">{t('platform.partners.title')}</h2>
      <ul>
        {data?.partners.map((p) => (
          <li key={p.id}>
            {p.name} ({new Date(p.createdAt).toLocaleDateString(i18n.resolvedLanguage)}){' '}
            <button type="button" onClick={() => void revoke({ variables: { partnerId: p.id } }).catch(() => {})}>
              {t('platform.partners.revoke', { name: p.name })}
            </button>
          </li>
        ))}
      </ul>
      {revoking.data && <p role="status">{t('platform.partners.revoked')}</p>}
      <ErrorText error={revoking.error} />
      <form onSubmit={submit}>
        <label>
          {t('platform.partners.name')}
          <input name="name" required maxLength={100} />
        </label>
        <StepUpFields hasPin={!!me.data?.me?.hasTransactionPin} hasTotp={!!me.data?.me?.totpEnabled} />
        <button type="submit" disabled={creating.loading}>
          {t('platform.partners.create')}
        </button>
        <ErrorText error={creating.error} />
      </form>
      {made && (
        <div className="key-once" role="status">
          <p>{t('platform.partners.keyOnce', { name: made.partner.name })}</p>
          <code>{made.apiKey}</code>
        </div>
      )}
    </section>
  );
}
