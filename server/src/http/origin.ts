/**
 * Whether a browser request's Origin may act with the person's cookie: the app's own page (same host as the
 * request) or one of the configured origins. A request without Origin is not from a browser page (curl, servers).
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowedOrigins: ReadonlySet<string>): boolean {
  if (!origin) return true;
  if (allowedOrigins.has(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
