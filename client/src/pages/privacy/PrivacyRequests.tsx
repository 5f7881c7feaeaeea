import { useMutation, useQuery } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnHeads } from '../../components/ColumnHeads';
import { ErrorText } from '../../components/ErrorText';
import { MyPrivacyRequestsDocument, SubmitPrivacyRequestDocument, type PrivacyRequestType } from '../../generated/graphql';

const TYPES: PrivacyRequestType[] = ['ACCESS', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'PORTABILITY'];

/** Rights that need a person at the platform: submitted here, answered within a month, followed live. */
export function PrivacyRequests() {
  const { t, i18n } = useTranslation();
  const { data } = useQuery(MyPrivacyRequestsDocument);
  const [submit, submitting] = useMutation(SubmitPrivacyRequestDocument, { refetchQueries: [MyPrivacyRequestsDocument] });
  const date = (iso: string) => new Date(iso).toLocaleDateString(i18n.resolvedLanguage);

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    try {
      await submit({ variables: { input: { type: String(values.get('type')) as PrivacyRequestType, details: String(values.get('details') ?? '').trim() || null } } });
      form.reset();
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <section aria-labelledby="requests-title">
      <h2 id="requests-title">{t('privacy.requests.title')}</h2>
      <form onSubmit={send}>
        <label>
          {t('privacy.requests.type')}
          <select name="type">
            {TYPES.map((type) => (
              <option key={type} value={type}>
                {t(`privacy.requests.types.${type}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('privacy.requests.details')}
          <textarea name="details" rows={3} maxLength={5000} />
        </label>
        <button type="submit" disabled={submitting.loading}>
          {t('privacy.requests.submit')}
        </button>
        <ErrorText error={submitting.error} />
      </form>
      {data && data.myPrivacyRequests.length > 0 && (
        <table>
          <caption>{t('privacy.requests.mine')}</caption>
          <ColumnHeads columns={[t('privacy.requests.type'), t('privacy.requests.submitted'), t('privacy.requests.due'), t('privacy.requests.status')]} />
          <tbody>
            {data.myPrivacyRequests.map((r) => (
              <tr key={r.id}>
                <td>{t(`privacy.requests.types.${r.type}`)}</td>
                <td>{date(r.createdAt)}</td>
                <td>{date(r.dueAt)}</td>
                <td data-testid={`request-${r.id}`}>
                  {t(`privacy.requests.statuses.${r.status}`)}
                  {r.resolvedAt && ` (${date(r.resolvedAt)})`}
                  {r.rejectionReason && `: ${r.rejectionReason}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
