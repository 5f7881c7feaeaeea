import { Migration } from '@mikro-orm/migrations';

export class Migration20261124000000_accounts extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table "users" (
        "id" uuid primary key,
        "username" varchar(32) not null,
        "last_name" varchar(100) null,
        "first_name" varchar(100) null,
        "email" varchar(254) null,
        "password_hash" varchar(255) null,
        "platform_role" varchar(16) not null default 'USER',
        "pin_hash" varchar(255) null,
        "totp_secret" text null,
        "created_at" timestamptz not null,
        "updated_at" timestamptz not null,
        constraint "users_platform_role_check" check ("platform_role" in ('USER', 'ADMIN'))
      );`);
    // uniqueness is case-insensitive: "Anna" and "anna" are one person
    this.addSql(`create unique index "users_username_lower_unique" on "users" (lower("username"));`);
    this.addSql(`create unique index "users_email_lower_unique" on "users" (lower("email"));`);
    this.addSql(`
      create table "session" (
        "id" uuid primary key,
        "user_id" uuid not null,
        "token_hash" varchar(64) not null,
        "created_at" timestamptz not null,
        "last_used_at" timestamptz not null,
        "expires_at" timestamptz not null,
        "revoked_at" timestamptz null
      );`);
    this.addSql(`create unique index "session_token_hash_unique" on "session" ("token_hash");`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);
    this.addSql(`
      create table "consent" (
        "id" uuid primary key,
        "user_id" uuid not null,
        "purpose" varchar(32) not null,
        "partner_id" uuid null,
        "granted" boolean not null,
        "source" varchar(32) not null,
        "at" timestamptz not null
      );`);
    for (const table of ['session', 'consent']) {
      this.addSql(`alter table "${table}" add constraint "${table}_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    }
    this.addSql(`create index "consent_user_purpose_index" on "consent" ("user_id", "purpose", "at");`);
    // rate-limiter-flexible's table (its own layout); keys are hashes, never logins or IPs in clear
    this.addSql(`
      create table "rate_limit" (
        "key" varchar(255) primary key,
        "points" integer not null default 0,
        "expire" bigint
      );`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "rate_limit";`);
    this.addSql(`drop table if exists "consent";`);
    this.addSql(`drop table if exists "session";`);
    this.addSql(`drop table if exists "users";`);
  }
}
