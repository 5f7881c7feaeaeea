import type { GraphQLClient } from './graphql-client.js';

/** A small but real PDF (what file-type recognises as application/pdf). */
export function pdfBytes(text = 'Aangifte inkomstenbelasting 2025'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
    'latin1',
  );
}
export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

export const UPLOAD = `mutation($input: UploadDocumentInput!) { uploadDocument(input: $input) { id title type mimeType sizeBytes sha256 downloadPath uploadedBy { id } } }`;
export const REQUEST_APPROVAL = `mutation($d: ID!, $a: [ID!]!) { requestApproval(input: { documentId: $d, approverIds: $a }) { id status approvers { id } } }`;
export const DECIDE = `mutation($r: ID!, $approve: Boolean!, $comment: String, $pin: String, $totp: String) {
  decideApproval(input: { approvalRequestId: $r, approve: $approve, comment: $comment, stepUp: { pin: $pin, totpCode: $totp } }) {
    id status approverName comment documentSha256 decidedAt retainUntil approver { id } } }`;

export async function upload(client: GraphQLClient, workspaceId: string, options: { title?: string; type?: string; mimeType?: string; content?: Buffer } = {}) {
  const content = options.content ?? pdfBytes();
  return (
    await client.data(UPLOAD, {
      input: { workspaceId, title: options.title ?? 'Aangifte IB 2025', type: options.type ?? 'TAX_RETURN', mimeType: options.mimeType ?? 'application/pdf', contentBase64: content.toString('base64') },
    })
  ).uploadDocument;
}

export async function setPin(client: GraphQLClient, pin: string, password: string) {
  await client.data(`mutation($pin: String!, $pw: String!) { setTransactionPin(pin: $pin, password: $pw) }`, { pin, pw: password });
}
