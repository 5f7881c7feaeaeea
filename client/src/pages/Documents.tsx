import { useApolloClient, useQuery, useSubscription } from '@apollo/client/react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnHeads } from '../components/ColumnHeads';
import type { Me } from '../App';
import { useCurrentWorkspace, WorkspaceSwitcher } from '../components/CurrentWorkspace';
import { DocumentApprovalsDocument, WorkspaceDocumentsDocument, WorkspaceEventsDocument } from '../generated/graphql';
import { ApprovalPanel } from './documents/ApprovalPanel';
import { UploadForm } from './documents/UploadForm';

/** The workspace's documents: upload, download, and their approvals, kept live by the workspace's events. */
export function Documents({ viewer }: { viewer: Me }) {
  const { t, i18n } = useTranslation();
  const apollo = useApolloClient();
  const { current } = useCurrentWorkspace();
  const workspaceId = current?.id ?? '';
  const documents = useQuery(WorkspaceDocumentsDocument, { variables: { workspaceId }, skip: !current });
  const [open, setOpen] = useState<string | null>(null);

  useSubscription(WorkspaceEventsDocument, {
    variables: { workspaceId },
    skip: !current,
    onData: ({ data }) => {
      const kind = data.data?.workspaceEvents.kind;
      if (kind === 'DOCUMENT_ADDED' || kind === 'APPROVAL_REQUESTED' || kind === 'APPROVAL_DECIDED' || kind === 'MEMBER_ADDED' || kind === 'MEMBER_REMOVED') {
        void apollo.refetchQueries({ include: [WorkspaceDocumentsDocument, DocumentApprovalsDocument] });
      }
    },
  });

  const workspace = documents.data?.workspace;
  const format = new Intl.NumberFormat(i18n.resolvedLanguage, { maximumFractionDigits: 1 });
  return (
    <main className="page">
      <h1>{t('documents.title')}</h1>
      <WorkspaceSwitcher />
      {workspace && (
        <>
          <UploadForm workspaceId={workspace.id} />
          <table className="documents">
            <caption>{t('documents.list', { workspace: workspace.name })}</caption>
            <ColumnHeads columns={[t('documents.name'), t('documents.type'), t('documents.size'), t('documents.uploadedBy'), t('documents.status')]} actions />
            <tbody>
              {workspace.documents.edges.map(({ node: d }) => {
                const latest = d.approvalRequests.at(-1);
                return (
                  <tr key={d.id}>
                    <td>
                      <a href={d.downloadPath} download>
                        {d.title}
                      </a>
                    </td>
                    <td>{t(`documentTypes.${d.type}`)}</td>
                    <td>{format.format(d.sizeBytes / 1024)} kB</td>
                    <td>{d.uploadedBy?.username ?? '—'}</td>
                    <td data-testid={`status-${d.id}`}>{latest ? t(`approvalStatus.${latest.status}`) : t('documents.noApproval')}</td>
                    <td>
                      <button type="button" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>
                        {t('documents.approvals', { title: d.title })}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {workspace.documents.edges.length === 0 && <p>{t('documents.none')}</p>}
          {open && <ApprovalPanel key={open} documentId={open} members={workspace.members} viewer={viewer} />}
        </>
      )}
    </main>
  );
}
