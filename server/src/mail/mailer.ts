import type { EntityManager } from '@mikro-orm/postgresql';
import nodemailer, { type Transporter } from 'nodemailer';

export type Mail = { to: string; subject: string; text: string; headers: Record<string, string> };

/** Where mails go: an SMTP server (SMTP_URL), or, with none configured, the outbox table. */
export interface Mailer {
  send(em: EntityManager, mail: Mail): Promise<void>;
  close(): void;
}

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(url: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(url);
  }

  async send(_em: EntityManager, mail: Mail): Promise<void> {
    await this.transport.sendMail({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, headers: mail.headers });
  }

  close(): void {
    this.transport.close();
  }
}

/** Without SMTP the mails are kept in the database (table outbox_mail), where an operator can read them. */
export class OutboxMailer implements Mailer {
  constructor(private readonly from: string) {}

  async send(em: EntityManager, mail: Mail): Promise<void> {
    await em.getKnex()('outbox_mail').insert({ from: this.from, to: mail.to, subject: mail.subject, text: mail.text, headers: JSON.stringify(mail.headers), created_at: new Date() });
  }

  close(): void {}
}
