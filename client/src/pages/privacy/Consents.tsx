import { useMutation, useQuery } from '@apollo/client/react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { MeDocument, MyConsentsDocument, SetConsentDocument, type ConsentPurpose } from '../../generated/graphql';
import { consentState, type ConsentRecord } from '../../lib/consents';

/** One switch per purpose and per partner of each workspace, each with its history from the consent ledger. */
export function Consents() {
  const { t } = useTranslation();
  const { data } = useQuery(MyConsentsDocument, { fetchPolicy: 'cache-and-network' });
  const [setConsent, setting] = useMutation(SetConsentDocument, { refetchQueries: [MyConsentsDocument, MeDocument] });
  if (!data) return null;
  const ledger = data.myConsents;
  const toggle = (purpose: ConsentPurpose, granted: boolean, partnerId: string | null = null) =>
    void setConsent({ variables: { input: { purpose, granted, partnerId } } }).catch(() => {});

  return (
    <section aria-labelledby="consents-title">
      <h2 id="consents-title">{t('privacy.consents.title')}</h2>
      <ConsentSwitch label={t('privacy.consents.NEWSLETTER')} ledger={ledger} purpose="NEWSLETTER" onChange={(g) => toggle('NEWSLETTER', g)} />
      <ConsentSwitch label={t('privacy.consents.USAGE_ANALYTICS')} ledger={ledger} purpose="USAGE_ANALYTICS" onChange={(g) => toggle('USAGE_ANALYTICS', g)} />
      {data.workspaces.edges.map(({ node: w }) =>
        (w.dataRecipients ?? []).map((partner) => (
          <ConsentSwitch
            key={`${w.id}:${partner.id}`}
            label={t('privacy.consents.PARTNER_SHARING', { partner: partner.name, workspace: w.name })}
            ledger={ledger}
            purpose="PARTNER_SHARING"
            partnerId={partner.id}
            onChange={(g) => toggle('PARTNER_SHARING', g, partner.id)}
          />
        )),
      )}
      <ErrorText error={setting.error} />
    </section>
  );
}

function ConsentSwitch(props: { label: string; ledger: readonly ConsentRecord[]; purpose: ConsentPurpose; partnerId?: string; onChange: (granted: boolean) => void }) {
  const { t, i18n } = useTranslation();
  const { granted, history } = consentState(props.ledger, props.purpose, props.partnerId);
  return (
    <div className="consent">
      <label className="switch">
        <input type="checkbox" role="switch" checked={granted} onChange={(e) => props.onChange(e.currentTarget.checked)} /> {props.label}
      </label>
      {history.length > 0 && (
        <details>
          <summary>{t('privacy.consents.history')}</summary>
          <ul>
            {history.map((record) => (
              <li key={record.at}>
                {new Date(record.at).toLocaleString(i18n.resolvedLanguage)}: {record.granted ? t('privacy.consents.given') : t('privacy.consents.withdrawn')} ({t(`privacy.consents.source.${record.source}`, { defaultValue: record.source })})
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}
