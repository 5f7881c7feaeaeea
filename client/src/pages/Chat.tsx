import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me } from '../App';
import { useCurrentWorkspace, WorkspaceSwitcher } from '../components/CurrentWorkspace';
import { ErrorText } from '../components/ErrorText';
import { CreateThreadDocument, CreateWorkspaceDocument, WorkspacesDocument, WorkspaceThreadsDocument } from '../generated/graphql';
import { Thread } from './chat/Thread';

/** The current workspace's threads on the left, the chosen thread, live, on the right. */
export function Chat({ viewer }: { viewer: Me }) {
  const { t } = useTranslation();
  const { current, choose } = useCurrentWorkspace();
  const [threadId, setThreadId] = useState<string | null>(null);
  const [createWorkspace, creatingWorkspace] = useMutation(CreateWorkspaceDocument, { refetchQueries: [WorkspacesDocument] });

  return (
    <div className="chat">
      <nav aria-label={t('workspaces')}>
        <h2>{t('workspaces')}</h2>
        <WorkspaceSwitcher />
        {current && <Threads key={current.id} workspaceId={current.id} current={threadId} choose={setThreadId} />}
        <NameForm
          label={t('newWorkspace')}
          error={creatingWorkspace.error}
          create={async (name) => {
            const result = await createWorkspace({ variables: { name } });
            if (result.data) choose(result.data.createWorkspace.id);
          }}
        />
      </nav>
      {threadId ? <Thread key={threadId} threadId={threadId} viewer={viewer} /> : <p className="empty">{t('chooseThread')}</p>}
    </div>
  );
}

function Threads(props: { workspaceId: string; current: string | null; choose: (id: string) => void }) {
  const { t } = useTranslation();
  const threads = useQuery(WorkspaceThreadsDocument, { variables: { workspaceId: props.workspaceId } });
  const [createThread, creating] = useMutation(CreateThreadDocument, { refetchQueries: [WorkspaceThreadsDocument] });
  return (
    <>
      <h3>{t('threads')}</h3>
      <ul>
        {threads.data?.workspace?.threads.edges.map(({ node: thread }) => (
          <li key={thread.id}>
            <button type="button" aria-current={thread.id === props.current} onClick={() => props.choose(thread.id)}>
              {thread.title}
            </button>
          </li>
        ))}
      </ul>
      <NameForm
        label={t('newThread')}
        error={creating.error}
        create={async (title) => {
          const result = await createThread({ variables: { workspaceId: props.workspaceId, title } });
          if (result.data) props.choose(result.data.createThread.id);
        }}
      />
    </>
  );
}

/** One labelled text field and a create button; the field empties once the server accepted the name. */
function NameForm({ label, create, error }: { label: string; create: (name: string) => Promise<unknown>; error: unknown }) {
  const { t } = useTranslation();
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (!name) return;
    try {
      await create(name);
      form.reset();
    } catch {
      // shown by ErrorText from the mutation's state
    }
  }
  return (
    <form onSubmit={submit} className="inline">
      <label>
        {label}
        <input name="name" required maxLength={200} />
      </label>
      <button type="submit">{t('create')}</button>
      <ErrorText error={error} />
    </form>
  );
}
