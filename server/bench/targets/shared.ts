import { createServer, type IncomingMessage, type Server } from 'node:http';

/** The subscription every fan-out target serves, as the product's clients would ask for it. */
export const MESSAGE_EVENTS = `subscription($threadId: ID!) { messageEvents(threadId: $threadId) { kind seq message { id seq body createdAt author { username } } } }`;

let seq = 0;
/** The event a post makes, shaped like the product's messageEvents payload. */
export function eventFor(body: string) {
  seq++;
  return { kind: 'ADDED', seq, message: { id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, seq, body, createdAt: new Date().toISOString(), author: { username: 'office_bench' } } };
}

export async function readJson(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

/** An HTTP server on 127.0.0.1 with POST /post handing the body to `post`; prints its port when listening. */
export function postServer(post: (body: string) => void): Server {
  const server = createServer(async (request, response) => {
    if (request.method === 'POST' && request.url === '/post') {
      post((await readJson(request)).body);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else response.writeHead(404).end();
  });
  server.listen(0, '127.0.0.1', () => console.log(`listening ${(server.address() as { port: number }).port}`));
  return server;
}
