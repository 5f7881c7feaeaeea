import { Agent, request } from 'node:http';

/**
 * The benchmark's own HTTP client: node:http over kept-alive connections. fetch (undici) cost the posting
 * process 2-3 ms of CPU per request here, a fifth of a core at the fan-out's post rate: CPU the servers measured
 * beside it, on the same two cores, did not get.
 */
// With a timeout set, Node's agent takes the server's `Keep-Alive: timeout=5` hint and drops a socket idle for 4 s,
// before the server closes it at 5 s: without one it kept the socket, and a post sent on it as the server closed it
// failed with ECONNRESET (a target left idle while another was loaded, as the alternating rounds do)
const agent = new Agent({ keepAlive: true, timeout: 60_000 });

/** The answer's body as text (callers read GraphQL's errors from it, as they did from fetch's). */
export function post(url: string, body: string, headers: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString()));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}
