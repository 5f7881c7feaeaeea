import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { PrivacyQueueDocument, ResolvePrivacyRequestDocument, type PrivacyQueueQuery } from '../../generated/graphql';

type Request = PrivacyQueueQuery['privacyRequests'][number];

/** Open requests, the most overdue first (the server's order); a rejection needs its reason. */
export function PrivacyQueue() {
  const { t } = useTranslation();
  const { data } = useQuery(PrivacyQueueDocument, { variables: { status: 'OPEN' }, pollInterval: 30_000 });
  return (
    <section aria-labelledby="queue-title">
      <h2 id="queue-title">{t('platform.queue.title')}</h2>
      {data?.privacyRequests.length === 0 && <p>{t('platform.queue.empty')}</p>}
      <ul className="queue">
        {data?.privacyRequests.map((r) => (
          <QueueItem key={r.id} request={r} />
        ))}
      </ul>
    </section>
  );
}

function QueueItem({ request }: { request: Request }) {
  const { t, i18n } = useTranslation();
  const [rejecting, setRejecting] = useState(false);
  const [resolve, resolving] = useMutation(ResolvePrivacyRequestDocument, { refetchQueries: [PrivacyQueueDocument] });
  const overdue = new Date(request.dueAt).getTime() < Date.now();

  async function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    await resolve({ variables: { input: { id: request.id, status: 'REJECTED', rejectionReason: reason } } }).catch(() => {});
  }

  return (
    <li className={overdue ? 'overdue' : undefined}>
      <strong>{t(`privacy.requests.types.${request.type}`)}</strong> {t('platform.queue.by', { name: request.requester?.username ?? '—', email: request.requester?.email ?? '' })}{' '}
      <span>
        {t('privacy.requests.due')}: {new Date(request.dueAt).toLocaleDateString(i18n.resolvedLanguage)}
        {overdue && <strong className="error"> {t('platform.queue.overdue')}</strong>}
      </span>
      {request.details && <blockquote>{request.details}</blockquote>}
      <button type="button" onClick={() => void resolve({ variables: { input: { id: request.id, status: 'COMPLETED' } } }).catch(() => {})}>
        {t('platform.queue.complete')}
      </button>
      <button type="button" onClick={() => setRejecting(true)}>
        {t('platform.queue.reject')}
      </button>
      {rejecting && (
        <form onSubmit={reject}>
          <label>
            {t('platform.queue.reason')}
            <textarea name="reason" required rows={2} maxLength={2000} />
          </label>
          <button type="submit">{t('platform.queue.confirmReject')}</button>
        </form>
      )}
      <ErrorText error={resolving.error} />
    </li>
  );
}
