import { useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { ColumnHeads } from '../../components/ColumnHeads';
import { AuditLogDocument } from '../../generated/graphql';

/** Who did what and when; pages through older entries on request. */
export function AuditLog() {
  const { t, i18n } = useTranslation();
  const { data, fetchMore } = useQuery(AuditLogDocument);
  const page = data?.auditLog;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('platform.audit.title')}</h2>
      <table>
        <ColumnHeads columns={[t('platform.audit.at'), t('platform.audit.action'), t('platform.audit.actor'), 'IP']} />
        <tbody>
          {page?.edges.map(({ node: e }) => (
            <tr key={e.id}>
              <td>{new Date(e.at).toLocaleString(i18n.resolvedLanguage)}</td>
              <td>{e.action}</td>
              <td>{e.actor?.username ?? '—'}</td>
              <td>{e.ip ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page?.pageInfo.hasNextPage && (
        <button
          type="button"
          onClick={() =>
            void fetchMore({
              variables: { after: page.pageInfo.endCursor },
              updateQuery: (previous, { fetchMoreResult }) => ({
                auditLog: { ...fetchMoreResult.auditLog, edges: [...previous.auditLog.edges, ...fetchMoreResult.auditLog.edges] },
              }),
            })
          }
        >
          {t('platform.audit.more')}
        </button>
      )}
    </section>
  );
}
