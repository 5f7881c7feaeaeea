import { useMutation, useQuery } from '@apollo/client/react';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnHeads } from '../../components/ColumnHeads';
import type { Me } from '../../App';
import { ErrorText } from '../../components/ErrorText';
import { StepUpFields, stepUpFrom } from '../../components/StepUpFields';
import {
  DecideApprovalDocument,
  DocumentApprovalsDocument,
  RequestApprovalDocument,
  WorkspaceDocumentsDocument,
  type ApprovalRequestDetailsFragment,
  type WorkspaceDocumentsQuery,
} from '../../generated/graphql';

type Members = NonNullable<WorkspaceDocumentsQuery['workspace']>['members'];

/** A document's approval requests, their log, asking for approval, and deciding with a PIN or TOTP code. */
export function ApprovalPanel({ documentId, members, viewer }: { documentId: string; members: Members; viewer: Me }) {
  const { t, i18n } = useTranslation();
  const { data } = useQuery(DocumentApprovalsDocument, { variables: { documentId } });
  const [request, requesting] = useMutation(RequestApprovalDocument, { refetchQueries: [DocumentApprovalsDocument, WorkspaceDocumentsDocument] });
  const document = data?.document;
  const dateTime = (iso: string) => new Date(iso).toLocaleString(i18n.resolvedLanguage);

  async function ask(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const approverIds = new FormData(event.currentTarget).getAll('approver').map(String);
    await request({ variables: { documentId, approverIds } }).catch(() => {});
  }

  return (
    <section className="approvals" aria-labelledby="approvals-title">
      <h2 id="approvals-title">{t('approvals.title')}</h2>
      {document && <p className="hash">SHA-256: {document.sha256}</p>}
      {document?.approvalRequests.map((r) => (
        <article key={r.id} className="approval-request">
          <h3>
            {t('approvals.request', { date: dateTime(r.createdAt), by: r.requestedBy?.username ?? '—' })}:{' '}
            <span className={`status ${r.status.toLowerCase()}`}>{t(`approvalStatus.${r.status}`)}</span>
          </h3>
          <p>{t('approvals.approvers', { names: r.approvers.map((a) => a.username).join(', ') })}</p>
          <ApprovalLog request={r} dateTime={dateTime} />
          {r.status === 'PENDING' && r.approvers.some((a) => a.id === viewer.id) && !r.decisions.some((d) => d.approver?.id === viewer.id) && (
            <DecideDialog requestId={r.id} viewer={viewer} />
          )}
        </article>
      ))}
      <form onSubmit={ask} className="request-approval">
        <fieldset>
          <legend>{t('approvals.ask')}</legend>
          {members.map((m) => (
            <label key={m.user.id} className="check">
              <input type="checkbox" name="approver" value={m.user.id} /> {m.user.username}
            </label>
          ))}
        </fieldset>
        <button type="submit">{t('approvals.askSubmit')}</button>
        <ErrorText error={requesting.error} />
      </form>
    </section>
  );
}

/** The approval log: who decided what and when, on which version of the document. */
function ApprovalLog({ request, dateTime }: { request: ApprovalRequestDetailsFragment; dateTime: (iso: string) => string }) {
  const { t } = useTranslation();
  if (request.decisions.length === 0) return null;
  return (
    <table className="log">
      <caption>{t('approvals.log')}</caption>
      <ColumnHeads columns={[t('approvals.who'), t('approvals.decision'), t('approvals.when'), t('approvals.comment'), t('approvals.kept')]} />
      <tbody>
        {request.decisions.map((d) => (
          <tr key={d.id}>
            <td>{d.approverName ?? t('approvals.nameHidden')}</td>
            <td>{t(`approvalStatus.${d.status}`)}</td>
            <td>{dateTime(d.decidedAt)}</td>
            <td>{d.comment ?? ''}</td>
            <td>{dateTime(d.retainUntil)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Approve or reject in a modal dialog that asks for the proof of presence. */
function DecideDialog({ requestId, viewer }: { requestId: string; viewer: Me }) {
  const { t } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const [approve, setApprove] = useState(true);
  const [decide, deciding] = useMutation(DecideApprovalDocument, { refetchQueries: [DocumentApprovalsDocument, WorkspaceDocumentsDocument] });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await decide({ variables: { input: { approvalRequestId: requestId, approve, comment: String(form.get('comment') ?? '') || null, stepUp: stepUpFrom(form) } } });
      dialog.current?.close();
    } catch {
      // ErrorText shows why; the dialog stays open for another try
    }
  }

  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()}>
        {t('approvals.decide')}
      </button>
      <dialog ref={dialog} aria-labelledby={`decide-${requestId}`}>
        <form onSubmit={submit}>
          <h3 id={`decide-${requestId}`}>{t('approvals.decide')}</h3>
          <fieldset>
            <legend>{t('approvals.decision')}</legend>
            <label className="check">
              <input type="radio" name="decision" checked={approve} onChange={() => setApprove(true)} /> {t('approvals.approve')}
            </label>
            <label className="check">
              <input type="radio" name="decision" checked={!approve} onChange={() => setApprove(false)} /> {t('approvals.reject')}
            </label>
          </fieldset>
          <label>
            {t('approvals.comment')}
            <textarea name="comment" rows={2} maxLength={2000} />
          </label>
          <StepUpFields hasPin={!!viewer.hasTransactionPin} hasTotp={!!viewer.totpEnabled} />
          <ErrorText error={deciding.error} />
          <button type="submit" disabled={deciding.loading}>
            {t('approvals.confirm')}
          </button>
          <button type="button" onClick={() => dialog.current?.close()}>
            {t('cancel')}
          </button>
        </form>
      </dialog>
    </>
  );
}
