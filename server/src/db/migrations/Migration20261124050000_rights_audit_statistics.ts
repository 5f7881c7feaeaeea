import { Migration } from '@mikro-orm/migrations';

/** Data-subject rights: the privacy-request queue, the audit log, anonymised usage counts, restriction and erasure marks. */
export class Migration20261124050000_rights_audit_statistics extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "usage_count" ("day" date not null, "key" varchar(128) not null, "count" int not null, constraint "usage_count_pkey" primary key ("day", "key"));`);
    this.addSql(`create table "privacy_request" ("id" uuid not null, "type" varchar(16) check ("type" in ('ACCESS', 'RECTIFICATION', 'ERASURE', 'RESTRICTION', 'OBJECTION', 'PORTABILITY')) not null, "status" varchar(16) check ("status" in ('OPEN', 'COMPLETED', 'REJECTED')) not null default 'OPEN', "details" text null, "requester_id" uuid not null, "created_at" timestamptz not null, "due_at" timestamptz not null, "resolved_at" timestamptz null, "rejection_reason" text null, "resolved_by_id" uuid null, constraint "privacy_request_pkey" primary key ("id"));`);
    this.addSql(`create index "privacy_request_requester_id_index" on "privacy_request" ("requester_id");`);
    this.addSql(`create table "audit_event" ("id" bigserial primary key, "action" varchar(64) not null, "actor_id" uuid null, "subject_user_id" uuid null, "at" timestamptz not null, "ip" varchar(45) null, "details" jsonb null);`);
    this.addSql(`create index "audit_event_actor_id_index" on "audit_event" ("actor_id");`);
    this.addSql(`create index "audit_event_subject_user_id_index" on "audit_event" ("subject_user_id");`);
    this.addSql(`create index "audit_event_at_index" on "audit_event" ("at");`);
    this.addSql(`alter table "privacy_request" add constraint "privacy_request_requester_id_foreign" foreign key ("requester_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "privacy_request" add constraint "privacy_request_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "audit_event" add constraint "audit_event_subject_user_id_foreign" foreign key ("subject_user_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "users" add column "processing_restricted_at" timestamptz null, add column "erased_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    for (const table of ['usage_count', 'privacy_request', 'audit_event']) this.addSql(`drop table if exists "${table}" cascade;`);
    this.addSql(`alter table "users" drop column "processing_restricted_at", drop column "erased_at";`);
  }
}
