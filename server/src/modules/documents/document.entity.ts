import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { User } from '../users/user.entity.js';
import { Workspace } from '../workspaces/workspace.entity.js';
import { documentTypes, type DocumentType } from './retention.js';

export const DocumentTypeEnum = Object.fromEntries(documentTypes.map((t) => [t, t])) as { [K in DocumentType]: K };
registerEnumType(DocumentTypeEnum, { name: 'DocumentType' });

/** A file in a workspace. Its bytes live in document_content (same database: one backup holds everything). */
@ObjectType()
@Entity()
@Index({ properties: ['workspace', 'createdAt', 'id'] })
export class Document {
  [OptionalProps]?: 'createdAt' | 'uploadedBy' | 'downloadPath';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Workspace, { ref: true, deleteRule: 'cascade' })
  workspace!: Ref<Workspace>;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  title!: string;

  @Field(() => DocumentTypeEnum)
  @Enum({ items: [...documentTypes], columnType: 'varchar(32)' })
  type!: DocumentType;

  @Field(() => String)
  @Property({ type: 'string', length: 127 })
  mimeType!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  sizeBytes!: number;

  @Field(() => String, { description: 'hex SHA-256 of the content' })
  @Property({ type: 'string', length: 64 })
  sha256!: string;

  /** null once the uploader's account is erased: the document stays in the workspace */
  @ManyToOne(() => User, { ref: true, nullable: true, deleteRule: 'set null' })
  uploadedBy: Ref<User> | null = null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  createdAt: Date = new Date();

  @Field(() => String, { description: 'authenticated HTTP GET path for the content' })
  get downloadPath(): string {
    return `/documents/${this.id}/content`;
  }
}

@Entity()
export class DocumentContent {
  @ManyToOne(() => Document, { primary: true, ref: true, deleteRule: 'cascade' })
  document!: Ref<Document>;

  @Property({ type: 'blob', lazy: true })
  bytes!: Buffer;
}
