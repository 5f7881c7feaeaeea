import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CreateThreadDocument,
  CreateWorkspaceDocument,
  MessageEventsDocument,
  PostMessageDocument,
  ThreadMessagesDocument,
  WorkspaceThreadsDocument,
  WorkspacesDocument,
  type ChatMessageFragment,
} from '../generated/graphql';

/** Workspaces and their threads on the left, the chosen thread's messages, live, on the right. */
export function Chat() {
  const { t } = useTranslation();
  const workspaces = useQuery(WorkspacesDocument);
  const [createWorkspace] = useMutation(CreateWorkspaceDocument, { refetchQueries: [WorkspacesDocument] });
  const [threadId, setThreadId] = useState<string | null>(null);

  const submitName = (create: (name: string) => Promise<unknown>) => async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (name) await create(name);
    form.reset();
  };

  return (
    <div className="chat">
      <nav aria-label={t('workspaces')}>
        <h2>{t('workspaces')}</h2>
        {workspaces.data?.workspaces.edges.map(({ node: w }) => (
          <section key={w.id}>
            <h3>{w.name}</h3>
            <Threads workspaceId={w.id} current={threadId} choose={setThreadId} submitName={submitName} />
          </section>
        ))}
        <form onSubmit={submitName((name) => createWorkspace({ variables: { name } }))}>
          <label>
            {t('newWorkspace')}
            <input name="name" />
          </label>
          <button type="submit">{t('create')}</button>
        </form>
      </nav>
      {threadId ? <Thread key={threadId} threadId={threadId} /> : <p className="empty">{t('chooseThread')}</p>}
    </div>
  );
}

/** A workspace's threads, loaded per workspace (one list of lists would cost more than the server allows). */
function Threads(props: { workspaceId: string; current: string | null; choose: (id: string) => void; submitName: (create: (name: string) => Promise<unknown>) => (e: FormEvent<HTMLFormElement>) => void }) {
  const { t } = useTranslation();
  const threads = useQuery(WorkspaceThreadsDocument, { variables: { workspaceId: props.workspaceId } });
  const [createThread] = useMutation(CreateThreadDocument, { refetchQueries: [WorkspaceThreadsDocument] });
  return (
    <>
      <ul>
        {threads.data?.workspace?.threads.edges.map(({ node: thread }) => (
          <li key={thread.id}>
            <button type="button" aria-current={thread.id === props.current} onClick={() => props.choose(thread.id)}>
              {thread.title}
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={props.submitName((title) => createThread({ variables: { workspaceId: props.workspaceId, title } }))}>
        <label>
          {t('newThread')}
          <input name="name" />
        </label>
        <button type="submit">{t('create')}</button>
      </form>
    </>
  );
}

/**
 * One thread: the newest messages, then live events with afterSeq = the last seq seen, so a dropped connection
 * resumes without gaps; messages are kept by id, so nothing shows twice. Posts carry a client id: a retry never doubles.
 */
function Thread({ threadId }: { threadId: string }) {
  const { t } = useTranslation();
  const history = useQuery(ThreadMessagesDocument, { variables: { threadId } });
  const [messages, setMessages] = useState(new Map<string, ChatMessageFragment>());
  // where the live stream starts: set once from the history; after a drop graphql-ws subscribes again with it
  // and the replay fills the gap (messages are kept by id, so the overlap shows once)
  const [startSeq, setStartSeq] = useState<number | null>(null);
  const [post] = useMutation(PostMessageDocument);

  const merge = (incoming: ChatMessageFragment[]) => {
    setMessages((current) => {
      const next = new Map(current);
      for (const m of incoming) next.set(m.id, m);
      return next;
    });
  };

  useEffect(() => {
    const edges = history.data?.thread?.messages.edges ?? [];
    if (!history.data) return;
    merge(edges.map((e) => e.node));
    setStartSeq((s) => s ?? Math.max(0, ...edges.map((e) => e.node.seq)));
  }, [history.data]);

  useSubscription(MessageEventsDocument, {
    variables: { threadId, afterSeq: startSeq },
    skip: startSeq === null,
    onData: ({ data }) => {
      const event = data.data?.messageEvents;
      if (event) merge([event.message]);
    },
  });

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get('body') ?? '').trim();
    if (!body) return;
    const clientId = crypto.randomUUID();
    form.reset();
    const result = await post({ variables: { threadId, body, clientId } });
    if (result.data) merge([result.data.postMessage]);
  }

  const ordered = [...messages.values()].sort((a, b) => a.seq - b.seq);
  return (
    <section className="thread" aria-label={history.data?.thread?.title ?? ''}>
      <h2>{history.data?.thread?.title}</h2>
      <ol className="messages" aria-live="polite">
        {ordered.map((m) => (
          <li key={m.id} data-seq={m.seq}>
            <strong>{m.author ? [m.author.firstName, m.author.lastName].filter(Boolean).join(' ') || m.author.username : '—'}</strong>{' '}
            {m.body ?? <em>{t('deleted')}</em>} {m.editedAt && <small>({t('edited')})</small>}
          </li>
        ))}
      </ol>
      <form onSubmit={send} className="compose">
        <label>
          {t('message')}
          <textarea name="body" rows={2} required />
        </label>
        <button type="submit">{t('send')}</button>
      </form>
    </section>
  );
}
