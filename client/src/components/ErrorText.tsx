import { useTranslation } from 'react-i18next';
import { errorText } from '../errors';

/** A failed action's reason, announced to screen readers, in the person's language. */
export function ErrorText({ error, id }: { error: unknown; id?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  return (
    <p role="alert" className="error" id={id}>
      {errorText(error, t)}
    </p>
  );
}
