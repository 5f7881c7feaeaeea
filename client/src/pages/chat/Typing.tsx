import { useMutation, useSubscription } from '@apollo/client/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SetTypingDocument, TypingDocument } from '../../generated/graphql';

/** How long a "typing" lasts without a renewal: a closed tab never sends its "stopped". */
const TYPING_TTL_MS = 6_000;
const RENEW_EVERY_MS = 3_000;

/** Who else is typing in the thread, from the typing subscription. */
export function TypingIndicator({ threadId, viewerId }: { threadId: string; viewerId: string }) {
  const { t } = useTranslation();
  const [typists, setTypists] = useState(new Map<string, { username: string; until: number }>());
  useSubscription(TypingDocument, {
    variables: { threadId },
    onData: ({ data }) => {
      const event = data.data?.typing;
      if (!event || event.user.id === viewerId) return;
      setTypists((current) => {
        const next = new Map(current);
        if (event.typing) next.set(event.user.id, { username: event.user.username, until: Date.now() + TYPING_TTL_MS });
        else next.delete(event.user.id);
        return next;
      });
    },
  });
  // forget typists whose renewal did not come
  useEffect(() => {
    if (typists.size === 0) return;
    const timer = setInterval(() => setTypists((current) => new Map([...current].filter(([, v]) => v.until > Date.now()))), 1_000);
    return () => clearInterval(timer);
  }, [typists.size]);
  const names = [...typists.values()].map((v) => v.username);
  return (
    <p className="typing" aria-live="polite">
      {names.length > 0 ? t('chat.typing', { names: names.join(', '), count: names.length }) : '\u00a0'}
    </p>
  );
}

/** Tells the others the person is typing: at most once per few seconds, and "stopped" after a pause or on send. */
export function useTypingAnnouncer(threadId: string): (typing: boolean) => void {
  const [setTyping] = useMutation(SetTypingDocument);
  const lastSent = useRef(0);
  const stopTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const announce = useCallback(
    (typing: boolean) => {
      clearTimeout(stopTimer.current);
      const send = (value: boolean) => void setTyping({ variables: { threadId, typing: value } }).catch(() => {});
      if (!typing) {
        if (lastSent.current > 0) send(false);
        lastSent.current = 0;
        return;
      }
      if (Date.now() - lastSent.current > RENEW_EVERY_MS) {
        lastSent.current = Date.now();
        send(true);
      }
      stopTimer.current = setTimeout(() => announce(false), RENEW_EVERY_MS + 1_000);
    },
    [threadId, setTyping],
  );
  useEffect(() => () => clearTimeout(stopTimer.current), []);
  return announce;
}
