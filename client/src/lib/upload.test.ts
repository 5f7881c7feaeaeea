import { describe, expect, it } from 'vitest';
import { UPLOAD_HEADER, uploadDocument, type UploadTransport } from './upload';

/** Stands in for XMLHttpRequest: records what the upload sent and plays back the server's answer. */
class FakeTransport {
  sent: { method?: string; url?: string; headers: Record<string, string>; body?: unknown } = { headers: {} };
  status = 0;
  responseText = '';
  private listeners = new Map<string, () => void>();
  private progress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null = null;
  upload = { addEventListener: (_: string, listener: never) => (this.progress = listener) };
  open(method: string, url: string) {
    this.sent.method = method;
    this.sent.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.sent.headers[name] = value;
  }
  addEventListener(name: string, listener: () => void) {
    this.listeners.set(name, listener);
  }
  send(body: unknown) {
    this.sent.body = body;
  }
  answer(status: number, body: unknown, steps: number[] = []) {
    for (const loaded of steps) this.progress?.({ lengthComputable: true, loaded, total: 100 });
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.listeners.get('load')?.();
  }
  fail() {
    this.listeners.get('error')?.();
  }
}

const file = new Blob(['%PDF-1.4'], { type: 'application/pdf' });
const request = { workspaceId: 'w1', title: 'Aangifte 2025 & co', type: 'TAX_RETURN', file };

describe('uploading a document', () => {
  it('sends the raw bytes with the CSRF header and its type, reports progress, and resolves to the new id', async () => {
    const transport = new FakeTransport();
    const shares: number[] = [];
    const done = uploadDocument(request, (s) => shares.push(s), transport as unknown as UploadTransport);
    transport.answer(201, { id: 'd1' }, [25, 50, 100]);
    expect(await done).toBe('d1');
    expect(transport.sent.method).toBe('POST');
    expect(new URL(transport.sent.url!, 'http://x').searchParams.get('title')).toBe('Aangifte 2025 & co');
    expect(transport.sent.headers[UPLOAD_HEADER]).toBe('1');
    expect(transport.sent.headers['Content-Type']).toBe('application/pdf');
    expect(transport.sent.body).toBe(file);
    expect(shares).toEqual([0.25, 0.5, 1, 1]);
  });

  it("rejects with the server's error code, or NETWORK when the connection fails", async () => {
    const refused = new FakeTransport();
    const rejected = uploadDocument(request, () => {}, refused as unknown as UploadTransport);
    refused.answer(400, { errors: [{ message: 'The content is not application/pdf.', extensions: { code: 'BAD_USER_INPUT' } }] });
    await expect(rejected).rejects.toEqual({ code: 'BAD_USER_INPUT', message: 'The content is not application/pdf.' });

    const offline = new FakeTransport();
    const failed = uploadDocument(request, () => {}, offline as unknown as UploadTransport);
    offline.fail();
    await expect(failed).rejects.toMatchObject({ code: 'NETWORK' });
  });
});
