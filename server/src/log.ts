import { DriverException } from '@mikro-orm/core';
import { pino, type Logger } from 'pino';

/**
 * Structured logs. They carry ids, never emails, names, tokens or message bodies:
 * the redact list is a safety net for fields that must not leak if someone logs an object whole.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'client-online' },
    redact: {
      paths: [
        '*.password', '*.currentPassword', '*.newPassword', '*.token', '*.email', '*.lastName', '*.firstName',
        '*.authorization', '*.cookie', 'req.headers.authorization', 'req.headers.cookie',
      ],
      censor: '[redacted]',
    },
  });
}

export type { Logger };

/**
 * A database error as it may be logged: MikroORM puts the statement with its parameters (emails, names)
 * into the message, so only the error's kind and where it happened are kept.
 */
export function loggableError(error: unknown): unknown {
  if (error instanceof DriverException) {
    const e = error as DriverException & { table?: string; constraint?: string; routine?: string };
    return { type: e.name, code: e.code, table: e.table, constraint: e.constraint, routine: e.routine };
  }
  return error;
}
