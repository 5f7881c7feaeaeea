/** The header the server asks every upload to carry (it makes browsers preflight cross-site attempts). */
export const UPLOAD_HEADER = 'x-client-online-upload';

export type UploadRequest = { workspaceId: string; title: string; type: string; file: Blob };
export type UploadFailure = { code: string; message: string };

/** The part of XMLHttpRequest an upload uses: fetch() cannot report upload progress. */
export type UploadTransport = Pick<XMLHttpRequest, 'open' | 'setRequestHeader' | 'send' | 'status' | 'responseText' | 'upload' | 'addEventListener'>;

/**
 * Sends the file's bytes as they are (no base64 inflation) to POST /documents with the session cookie and reports
 * the share sent, 0..1. Resolves to the new document's id; rejects with the server's error code.
 */
export function uploadDocument(request: UploadRequest, onProgress: (share: number) => void, transport: UploadTransport = new XMLHttpRequest()): Promise<string> {
  const query = new URLSearchParams({ workspaceId: request.workspaceId, title: request.title, type: request.type });
  return new Promise((resolve, reject) => {
    transport.open('POST', `/documents?${query}`);
    transport.setRequestHeader(UPLOAD_HEADER, '1');
    transport.setRequestHeader('Content-Type', request.file.type || 'application/octet-stream');
    transport.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    });
    transport.addEventListener('load', () => {
      const body = parse(transport.responseText);
      if (transport.status >= 200 && transport.status < 300 && typeof body?.id === 'string') {
        onProgress(1);
        resolve(body.id);
      } else {
        const error = body?.errors?.[0];
        reject({ code: String(error?.extensions?.code ?? 'INTERNAL_SERVER_ERROR'), message: String(error?.message ?? '') } satisfies UploadFailure);
      }
    });
    transport.addEventListener('error', () => reject({ code: 'NETWORK', message: '' } satisfies UploadFailure));
    transport.send(request.file);
  });
}

function parse(text: string): { id?: unknown; errors?: { message?: string; extensions?: { code?: string } }[] } | null {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
