import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { PrivacyStatementDocument, PublishPrivacyStatementDocument } from '../../generated/graphql';

/** A new version of the privacy statement: everyone connected is told at once and asked to acknowledge it. */
export function PublishStatement() {
  const { t } = useTranslation();
  const { data } = useQuery(PrivacyStatementDocument);
  const [publish, publishing] = useMutation(PublishPrivacyStatementDocument, { refetchQueries: [PrivacyStatementDocument] });
  const [published, setPublished] = useState<number | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get('text') ?? '').trim();
    try {
      const result = await publish({ variables: { text } });
      setPublished(result.data?.publishPrivacyStatement.version ?? null);
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <section aria-labelledby="statement-title">
      <h2 id="statement-title">{t('platform.statement.title')}</h2>
      {data && <p>{t('platform.statement.current', { version: data.privacyStatement.version })}</p>}
      <form onSubmit={submit} key={data?.privacyStatement.version}>
        <label>
          {t('platform.statement.text')}
          <textarea name="text" rows={8} required defaultValue={data?.privacyStatement.text} />
        </label>
        <button type="submit" disabled={publishing.loading}>
          {t('platform.statement.publish')}
        </button>
        {published !== null && <p role="status">{t('platform.statement.published', { version: published })}</p>}
        <ErrorText error={publishing.error} />
      </form>
    </section>
  );
}
