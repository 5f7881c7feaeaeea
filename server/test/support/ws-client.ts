import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** graphql-ws's own client, as the mobile apps use it; resolves once the connection is acknowledged or closed. */
export function wsClient(baseUrl: string, options: { token?: string; headers?: Record<string, string> } = {}): Client {
  const url = baseUrl.replace(/^http/, 'ws') + '/graphql';
  class HeaderWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers: options.headers });
    }
  }
  return createClient({
    url,
    webSocketImpl: HeaderWebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : undefined,
  });
}

/** Waits for the client's first 'connected' or 'closed' event. */
export function firstConnectionEvent(client: Client): Promise<{ event: 'connected' } | { event: 'closed'; code: number; reason: string }> {
  return new Promise((resolve) => {
    const offConnected = client.on('connected', () => {
      offConnected();
      offClosed();
      resolve({ event: 'connected' });
    });
    const offClosed = client.on('closed', (e) => {
      offConnected();
      offClosed();
      const close = e as { code: number; reason: string };
      resolve({ event: 'closed', code: close.code, reason: close.reason });
    });
  });
}

/** Runs one query over the socket and returns its single result. */
export function wsQuery<T = Record<string, any>>(client: Client, query: string, variables?: Record<string, unknown>): Promise<{ data?: T | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }> {
  return new Promise((resolve, reject) => {
    let result: { data?: T | null; errors?: any[] } | undefined;
    client.subscribe<T>(
      { query, variables },
      {
        next: (value) => (result = value as typeof result),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error }) : reject(error)),
        complete: () => resolve(result ?? {}),
      },
    );
  });
}
