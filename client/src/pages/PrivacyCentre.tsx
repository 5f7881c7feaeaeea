import { useTranslation } from 'react-i18next';
import type { Me } from '../App';
import { Consents } from './privacy/Consents';
import { DeleteAccount } from './privacy/DeleteAccount';
import { PrivacyRequests } from './privacy/PrivacyRequests';
import { Profile } from './privacy/Profile';
import { StepUpSetup } from './privacy/StepUpSetup';

/** Every right of the privacy statement that can be self-service, in one place. */
export function PrivacyCentre({ viewer }: { viewer: Me }) {
  const { t } = useTranslation();
  return (
    <main className="page privacy">
      <h1>{t('privacy.title')}</h1>
      <Profile viewer={viewer} />
      <Consents />
      <section aria-labelledby="export-title">
        <h2 id="export-title">{t('privacy.export.title')}</h2>
        <p>{t('privacy.export.text')}</p>
        <a className="button" href="/me/export" download>
          {t('privacy.export.download')}
        </a>
      </section>
      <PrivacyRequests />
      <StepUpSetup viewer={viewer} />
      <DeleteAccount viewer={viewer} />
    </main>
  );
}
