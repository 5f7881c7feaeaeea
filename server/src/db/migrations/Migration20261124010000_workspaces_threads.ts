import { Migration } from '@mikro-orm/migrations';

/** Workspaces, memberships, threads, messages and each thread's event stream. */
export class Migration20261124010000_workspaces_threads extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "workspace" ("id" uuid not null, "name" varchar(100) not null, "created_at" timestamptz not null, constraint "workspace_pkey" primary key ("id"));`);
    this.addSql(`create table "thread" ("id" uuid not null, "workspace_id" uuid not null, "title" varchar(200) not null, "created_by_id" uuid null, "created_at" timestamptz not null, "last_seq" int not null default 0, constraint "thread_pkey" primary key ("id"));`);
    this.addSql(`create index "thread_workspace_id_created_at_id_index" on "thread" ("workspace_id", "created_at", "id");`);
    this.addSql(`create table "message" ("id" uuid not null, "thread_id" uuid not null, "author_id" uuid null, "body" text null, "seq" int not null, "client_id" varchar(64) null, "created_at" timestamptz not null, "edited_at" timestamptz null, "deleted_at" timestamptz null, constraint "message_pkey" primary key ("id"));`);
    this.addSql(`alter table "message" add constraint "message_thread_id_author_id_client_id_unique" unique ("thread_id", "author_id", "client_id");`);
    this.addSql(`alter table "message" add constraint "message_thread_id_seq_unique" unique ("thread_id", "seq");`);
    this.addSql(`create table "message_event" ("id" bigserial primary key, "thread_id" uuid not null, "seq" int not null, "kind" varchar(16) check ("kind" in ('ADDED', 'EDITED', 'DELETED')) not null, "message_id" uuid not null, "at" timestamptz not null);`);
    this.addSql(`alter table "message_event" add constraint "message_event_thread_id_seq_unique" unique ("thread_id", "seq");`);
    this.addSql(`create table "membership" ("id" uuid not null, "workspace_id" uuid not null, "user_id" uuid not null, "role" varchar(16) check ("role" in ('OWNER', 'ADMIN', 'MEMBER')) not null, "joined_at" timestamptz not null, constraint "membership_pkey" primary key ("id"));`);
    this.addSql(`create index "membership_user_id_index" on "membership" ("user_id");`);
    this.addSql(`alter table "membership" add constraint "membership_workspace_id_user_id_unique" unique ("workspace_id", "user_id");`);
    this.addSql(`alter table "thread" add constraint "thread_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "thread" add constraint "thread_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "message" add constraint "message_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message" add constraint "message_author_id_foreign" foreign key ("author_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "message_event" add constraint "message_event_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "message_event" add constraint "message_event_message_id_foreign" foreign key ("message_id") references "message" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    for (const table of ['message_event', 'message', 'thread', 'membership', 'workspace']) {
      this.addSql(`drop table if exists "${table}" cascade;`);
    }
  }
}
