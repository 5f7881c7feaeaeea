import { Migration } from '@mikro-orm/migrations';

/** Newsletters, their per-person deliveries, and the outbox for mails when no SMTP server is configured. */
export class Migration20261124040000_newsletters extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "outbox_mail" ("id" bigserial primary key, "from" varchar(320) not null, "to" varchar(320) not null, "subject" varchar(200) not null, "text" text not null, "headers" jsonb not null, "created_at" timestamptz not null);`);
    this.addSql(`create table "newsletter" ("id" uuid not null, "subject" varchar(200) not null, "body" text not null, "created_by_id" uuid null, "created_at" timestamptz not null, constraint "newsletter_pkey" primary key ("id"));`);
    this.addSql(`create table "newsletter_delivery" ("id" bigserial primary key, "newsletter_id" uuid not null, "user_id" uuid not null, "status" varchar(16) check ("status" in ('PENDING', 'SENDING', 'SENT', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "sent_at" timestamptz null);`);
    this.addSql(`create index "newsletter_delivery_newsletter_id_status_index" on "newsletter_delivery" ("newsletter_id", "status");`);
    this.addSql(`alter table "newsletter_delivery" add constraint "newsletter_delivery_newsletter_id_user_id_unique" unique ("newsletter_id", "user_id");`);
    this.addSql(`alter table "newsletter" add constraint "newsletter_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "newsletter_delivery" add constraint "newsletter_delivery_newsletter_id_foreign" foreign key ("newsletter_id") references "newsletter" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "newsletter_delivery" add constraint "newsletter_delivery_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    for (const table of ['newsletter_delivery', 'newsletter', 'outbox_mail']) this.addSql(`drop table if exists "${table}" cascade;`);
  }
}
