import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { createHttpApp, type HttpDeps } from './app.js';
import { attachWebSocketServer } from './ws.js';

export type Transports = { server: Server; url: string; close(): Promise<void> };

/** HTTP and WebSocket on one port; close() stops taking work, drains requests and closes the sockets. */
export async function startTransports(deps: HttpDeps): Promise<Transports> {
  const server = createServer();
  const { app, apollo } = await createHttpApp(deps, [ApolloServerPluginDrainHttpServer({ httpServer: server })]);
  server.on('request', app);
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
    url: `http://${host}:${port}`,
    async close() {
      await ws.close();
      await apollo.stop(); // drains in-flight HTTP requests, then closes the server
    },
  };
}
