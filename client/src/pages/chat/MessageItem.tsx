import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { DeleteMessageDocument, EditMessageDocument, type ChatMessageFragment } from '../../generated/graphql';
import { displayName } from '../../lib/messages';

/** One message; its author may edit or delete it (the live event brings the change to everyone else). */
export function MessageItem({ message, own, unreadMarker }: { message: ChatMessageFragment; own: boolean; unreadMarker: boolean }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [edit, editState] = useMutation(EditMessageDocument);
  const [remove, removeState] = useMutation(DeleteMessageDocument);
  const deleted = message.deletedAt !== null && message.deletedAt !== undefined;

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget).get('body') ?? '').trim();
    if (!body) return;
    try {
      await edit({ variables: { id: message.id, body } });
      setEditing(false);
    } catch {
      // ErrorText shows why
    }
  }

  return (
    <>
      {unreadMarker && (
        <li className="unread" role="separator" aria-label={t('chat.unread')}>
          {t('chat.unread')}
        </li>
      )}
      <li data-seq={message.seq} className={own ? 'own' : undefined}>
        <strong>{displayName(message.author)}</strong>{' '}
        <time dateTime={message.createdAt}>{new Date(message.createdAt).toLocaleTimeString(i18n.resolvedLanguage, { hour: '2-digit', minute: '2-digit' })}</time>{' '}
        {editing ? (
          <form onSubmit={save} className="inline">
            <label>
              {t('chat.editLabel')}
              <textarea name="body" defaultValue={message.body ?? ''} rows={2} required autoFocus />
            </label>
            <button type="submit">{t('save')}</button>
            <button type="button" onClick={() => setEditing(false)}>
              {t('cancel')}
            </button>
          </form>
        ) : (
          <span className="body">{deleted ? <em>{t('deleted')}</em> : message.body}</span>
        )}{' '}
        {message.editedAt && !deleted && <small>({t('edited')})</small>}
        {own && !deleted && !editing && (
          <span className="actions">
            <button type="button" className="link" onClick={() => setEditing(true)}>
              {t('chat.edit')}
            </button>
            <button type="button" className="link" onClick={() => void remove({ variables: { id: message.id } }).catch(() => {})}>
              {t('chat.delete')}
            </button>
          </span>
        )}
        <ErrorText error={editState.error ?? removeState.error} />
      </li>
    </>
  );
}
