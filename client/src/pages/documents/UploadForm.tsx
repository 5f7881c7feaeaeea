import { useApolloClient } from '@apollo/client/react';
import { useState, type DragEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../../components/ErrorText';
import { WorkspaceDocumentsDocument, type DocumentType } from '../../generated/graphql';
import { uploadDocument, type UploadFailure } from '../../lib/upload';

export const DOCUMENT_TYPES: DocumentType[] = ['ANNUAL_ACCOUNTS', 'TAX_RETURN', 'PAYROLL', 'CONTRACT', 'OTHER'];

/** Drop a file or choose one; the bytes go up as they are, with a progress bar for large files. */
export function UploadForm({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation();
  const apollo = useApolloClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<UploadFailure | null>(null);
  const [dragging, setDragging] = useState(false);

  const take = (chosen: File | null | undefined) => {
    if (!chosen) return;
    setFile(chosen);
    setTitle((current) => current || chosen.name);
    setError(null);
  };

  function drop(event: DragEvent<HTMLElement>) {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer.files[0]);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!file) return;
    const form = event.currentTarget;
    const type = String(new FormData(form).get('type'));
    setError(null);
    setProgress(0);
    try {
      await uploadDocument({ workspaceId, title: title.trim() || file.name, type, file }, setProgress);
      setFile(null);
      setTitle('');
      form.reset();
      await apollo.refetchQueries({ include: [WorkspaceDocumentsDocument] });
    } catch (failure) {
      setError(failure as UploadFailure);
    } finally {
      setProgress(null);
    }
  }

  return (
    <form className="upload" onSubmit={submit}>
      <h2>{t('upload.title')}</h2>
      <label
        className={dragging ? 'dropzone dragging' : 'dropzone'}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
      >
        {file ? t('upload.chosen', { name: file.name }) : t('upload.drop')}
        <input type="file" name="file" accept="application/pdf,image/png,image/jpeg" onChange={(e) => take(e.currentTarget.files?.[0])} />
      </label>
      <label>
        {t('upload.name')}
        <input name="title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={200} />
      </label>
      <label>
        {t('documents.type')}
        <select name="type" defaultValue="OTHER">
          {DOCUMENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(`documentTypes.${type}`)}
            </option>
          ))}
        </select>
      </label>
      {progress !== null && (
        <label>
          {t('upload.progress')}
          <progress max={1} value={progress}>
            {Math.round(progress * 100)}%
          </progress>
        </label>
      )}
      <button type="submit" disabled={!file || progress !== null}>
        {t('upload.submit')}
      </button>
      <ErrorText error={error} />
    </form>
  );
}
