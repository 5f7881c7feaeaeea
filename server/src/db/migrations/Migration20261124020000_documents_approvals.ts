import { Migration } from '@mikro-orm/migrations';

/** Documents (content in PostgreSQL), approval requests and the append-only approval log; TOTP enrolment state. */
export class Migration20261124020000_documents_approvals extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "document" ("id" uuid not null, "workspace_id" uuid not null, "title" varchar(200) not null, "type" varchar(32) check ("type" in ('TAX_RETURN', 'ANNUAL_ACCOUNTS', 'PAYROLL', 'CONTRACT', 'OTHER')) not null, "mime_type" varchar(127) not null, "size_bytes" int not null, "sha256" varchar(64) not null, "uploaded_by_id" uuid null, "created_at" timestamptz not null, constraint "document_pkey" primary key ("id"));`);
    this.addSql(`create index "document_workspace_id_created_at_id_index" on "document" ("workspace_id", "created_at", "id");`);
    this.addSql(`create table "document_content" ("document_id" uuid not null, "bytes" bytea not null, constraint "document_content_pkey" primary key ("document_id"));`);
    this.addSql(`create table "approval_request" ("id" uuid not null, "document_id" uuid not null, "requested_by_id" uuid null, "status" varchar(16) check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED')) not null default 'PENDING', "created_at" timestamptz not null, constraint "approval_request_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_request_document_id_index" on "approval_request" ("document_id");`);
    this.addSql(`create table "approval_decision" ("id" uuid not null, "request_id" uuid not null, "status" varchar(16) check ("status" in ('APPROVED', 'REJECTED')) not null, "approver_id" uuid null, "approver_name" varchar(202) null, "comment" text null, "document_sha256" varchar(64) not null, "step_up_method" varchar(8) not null, "decided_at" timestamptz not null, "retain_until" timestamptz not null, constraint "approval_decision_pkey" primary key ("id"));`);
    this.addSql(`create index "approval_decision_request_id_index" on "approval_decision" ("request_id");`);
    this.addSql(`alter table "approval_decision" add constraint "approval_decision_request_id_approver_id_unique" unique ("request_id", "approver_id");`);
    this.addSql(`create table "approval_request_approver" ("approval_request_id" uuid not null, "user_id" uuid not null, constraint "approval_request_approver_pkey" primary key ("approval_request_id", "user_id"));`);
    this.addSql(`alter table "document" add constraint "document_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "document" add constraint "document_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document_content" add constraint "document_content_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "approval_request" add constraint "approval_request_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "approval_request" add constraint "approval_request_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "approval_decision" add constraint "approval_decision_request_id_foreign" foreign key ("request_id") references "approval_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "approval_decision" add constraint "approval_decision_approver_id_foreign" foreign key ("approver_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "approval_request_approver" add constraint "approval_request_approver_approval_request_id_foreign" foreign key ("approval_request_id") references "approval_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "approval_request_approver" add constraint "approval_request_approver_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "users" add column "totp_pending_secret" text null, add column "totp_last_step" int null;`);
  }

  override async down(): Promise<void> {
    for (const table of ['approval_request_approver', 'approval_decision', 'approval_request', 'document_content', 'document']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
    this.addSql(`alter table "users" drop column "totp_pending_secret", drop column "totp_last_step";`);
  }
}
