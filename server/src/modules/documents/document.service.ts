import { createHash } from 'node:crypto';
import DataLoader from 'dataloader';
import { fileTypeFromBuffer } from 'file-type';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { badInput, notFound } from '../../errors.js';
import type { Logger } from '../../log.js';
import { memberRole, readerRole } from '../../policy/abilities.js';
import type { PolicyContext } from '../../policy/facts.js';
import { asPerson } from '../../policy/viewer.js';
import { pageByCreation, type Connection } from '../pagination.js';
import { User } from '../users/user.entity.js';
import { isUuid, lineText, parseInput } from '../validation.js';
import type { WorkspaceService } from '../workspaces/workspace.service.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { ApprovalRequest } from './approval.entity.js';
import { Document, DocumentContent } from './document.entity.js';
import { documentTypes } from './retention.js';

/** The types whose content we can recognise: for these, declared type and content must agree. */
const SNIFFED = new Set(['application/pdf', 'image/png', 'image/jpeg']);

const metadata = z.object({
  workspaceId: z.string(),
  title: lineText('Title', 200),
  type: z.enum(documentTypes, { message: 'Unknown document type.' }),
  mimeType: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$/, 'mimeType must be a media type such as application/pdf.'),
});
export type DocumentMetadata = z.input<typeof metadata>;

/** Documents: stored whole in PostgreSQL, hashed on the server, their declared type checked against their bytes. */
export class DocumentService {
  constructor(private readonly deps: { log: Logger; workspaces: WorkspaceService; limits: { inlineMaxBytes: number; maxBytes: number } }) {}

  /** The mutation's way: base64 in the request, up to the inline limit. */
  async uploadBase64(em: EntityManager, actor: PolicyContext, input: DocumentMetadata & { contentBase64: string }): Promise<Document> {
    const text = input.contentBase64.replace(/\s+/g, '');
    if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw badInput('contentBase64 is not valid base64.', 'contentBase64');
    if ((text.length / 4) * 3 > this.deps.limits.inlineMaxBytes + 2) throw this.tooLarge(this.deps.limits.inlineMaxBytes, 'contentBase64');
    return this.upload(em, actor, input, Buffer.from(text, 'base64'), this.deps.limits.inlineMaxBytes);
  }

  /** Stores a document once its metadata, size and type check out; nothing is written otherwise. */
  async upload(em: EntityManager, actor: PolicyContext, input: DocumentMetadata, content: Buffer, maxBytes = this.deps.limits.maxBytes): Promise<Document> {
    const person = asPerson(actor.viewer);
    const data = parseInput(metadata, input);
    if (!isUuid(data.workspaceId)) throw notFound('Workspace');
    await memberRole(actor, data.workspaceId);
    if (content.length === 0) throw badInput('The document is empty.', 'content');
    if (content.length > maxBytes) throw this.tooLarge(maxBytes, 'content');
    const sniffed = (await fileTypeFromBuffer(content))?.mime;
    const recognised = sniffed && SNIFFED.has(sniffed) ? sniffed : null;
    if ((SNIFFED.has(data.mimeType) || recognised) && recognised !== data.mimeType) {
      throw badInput(`The content is not ${data.mimeType}${recognised ? ` but ${recognised}` : ''}.`, 'mimeType');
    }
    const document = await em.transactional(async (tx) => {
      const created = tx.create(Document, {
        workspace: tx.getReference(Workspace, data.workspaceId),
        title: data.title,
        type: data.type,
        mimeType: data.mimeType,
        sizeBytes: content.length,
        sha256: createHash('sha256').update(content).digest('hex'),
        uploadedBy: tx.getReference(User, person.userId),
      });
      await tx.persist(created).flush();
      tx.create(DocumentContent, { document: created, bytes: content });
      return created;
    });
    this.deps.log.info({ documentId: document.id, workspaceId: data.workspaceId, userId: person.userId, sizeBytes: content.length }, 'document uploaded');
    await this.deps.workspaces.announce(data.workspaceId, { kind: 'DOCUMENT_ADDED', workspaceId: data.workspaceId, documentId: document.id, at: document.createdAt.toISOString() });
    return document;
  }

  private tooLarge(max: number, field: string) {
    return badInput(`The document is larger than ${Math.floor(max / (1024 * 1024)) || max} ${max >= 1024 * 1024 ? 'MB' : 'bytes'}.`, field);
  }

  /** A document of a workspace the viewer may read; NOT_FOUND otherwise. */
  async get(em: EntityManager, actor: PolicyContext, id: string): Promise<Document> {
    const document = isUuid(id) ? await em.findOne(Document, { id }) : null;
    if (!document) throw notFound('Document');
    await readerRole(actor, document.workspace.id, 'Document');
    return document;
  }

  async content(em: EntityManager, actor: PolicyContext, id: string): Promise<{ document: Document; bytes: Buffer }> {
    const document = await this.get(em, actor, id);
    const content = await em.findOneOrFail(DocumentContent, { document: document.id }, { populate: ['bytes'] });
    return { document, bytes: content.bytes };
  }

  /** A workspace's documents, newest first (the workspace was authorized when it was read). */
  list(em: EntityManager, workspaceId: string, args: { first?: number | null; after?: string | null }): Promise<Connection<Document>> {
    return pageByCreation(em, Document, { workspace: workspaceId }, args, 'desc');
  }

  /** Approval requests of many documents in one statement. */
  requestsLoader(em: EntityManager): DataLoader<string, ApprovalRequest[]> {
    return new DataLoader(async (documentIds) => {
      const rows = await em.find(ApprovalRequest, { document: { $in: documentIds as string[] } }, { orderBy: { createdAt: 'asc' }, populate: ['document'] });
      for (const r of rows) r.workspaceId = r.document.getEntity().workspace.id;
      return documentIds.map((id) => rows.filter((r) => r.document.id === id));
    });
  }
}
