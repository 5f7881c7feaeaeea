import { useMutation } from '@apollo/client/react';
import QRCode from 'qrcode';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../App';
import { ErrorText } from '../../components/ErrorText';
import { ConfirmTotpDocument, EnrollTotpDocument, MeDocument, SetTransactionPinDocument } from '../../generated/graphql';

/** The proofs important tasks ask for: a transaction PIN, or an authenticator app enrolled by QR code. */
export function StepUpSetup({ viewer }: { viewer: Me }) {
  const { t } = useTranslation();
  const [setPin, settingPin] = useMutation(SetTransactionPinDocument, { refetchQueries: [MeDocument] });
  const [enroll, enrolling] = useMutation(EnrollTotpDocument);
  const [confirm, confirming] = useMutation(ConfirmTotpDocument, { refetchQueries: [MeDocument] });
  const [pinSaved, setPinSaved] = useState(false);
  const enrollment = enrolling.data?.enrollTotp;

  async function savePin(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    setPinSaved(false);
    try {
      await setPin({ variables: { password: String(values.get('password')), pin: String(values.get('pin')) } });
      form.reset();
      setPinSaved(true);
    } catch {
      // ErrorText shows why
    }
  }

  async function confirmCode(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await confirm({ variables: { code: String(new FormData(event.currentTarget).get('code')).trim() } }).catch(() => {});
  }

  return (
    <section aria-labelledby="step-up-title">
      <h2 id="step-up-title">{t('privacy.stepUp.title')}</h2>
      <p>{t('privacy.stepUp.text')}</p>
      <form onSubmit={savePin}>
        <h3>{viewer.hasTransactionPin ? t('privacy.stepUp.changePin') : t('privacy.stepUp.setPin')}</h3>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <label>
          {t('privacy.stepUp.newPin')}
          <input name="pin" type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,8}" required />
        </label>
        <button type="submit">{t('privacy.stepUp.savePin')}</button>
        {pinSaved && <p role="status">{t('saved')}</p>}
        <ErrorText error={settingPin.error} />
      </form>
      <h3>{t('privacy.stepUp.totp')}</h3>
      {viewer.totpEnabled && !enrollment ? (
        <p>{t('privacy.stepUp.totpOn')}</p>
      ) : enrollment && !confirming.data ? (
        <form onSubmit={confirmCode}>
          <p>{t('privacy.stepUp.scan')}</p>
          <QrCode text={enrollment.uri} label={t('privacy.stepUp.qr')} />
          <p>
            {t('privacy.stepUp.secret')} <code>{enrollment.secret}</code>
          </p>
          <label>
            {t('stepUp.totp')}
            <input name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" required />
          </label>
          <button type="submit">{t('privacy.stepUp.confirm')}</button>
          <ErrorText error={confirming.error} />
        </form>
      ) : confirming.data ? (
        <p role="status">{t('privacy.stepUp.totpOn')}</p>
      ) : null}
      {!enrollment && (
        <button type="button" onClick={() => void enroll().catch(() => {})}>
          {viewer.totpEnabled ? t('privacy.stepUp.reenroll') : t('privacy.stepUp.enroll')}
        </button>
      )}
      <ErrorText error={enrolling.error} />
    </section>
  );
}

/** The otpauth URI as a QR code, drawn in the browser: the secret never leaves for a QR service. */
function QrCode({ text, label }: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    void QRCode.toDataURL(text, { margin: 1, width: 200 }).then(setSrc);
  }, [text]);
  return src ? <img className="qr" src={src} alt={label} width={200} height={200} /> : null;
}
