import { useTranslation } from 'react-i18next';
import { AuditLog } from './AuditLog';
import { NewsletterSender } from './NewsletterSender';
import { Partners } from './Partners';
import { PrivacyQueue } from './PrivacyQueue';
import { PublishStatement } from './PublishStatement';
import { UsageChart } from './UsageChart';

/** The platform admins' tools. The server checks the role on every operation; this page only arranges them. */
export function PlatformAdmin() {
  const { t } = useTranslation();
  return (
    <main className="page admin">
      <h1>{t('platform.title')}</h1>
      <PrivacyQueue />
      <PublishStatement />
      <NewsletterSender />
      <Partners />
      <UsageChart />
      <AuditLog />
    </main>
  );
}
