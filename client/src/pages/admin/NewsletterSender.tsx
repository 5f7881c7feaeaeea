import { useMutation, useQuery } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { NewslettersDocument, SendNewsletterDocument } from '../../generated/graphql';

/** Send to those who opted in; delivery runs as a job, its progress is polled while mail is pending. */
export function NewsletterSender() {
  const { t, i18n } = useTranslation();
  const progress = useQuery(NewslettersDocument);
  const [send, sending] = useMutation(SendNewsletterDocument, { refetchQueries: [NewslettersDocument] });
  const [recipients, setRecipients] = useState<number | null>(null);
  const busy = progress.data?.newsletters.some((n) => n.pending > 0) ?? false;
  const { startPolling, stopPolling } = progress;
  // poll only while something is being delivered
  useEffect(() => {
    if (busy) startPolling(2_000);
    else stopPolling();
  }, [busy, startPolling, stopPolling]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    try {
      const result = await send({ variables: { subject: String(values.get('subject')).trim(), body: String(values.get('body')).trim() } });
      setRecipients(result.data?.sendNewsletter ?? null);
      form.reset();
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <section aria-labelledby="newsletter-title">
      <h2 id="newsletter-title">{t('platform.newsletter.title')}</h2>
      <form onSubmit={submit}>
        <label>
          {t('platform.newsletter.subject')}
          <input name="subject" required maxLength={200} />
        </label>
        <label>
          {t('platform.newsletter.body')}
          <textarea name="body" rows={5} required />
        </label>
        <button type="submit" disabled={sending.loading}>
          {t('platform.newsletter.send')}
        </button>
        {recipients !== null && <p role="status">{t('platform.newsletter.queued', { count: recipients })}</p>}
        <ErrorText error={sending.error} />
      </form>
      <ul className="progress-list">
        {progress.data?.newsletters.map((n) => (
          <li key={n.newsletter.id}>
            <label>
              {n.newsletter.subject} ({new Date(n.newsletter.createdAt).toLocaleString(i18n.resolvedLanguage)}):{' '}
              {t('platform.newsletter.progress', { sent: n.sent, recipients: n.recipients, failed: n.failed })}
              <progress max={Math.max(1, n.recipients)} value={n.sent + n.failed} />
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
