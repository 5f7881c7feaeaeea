import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** graphql-ws's own client, as the mobile apps use it; resolves once the connection is acknowledged or closed. */
export function wsClient(baseUrl: string, options: { token?: string; apiKey?: string; headers?: Record<string, string> } = {}): Client {
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
    // tests observe closes through 'closed' events and subscription errors, not the console
    onNonLazyError: () => {},
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : options.apiKey ? { authorization: `ApiKey ${options.apiKey}` } : undefined,
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

export type Subscription<T> = {
  values: T[];
  errors: { message: string; extensions?: Record<string, unknown> }[] | null;
  completed: boolean;
  /** resolves when at least n values arrived (rejects after timeoutMs) */
  waitFor(n: number, timeoutMs?: number): Promise<T[]>;
  /** resolves when the subscription ended with an error or completed */
  ended(timeoutMs?: number): Promise<void>;
  stop(): void;
};

/** A live subscription whose values, errors and end the test can wait for. */
export function subscribe<T = any>(client: Client, query: string, variables?: Record<string, unknown>): Subscription<T> {
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const state: Subscription<T> = {
    values: [],
    errors: null,
    completed: false,
    waitFor: (n, timeoutMs = 10_000) => until(() => state.values.length >= n, timeoutMs, () => `waited for ${n} values, got ${state.values.length}: ${JSON.stringify(state.values)} ${JSON.stringify(state.errors)}`).then(() => state.values),
    ended: (timeoutMs = 10_000) => until(() => state.completed || state.errors !== null, timeoutMs, () => 'the subscription did not end'),
    stop: () => unsubscribe(),
  };
  const until = (done: () => boolean, timeoutMs: number, why: () => string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (done()) {
          clearTimeout(timer);
          resolve();
        } else waiters.push(check);
      };
      const timer = setTimeout(() => reject(new Error(why())), timeoutMs);
      check();
    });
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) state.errors = result.errors as any;
        if (result.data) state.values.push(result.data as T);
        wake();
      },
      error: (error) => {
        state.errors = Array.isArray(error) ? error : [{ message: String((error as any)?.message ?? (error as any)?.reason ?? error) }];
        wake();
      },
      complete: () => {
        state.completed = true;
        wake();
      },
    },
  );
  return state;
}

/**
 * Subscriptions become live a moment after they are sent (the server checks access and listens first); the
 * protocol has no signal for it, so tests wait this long before making what they expect to hear.
 */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

/**
 * Sockets of signed-in people for one test file: `open` connects one and waits for its acknowledgement,
 * `closeAll` (in afterAll) disposes of them.
 */
export function personSockets(baseUrl: () => string) {
  const open: Client[] = [];
  return {
    async open(person: { token: string }): Promise<Client> {
      const client = wsClient(baseUrl(), { token: person.token });
      open.push(client);
      const first = await firstConnectionEvent(client);
      if (first.event !== 'connected') throw new Error(`the socket closed: ${JSON.stringify(first)}`);
      return client;
    },
    closeAll: () => Promise.all(open.splice(0).map((c) => c.dispose())),
  };
}
