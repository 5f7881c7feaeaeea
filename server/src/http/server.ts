import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { createHttpApp, type HttpDeps } from './app.js';
import { attachWebSocketServer } from './ws.js';

export type Transports = { server: Server; url: string; close(): Promise<void> };

/** HTTP and WebSocket on one port; close() stops taking work, drains requests and closes the sockets. */
export async function startTransports(deps: HttpDeps): Promise<Transports> {
  const { tls } = deps.config;
  // with a certificate: HTTPS and WSS only (no plain listener at all)
  const server: Server = tls ? createTlsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }) : createServer();
  const state = { draining: false };
  const { handle, apollo } = await createHttpApp(deps, state, [ApolloServerPluginDrainHttpServer({ httpServer: server })]);
  // requests being answered: shutdown waits for them, so nothing accepted goes unanswered
  let inFlight = 0;
  let idle: (() => void) | null = null;
  server.on('request', (req, res) => {
    inFlight++;
    res.once('close', () => {
      if (--inFlight === 0) idle?.();
    });
    handle(req, res);
  });
  const ws = attachWebSocketServer(server, deps);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.config.port, deps.config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    server,
    url: `${tls ? 'https' : 'http'}://${host}:${port}`,
    async close() {
      state.draining = true;
      server.close(); // no new connections
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([new Promise<void>((resolve) => (idle = resolve)), new Promise((resolve) => setTimeout(resolve, 7000).unref())]);
      }
      await ws.close();
      await apollo.stop();
    },
  };
}
