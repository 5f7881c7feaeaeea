import { useMutation } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../App';
import { sessionChanged } from '../../apollo';
import { ErrorText } from '../../components/ErrorText';
import { StepUpFields, stepUpFrom } from '../../components/StepUpFields';
import { DeleteAccountDocument } from '../../generated/graphql';

/** Erasure as self-service: the password and a step-up proof, with what is kept said plainly first. */
export function DeleteAccount({ viewer }: { viewer: Me }) {
  const { t } = useTranslation();
  const [remove, removing] = useMutation(DeleteAccountDocument);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const values = new FormData(event.currentTarget);
    try {
      await remove({ variables: { password: String(values.get('password')), stepUp: stepUpFrom(values) } });
      await sessionChanged();
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <section aria-labelledby="delete-title" className="danger">
      <h2 id="delete-title">{t('privacy.delete.title')}</h2>
      <p>{t('privacy.delete.warning')}</p>
      <form onSubmit={submit}>
        <label>
          {t('password')}
          <input name="password" type="password" autoComplete="current-password" required />
        </label>
        <StepUpFields hasPin={!!viewer.hasTransactionPin} hasTotp={!!viewer.totpEnabled} />
        <label className="check">
          <input type="checkbox" name="understood" required /> {t('privacy.delete.understood')}
        </label>
        <button type="submit" className="danger" disabled={removing.loading}>
          {t('privacy.delete.submit')}
        </button>
        <ErrorText error={removing.error} />
      </form>
    </section>
  );
}
