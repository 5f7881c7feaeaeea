import { useQuery } from '@apollo/client/react';
import { createContext, useContext, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { WorkspacesDocument, type WorkspacesQuery } from '../generated/graphql';

type WorkspaceSummary = WorkspacesQuery['workspaces']['edges'][number]['node'];
type CurrentWorkspace = { workspaces: WorkspaceSummary[]; current: WorkspaceSummary | null; choose: (id: string) => void };

const Context = createContext<CurrentWorkspace>({ workspaces: [], current: null, choose: () => {} });
const STORAGE_KEY = 'client-online.workspace';

/** The workspace the person works in, shared by chat, documents and workspace admin, remembered per browser. */
export function CurrentWorkspaceProvider({ children }: { children: ReactNode }) {
  const { data } = useQuery(WorkspacesDocument);
  const [chosen, setChosen] = useState(() => localStorage.getItem(STORAGE_KEY));
  const workspaces = data?.workspaces.edges.map((e) => e.node) ?? [];
  const current = workspaces.find((w) => w.id === chosen) ?? workspaces[0] ?? null;
  const choose = (id: string) => {
    localStorage.setItem(STORAGE_KEY, id);
    setChosen(id);
  };
  return <Context.Provider value={{ workspaces, current, choose }}>{children}</Context.Provider>;
}

export const useCurrentWorkspace = () => useContext(Context);

/** The switcher: a real select, labelled. */
export function WorkspaceSwitcher() {
  const { t } = useTranslation();
  const { workspaces, current, choose } = useCurrentWorkspace();
  if (workspaces.length === 0) return <p>{t('workspace.none')}</p>;
  return (
    <label>
      {t('workspace.current')}
      <select value={current?.id ?? ''} onChange={(e) => choose(e.target.value)}>
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}
