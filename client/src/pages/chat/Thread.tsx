import { useApolloClient, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../../App';
import { ErrorText } from '../../components/ErrorText';
import { MessageEventsDocument, PostMessageDocument, ThreadMessagesDocument } from '../../generated/graphql';
import { firstUnread, inThreadOrder, mergeMessages, readMarks, type MessagesById } from '../../lib/messages';
import { MessageItem } from './MessageItem';
import { TypingIndicator, useTypingAnnouncer } from './Typing';

type Pending = { clientId: string; body: string; failed: unknown };

/**
 * One thread: the newest page, older pages as the person scrolls up, then live events from afterSeq = the newest
 * seq of the first page, so a dropped connection resumes without gaps (graphql-ws subscribes again with the same
 * variables; the replay overlaps what is shown and messages are kept by id, so nothing shows twice).
 */
export function Thread({ threadId, viewer }: { threadId: string; viewer: Me }) {
  const { t } = useTranslation();
  const apollo = useApolloClient();
  const first = useQuery(ThreadMessagesDocument, { variables: { threadId }, fetchPolicy: 'network-only' });
  const [messages, setMessages] = useState<MessagesById>(new Map());
  const [startSeq, setStartSeq] = useState<number | null>(null);
  const [older, setOlder] = useState<{ cursor: string | null; more: boolean; loading: boolean }>({ cursor: null, more: false, loading: false });
  const [pending, setPending] = useState<Pending[]>([]);
  const [unreadFrom, setUnreadFrom] = useState<string | null>(null);
  const [post] = useMutation(PostMessageDocument);
  const announceTyping = useTypingAnnouncer(threadId);
  const list = useRef<HTMLOListElement>(null);
  const top = useRef<HTMLLIElement>(null);
  const scrollAnchor = useRef<{ height: number; top: number } | null>(null);
  const atBottomOnce = useRef(false);

  const merge = (incoming: Parameters<typeof mergeMessages>[1]) => setMessages((current) => mergeMessages(current, incoming));

  useEffect(() => {
    const page = first.data?.thread?.messages;
    if (!page) return;
    const nodes = page.edges.map((e) => e.node);
    merge(nodes);
    setOlder({ cursor: page.pageInfo.startCursor ?? null, more: page.pageInfo.hasPreviousPage, loading: false });
    setStartSeq((s) => s ?? Math.max(0, ...nodes.map((n) => n.seq)));
    setUnreadFrom((marker) => marker ?? firstUnread(nodes, readMarks.get(threadId), viewer.id));
  }, [first.data]);

  useSubscription(MessageEventsDocument, {
    variables: { threadId, afterSeq: startSeq },
    skip: startSeq === null,
    onData: ({ data }) => {
      const event = data.data?.messageEvents;
      if (event) merge([event.message]);
    },
  });

  const ordered = inThreadOrder(messages);
  const newestSeq = ordered.at(-1)?.seq ?? 0;
  // what is on screen counts as read on this device
  useEffect(() => {
    if (newestSeq > 0) readMarks.set(threadId, newestSeq);
  }, [threadId, newestSeq]);

  // new messages keep the view at the bottom when the person was there; an older page keeps their place
  useLayoutEffect(() => {
    const element = list.current;
    if (!element) return;
    const anchor = scrollAnchor.current;
    if (!atBottomOnce.current && messages.size > 0) {
      // a thread opens at its newest message; only then may scrolling up fetch older pages
      element.scrollTop = element.scrollHeight;
      atBottomOnce.current = true;
    } else if (anchor) {
      element.scrollTop = anchor.top + (element.scrollHeight - anchor.height);
      scrollAnchor.current = null;
    } else if (element.scrollHeight - element.scrollTop - element.clientHeight < 160) {
      element.scrollTop = element.scrollHeight;
    }
  }, [messages, pending]);

  async function loadOlder() {
    if (!older.more || older.loading || !older.cursor) return;
    setOlder((o) => ({ ...o, loading: true }));
    try {
      const { data } = await apollo.query({ query: ThreadMessagesDocument, variables: { threadId, before: older.cursor }, fetchPolicy: 'network-only' });
      const page = data?.thread?.messages;
      if (list.current) scrollAnchor.current = { height: list.current.scrollHeight, top: list.current.scrollTop };
      if (page) merge(page.edges.map((e) => e.node));
      setOlder({ cursor: page?.pageInfo.startCursor ?? null, more: page?.pageInfo.hasPreviousPage ?? false, loading: false });
    } catch {
      setOlder((o) => ({ ...o, loading: false }));
    }
  }

  // scrolling to the top fetches the page before it
  useEffect(() => {
    const sentinel = top.current;
    if (!sentinel || !older.more || !atBottomOnce.current) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && void loadOlder(), { root: list.current });
    observer.observe(sentinel);
    return () => observer.disconnect();
  });

  /** Shown at once; the client id makes a retry of the same message store it once, whatever the network did. */
  async function deliver(item: Pending) {
    setPending((all) => [...all.filter((p) => p.clientId !== item.clientId), { ...item, failed: null }]);
    try {
      const result = await post({ variables: { threadId, body: item.body, clientId: item.clientId } });
      if (result.data) merge([result.data.postMessage]);
      setPending((all) => all.filter((p) => p.clientId !== item.clientId));
    } catch (error) {
      setPending((all) => all.map((p) => (p.clientId === item.clientId ? { ...p, failed: error } : p)));
    }
  }

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (!body) return;
    form.reset();
    announceTyping(false);
    void deliver({ clientId: crypto.randomUUID(), body, failed: null });
  }

  const title = first.data?.thread?.title ?? '';
  return (
    <section className="thread" aria-label={title}>
      <h2>{title}</h2>
      <ol className="messages" ref={list} aria-live="polite" aria-relevant="additions text">
        {older.more && (
          <li ref={top} className="older">
            <button type="button" className="link" disabled={older.loading} onClick={() => void loadOlder()}>
              {t('chat.older')}
            </button>
          </li>
        )}
        {ordered.map((m) => (
          <MessageItem key={m.id} message={m} own={m.author?.id === viewer.id} unreadMarker={m.id === unreadFrom} />
        ))}
        {pending.map((p) => (
          <li key={p.clientId} className="pending">
            <strong>{viewer.username}</strong> {p.body} <small>{p.failed ? t('chat.failed') : t('chat.sending')}</small>
            {p.failed ? (
              <>
                <button type="button" className="link" onClick={() => void deliver(p)}>
                  {t('chat.retry')}
                </button>
                <ErrorText error={p.failed} />
              </>
            ) : null}
          </li>
        ))}
      </ol>
      <TypingIndicator threadId={threadId} viewerId={viewer.id} />
      <form onSubmit={send} className="compose">
        <label>
          {t('message')}
          <textarea
            name="body"
            rows={2}
            required
            maxLength={10000}
            onInput={(e) => announceTyping(e.currentTarget.value.length > 0)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
        </label>
        <button type="submit">{t('send')}</button>
      </form>
    </section>
  );
}
