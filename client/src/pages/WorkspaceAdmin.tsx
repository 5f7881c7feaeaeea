import { useMutation, useQuery } from '@apollo/client/react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnHeads } from '../components/ColumnHeads';
import type { Me } from '../App';
import { useCurrentWorkspace, WorkspaceSwitcher } from '../components/CurrentWorkspace';
import { ErrorText } from '../components/ErrorText';
import {
  AddWorkspaceMemberDocument,
  GrantPartnerAccessDocument,
  RemoveWorkspaceMemberDocument,
  RevokePartnerAccessDocument,
  WorkspaceAdminDocument,
  type WorkspaceRole,
} from '../generated/graphql';
import { displayName } from '../lib/messages';

const ROLES: WorkspaceRole[] = ['MEMBER', 'ADMIN', 'OWNER'];

/** Members and partners of the current workspace. The server decides who may change them; its refusal is shown. */
export function WorkspaceAdmin({ viewer }: { viewer: Me }) {
  const { t, i18n } = useTranslation();
  const { current } = useCurrentWorkspace();
  const variables = { workspaceId: current?.id ?? '' };
  const { data } = useQuery(WorkspaceAdminDocument, { variables, skip: !current });
  const refetch = { refetchQueries: [WorkspaceAdminDocument] };
  const [add, adding] = useMutation(AddWorkspaceMemberDocument, refetch);
  const [remove, removing] = useMutation(RemoveWorkspaceMemberDocument, refetch);
  const [grant, granting] = useMutation(GrantPartnerAccessDocument, refetch);
  const [revoke, revoking] = useMutation(RevokePartnerAccessDocument, refetch);
  const workspace = data?.workspace;
  const myRole = workspace?.members.find((m) => m.user.id === viewer.id)?.role;
  const manages = myRole === 'OWNER' || myRole === 'ADMIN';

  async function invite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    try {
      await add({ variables: { ...variables, login: String(values.get('login')).trim(), role: String(values.get('role')) as WorkspaceRole } });
      form.reset();
    } catch {
      // ErrorText shows why
    }
  }

  async function letIn(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const partnerId = String(new FormData(event.currentTarget).get('partner') ?? '');
    if (partnerId) await grant({ variables: { ...variables, partnerId } }).catch(() => {});
  }

  const granted = new Set(workspace?.partners?.map((p) => p.id) ?? []);
  return (
    <main className="page">
      <h1>{t('admin.workspace.title')}</h1>
      <WorkspaceSwitcher />
      {workspace && (
        <>
          <table>
            <caption>{t('admin.workspace.members', { workspace: workspace.name })}</caption>
            <ColumnHeads columns={[t('username'), t('admin.workspace.name'), t('email'), t('admin.workspace.role'), t('admin.workspace.joined')]} actions />
            <tbody>
              {workspace.members.map((m) => (
                <tr key={m.user.id}>
                  <td>{m.user.username}</td>
                  <td>{displayName(m.user)}</td>
                  <td>{m.user.email ?? '—'}</td>
                  <td>{t(`roles.${m.role}`)}</td>
                  <td>{new Date(m.joinedAt).toLocaleDateString(i18n.resolvedLanguage)}</td>
                  <td>
                    {(manages || m.user.id === viewer.id) && (
                      <button type="button" onClick={() => void remove({ variables: { ...variables, userId: m.user.id } }).catch(() => {})}>
                        {m.user.id === viewer.id ? t('admin.workspace.leave') : t('admin.workspace.remove', { name: m.user.username })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorText error={removing.error} />
          {manages ? (
            <>
              <form onSubmit={invite} className="inline">
                <h2>{t('admin.workspace.invite')}</h2>
                <label>
                  {t('login')}
                  <input name="login" required autoComplete="off" />
                </label>
                <label>
                  {t('admin.workspace.role')}
                  <select name="role" defaultValue="MEMBER">
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {t(`roles.${role}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit">{t('admin.workspace.add')}</button>
                <ErrorText error={adding.error} />
              </form>
              <section>
                <h2>{t('admin.workspace.partners')}</h2>
                <p>{t('admin.workspace.partnersExplained')}</p>
                <ul>
                  {workspace.partners?.map((p) => (
                    <li key={p.id}>
                      {p.name}{' '}
                      <button type="button" onClick={() => void revoke({ variables: { ...variables, partnerId: p.id } }).catch(() => {})}>
                        {t('admin.workspace.revoke', { name: p.name })}
                      </button>
                    </li>
                  ))}
                </ul>
                <form onSubmit={letIn} className="inline">
                  <label>
                    {t('admin.workspace.partner')}
                    <select name="partner">
                      {data.partnerDirectory
                        .filter((p) => !granted.has(p.id))
                        .map((p) => (
                          <option key={p.id} value={p.id}>
                            {p.name}
                          </option>
                        ))}
                    </select>
                  </label>
                  <button type="submit">{t('admin.workspace.grant')}</button>
                </form>
                <ErrorText error={granting.error ?? revoking.error} />
              </section>
            </>
          ) : (
            <p className="notice">{t('admin.workspace.membersOnly')}</p>
          )}
        </>
      )}
    </main>
  );
}
