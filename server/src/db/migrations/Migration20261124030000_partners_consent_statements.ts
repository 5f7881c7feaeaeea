import { Migration } from '@mikro-orm/migrations';

/** Partners and their workspace grants, consent per partner, versioned privacy statements (version 1 seeded). */
export class Migration20261124030000_partners_consent_statements extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "partner" ("id" uuid not null, "name" varchar(100) not null, "created_at" timestamptz not null, "api_key_hash" varchar(64) not null, "key_revoked_at" timestamptz null, constraint "partner_pkey" primary key ("id"));`);
    this.addSql(`alter table "partner" add constraint "partner_api_key_hash_unique" unique ("api_key_hash");`);
    this.addSql(`create table "privacy_statement" ("version" serial primary key, "published_at" timestamptz not null, "text" text not null);`);
    this.addSql(`create table "privacy_acknowledgement" ("id" uuid not null, "user_id" uuid not null, "version" int not null, "at" timestamptz not null, constraint "privacy_acknowledgement_pkey" primary key ("id"));`);
    this.addSql(`alter table "privacy_acknowledgement" add constraint "privacy_acknowledgement_user_id_version_unique" unique ("user_id", "version");`);
    this.addSql(`create table "partner_grant" ("id" uuid not null, "workspace_id" uuid not null, "partner_id" uuid not null, "granted_by_id" uuid null, "granted_at" timestamptz not null, constraint "partner_grant_pkey" primary key ("id"));`);
    this.addSql(`create index "partner_grant_partner_id_index" on "partner_grant" ("partner_id");`);
    this.addSql(`alter table "partner_grant" add constraint "partner_grant_workspace_id_partner_id_unique" unique ("workspace_id", "partner_id");`);
    this.addSql(`alter table "privacy_acknowledgement" add constraint "privacy_acknowledgement_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "partner_grant" add constraint "partner_grant_workspace_id_foreign" foreign key ("workspace_id") references "workspace" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "partner_grant" add constraint "partner_grant_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "partner_grant" add constraint "partner_grant_granted_by_id_foreign" foreign key ("granted_by_id") references "users" ("id") on update cascade on delete set null;`);
    // the latest consent record is the one with the highest id: an increasing key instead of a random one
    this.addSql(`drop index "consent_user_purpose_index";`);
    this.addSql(`alter table "consent" drop constraint "consent_pkey", drop column "id";`);
    this.addSql(`alter table "consent" add column "id" bigserial primary key;`);
    this.addSql(`create index "consent_user_purpose_index" on "consent" ("user_id", "purpose", "id");`);
    this.addSql(`alter table "consent" add constraint "consent_partner_id_foreign" foreign key ("partner_id") references "partner" ("id") on update cascade on delete cascade;`);
    const knex = this.getKnex();
    this.addSql(knex.insert({ published_at: knex.fn.now(), text: firstStatement }).into('privacy_statement'));
  }

  override async down(): Promise<void> {
    for (const table of ['privacy_acknowledgement', 'privacy_statement', 'partner_grant']) this.addSql(`drop table if exists "${table}" cascade;`);
    this.addSql(`alter table "consent" drop constraint if exists "consent_partner_id_foreign";`);
    this.addSql(`drop table if exists "partner" cascade;`);
  }
}

/** The product's own privacy statement, in Dutch: what is collected, why, sharing, security, retention, rights, contact. */
const firstStatement = "Privacyverklaring Client Online (versie 1)\n\nClient Online is het klantportaal waarin uw administratiekantoor en u berichten uitwisselen, documenten delen en die documenten laten accorderen. In deze verklaring leest u welke gegevens wij verwerken, waarom, hoe lang, en welke rechten u heeft.\n\n1. Welke gegevens wij verwerken\n- Voor uw account: uw achternaam, e-mailadres en gebruikersnaam, en een wachtwoord dat wij alleen versleuteld (als hash) bewaren. Uw voornaam is optioneel.\n- Wat u zelf in het portaal zet: berichten, documenten en uw beslissingen over documenten (accorderen of afwijzen), met het tijdstip.\n- Automatisch gegenereerde gegevens: een logboek van aanmeldingen en belangrijke handelingen met uw IP-adres, voor de beveiliging, en gebruiksaantallen zonder persoonsgegevens voor anonieme statistieken.\n\n2. Waarom\n- Om de dienst te leveren: u en uw kantoor laten samenwerken in een werkruimte.\n- Voor de beveiliging van uw gegevens en van het portaal.\n- Nieuwsbrief (service- en onderhoudsberichten): alleen als u daarvoor toestemming geeft. U kunt zich altijd afmelden in uw account of met de link in elke nieuwsbrief.\n- Anonieme statistieken om de dienst te verbeteren (gerechtvaardigd belang). U kunt daartegen bezwaar maken.\n\n3. Delen met derden\nWij geven uw gegevens alleen aan derden (bijvoorbeeld salaris- of boekhoudsoftware van uw kantoor) als dat nodig is voor de dienst, de werkruimte die partij toegang heeft gegeven en u uitdrukkelijk toestemming heeft gegeven voor die ene partij, of als de wet ons daartoe verplicht. Uw toestemming kunt u op elk moment intrekken.\n\n4. Beveiliging\nVerbindingen zijn versleuteld (TLS). Belangrijke handelingen, zoals het accorderen van een document of het verwijderen van uw account, vragen een extra bevestiging met een transactie-pincode of een code uit een authenticator-app. Wij maken dagelijks back-ups en bewaren die ten hoogste 56 dagen.\n\n5. Bewaartermijnen\nAls u uw account verwijdert, verwijderen wij uw persoonsgegevens. Het logboek van accorderingen bewaren wij zo lang als de wet voorschrijft voor het soort document (bijvoorbeeld 7 jaar voor belastingaangiften, jaarrekeningen en loonadministratie), daarna wordt ook uw naam daaruit verwijderd. IP-adressen in het beveiligingslogboek bewaren wij kort.\n\n6. Uw rechten\nU heeft recht op inzage, correctie, verwijdering, beperking van de verwerking, bezwaar en overdraagbaarheid van uw gegevens. Veel daarvan regelt u zelf in het privacycentrum van het portaal (uw gegevens inzien en wijzigen, uw toestemmingen, uw gegevens downloaden, uw account verwijderen). Voor de rest dient u daar een verzoek in; wij beantwoorden het binnen een maand, en een afwijzing altijd met redenen.\n\n7. Wijzigingen en contact\nAls deze verklaring verandert, laten wij dat direct in het portaal weten en vragen wij u de nieuwe versie te lezen. Vragen over privacy stelt u via het privacycentrum of aan uw administratiekantoor.";
