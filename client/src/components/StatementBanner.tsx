import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { AcknowledgePrivacyStatementDocument, PrivacyStatementDocument } from '../generated/graphql';
import { ErrorText } from './ErrorText';

/**
 * A privacy statement the person has not acknowledged yet: shown above every page until they do. A newly published
 * version arrives live (the notification re-fetches the statement) and brings the banner back.
 */
export function StatementBanner() {
  const { t } = useTranslation();
  const { data } = useQuery(PrivacyStatementDocument);
  const [acknowledge, acknowledging] = useMutation(AcknowledgePrivacyStatementDocument, { refetchQueries: [PrivacyStatementDocument] });
  const statement = data?.privacyStatement;
  if (!statement || statement.acknowledged !== false) return null;
  return (
    <aside className="banner" aria-labelledby="statement-banner-title">
      <h2 id="statement-banner-title">{t('statement.banner', { version: statement.version })}</h2>
      <details>
        <summary>{t('statement.read')}</summary>
        <div className="statement-text">{statement.text}</div>
      </details>
      <button type="button" disabled={acknowledging.loading} onClick={() => void acknowledge({ variables: { version: statement.version } }).catch(() => {})}>
        {t('statement.acknowledge')}
      </button>
      <ErrorText error={acknowledging.error} />
    </aside>
  );
}
