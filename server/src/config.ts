import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The repository root: `./.data` and other relative paths are resolved against it, whatever the cwd. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v === 'true' || v === '1'));

const list = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined));

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  DATA_DIR: z.string().default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).optional(),
  PASSWORD_HASH_MAX_WAITING: z.coerce.number().int().min(0).default(100),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).default(24 * 30),
  SESSION_CACHE_SECONDS: z.coerce.number().int().min(0).default(10),
  COOKIE_SECURE: flag,
  ALLOWED_ORIGINS: list,
  GRAPHQL_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  WS_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  WS_CONNECTION_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5000),
  SIGNIN_MAX_FAILURES_PER_LOGIN: z.coerce.number().int().min(1).default(5),
  SIGNIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(50),
  SIGNIN_BLOCK_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  TRUST_PROXY: flag,
  DB_POOL_MAX: z.coerce.number().int().min(1).default(10),
  REDIS_URL: z.string().url().optional(),
  REDIS_PREFIX: z.string().default('co:'),
  WS_MAX_SUBSCRIPTIONS_PER_SOCKET: z.coerce.number().int().min(1).default(100),
  WS_KEEPALIVE_MS: z.coerce.number().int().min(1000).default(30_000),
  WS_SLOW_CLIENT_BYTES: z.coerce.number().int().min(1024).default(4 * 1024 * 1024),
  ENCRYPTION_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes, base64-encoded (openssl rand -base64 32)')
    .optional(),
  DOCUMENT_INLINE_MAX_BYTES: z.coerce.number().int().min(1).default(10 * 1024 * 1024),
  DOCUMENT_MAX_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
  STEP_UP_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  STEP_UP_LOCK_SECONDS: z.coerce.number().int().min(1).default(15 * 60),
  PUBLIC_URL: z.string().url().optional(),
  SMTP_URL: z.string().url().optional(),
  MAIL_FROM: z.string().default('Client Online <no-reply@client-online.invalid>'),
  BACKUP_DIR: z.string().optional(),
  AUDIT_IP_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  ANONYMITY_THRESHOLD: z.coerce.number().int().min(2).default(5),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  METRICS_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** null: start the embedded PostgreSQL in dataDir */
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number;
  /** argon2 runs at once (default: cores - 1) and how many (argon2 runs, and sign-ins) may wait before RATE_LIMITED */
  passwordWork: { concurrency: number | null; maxWaiting: number };
  logLevel: string;
  sessionTtlMs: number;
  sessionCacheMs: number;
  /** undefined: Secure when the request came over HTTPS */
  cookieSecure: boolean | undefined;
  /** browser origins allowed to open WebSockets and to make cross-origin requests */
  allowedOrigins: string[];
  /** largest /graphql body; uploadDocument alone may send up to the inline document limit as base64 */
  graphqlBodyLimitBytes: number;
  wsMaxPayloadBytes: number;
  wsConnectionInitTimeoutMs: number;
  signIn: { maxFailuresPerLogin: number; maxFailuresPerIp: number; blockSeconds: number };
  trustProxy: boolean;
  dbPoolMax: number;
  /** null: the pubsub between subscriptions is in-process (one server process) */
  redisUrl: string | null;
  redisPrefix: string;
  wsMaxSubscriptionsPerSocket: number;
  wsKeepAliveMs: number;
  /** a socket with more than this unsent is dropped: a slow client must not make the server's memory grow */
  wsSlowClientBytes: number;
  /** key for secrets at rest (TOTP secrets); null: made once and kept in <dataDir>/encryption-key */
  encryptionKey: Buffer | null;
  documents: { inlineMaxBytes: number; maxBytes: number };
  stepUp: { maxFailures: number; lockSeconds: number };
  /** where people reach the app (links in mails); default http://HOST:PORT */
  publicUrl: string;
  /** null: mails go to the outbox table instead of an SMTP server */
  smtpUrl: string | null;
  mailFrom: string;
  backupDir: string;
  auditIpRetentionDays: number;
  anonymityThreshold: number;
  /** both set: HTTPS and WSS only, Secure cookies, HSTS */
  tls: { certFile: string; keyFile: string } | null;
  /** null: /metrics answers only requests from this machine (loopback) */
  metricsToken: string | null;
};

export class ConfigError extends Error {}

/** Reads and validates the environment once; every setting the server has is here. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) throw new ConfigError('Invalid configuration: set both TLS_CERT_FILE and TLS_KEY_FILE, or neither');
  const dataDir = isAbsolute(e.DATA_DIR) ? e.DATA_DIR : resolve(repoRoot, e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    passwordWork: { concurrency: e.PASSWORD_HASH_CONCURRENCY ?? null, maxWaiting: e.PASSWORD_HASH_MAX_WAITING },
    logLevel: e.LOG_LEVEL,
    sessionTtlMs: e.SESSION_TTL_HOURS * 3600_000,
    sessionCacheMs: e.SESSION_CACHE_SECONDS * 1000,
    cookieSecure: e.COOKIE_SECURE,
    allowedOrigins: e.ALLOWED_ORIGINS ?? [`http://127.0.0.1:${e.PORT}`, `http://localhost:${e.PORT}`],
    graphqlBodyLimitBytes: e.GRAPHQL_BODY_LIMIT_BYTES,
    wsMaxPayloadBytes: e.WS_MAX_PAYLOAD_BYTES,
    wsConnectionInitTimeoutMs: e.WS_CONNECTION_INIT_TIMEOUT_MS,
    signIn: {
      maxFailuresPerLogin: e.SIGNIN_MAX_FAILURES_PER_LOGIN,
      maxFailuresPerIp: e.SIGNIN_MAX_FAILURES_PER_IP,
      blockSeconds: e.SIGNIN_BLOCK_SECONDS,
    },
    trustProxy: e.TRUST_PROXY ?? false,
    dbPoolMax: e.DB_POOL_MAX,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    wsMaxSubscriptionsPerSocket: e.WS_MAX_SUBSCRIPTIONS_PER_SOCKET,
    wsKeepAliveMs: e.WS_KEEPALIVE_MS,
    wsSlowClientBytes: e.WS_SLOW_CLIENT_BYTES,
    encryptionKey: e.ENCRYPTION_KEY ? Buffer.from(e.ENCRYPTION_KEY, 'base64') : null,
    documents: { inlineMaxBytes: e.DOCUMENT_INLINE_MAX_BYTES, maxBytes: e.DOCUMENT_MAX_BYTES },
    stepUp: { maxFailures: e.STEP_UP_MAX_FAILURES, lockSeconds: e.STEP_UP_LOCK_SECONDS },
    publicUrl: (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    backupDir: e.BACKUP_DIR ? (isAbsolute(e.BACKUP_DIR) ? e.BACKUP_DIR : resolve(repoRoot, e.BACKUP_DIR)) : join(dataDir, 'backups'),
    auditIpRetentionDays: e.AUDIT_IP_RETENTION_DAYS,
    anonymityThreshold: e.ANONYMITY_THRESHOLD,
    tls: e.TLS_CERT_FILE && e.TLS_KEY_FILE ? { certFile: e.TLS_CERT_FILE, keyFile: e.TLS_KEY_FILE } : null,
    metricsToken: e.METRICS_TOKEN ?? null,
  };
}
