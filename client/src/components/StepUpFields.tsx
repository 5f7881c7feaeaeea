import { useTranslation } from 'react-i18next';
import type { StepUpInput } from '../generated/graphql';

/**
 * The proof an important task asks for: the transaction PIN or a code from the authenticator app. Which one is
 * offered follows what the person has set up.
 */
export function StepUpFields({ hasPin, hasTotp }: { hasPin: boolean; hasTotp: boolean }) {
  const { t } = useTranslation();
  if (!hasPin && !hasTotp) return <p className="notice">{t('stepUp.none')}</p>;
  return (
    <fieldset className="step-up">
      <legend>{t('stepUp.legend')}</legend>
      {hasPin && (
        <label>
          {t('stepUp.pin')}
          <input name="pin" type="password" inputMode="numeric" autoComplete="off" pattern="[0-9]{4,8}" />
        </label>
      )}
      {hasTotp && (
        <label>
          {t('stepUp.totp')}
          <input name="totpCode" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]{6}" />
        </label>
      )}
    </fieldset>
  );
}

/** The step-up proof from a form that holds StepUpFields: whichever field was filled in. */
export function stepUpFrom(form: FormData): StepUpInput {
  const pin = String(form.get('pin') ?? '').trim();
  const totpCode = String(form.get('totpCode') ?? '').trim();
  return { pin: pin || null, totpCode: totpCode || null };
}
