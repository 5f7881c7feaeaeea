import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

type Answer = { status: number; code: string | null; data: unknown };

/** POSTs raw bytes to /graphql: with a Content-Length (read directly) or chunked (read by body-parser). */
function post(server: TestServer, body: Buffer, options: { chunked?: boolean; type?: string; encoding?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': options.type ?? 'application/json' };
    if (options.encoding) headers['content-encoding'] = options.encoding;
    if (!options.chunked) headers['content-length'] = String(body.length);
    const req = request(`${server.url}/graphql`, { method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => {
        const parsed = JSON.parse(text || '{}');
        resolve({ status: res.statusCode!, code: parsed.errors?.[0]?.extensions?.code ?? null, data: parsed.data ?? null });
      });
    });
    req.on('error', reject);
    if (options.chunked) {
      // two chunks, so the body really arrives chunked
      req.write(body.subarray(0, Math.floor(body.length / 2)));
      req.end(body.subarray(Math.floor(body.length / 2)));
    } else req.end(body);
  });
}

describe('JSON bodies on /graphql', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it('answers a body read directly exactly as body-parser answers the same bytes', async () => {
    const typename = JSON.stringify({ query: '{ __typename }' });
    const bodies: Record<string, Buffer> = {
      operation: Buffer.from(typename),
      withByteOrderMark: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(typename)]),
      leadingAndTrailingSpace: Buffer.from(`\n\t ${typename} \r\n`),
      unicode: Buffer.from(JSON.stringify({ query: '{ __typename }', operationName: null, extensions: { note: 'Grüße, jaarrekening — ✓' } })),
      empty: Buffer.alloc(0),
      onlySpace: Buffer.from('   '),
      aNumber: Buffer.from('123'),
      aString: Buffer.from('"{ __typename }"'),
      aBatch: Buffer.from(`[${typename}]`),
      cutShort: Buffer.from('{"query": "{ __typ'),
      notJson: Buffer.from('query { __typename }'),
    };
    const answers: Record<string, Answer> = {};
    for (const [name, body] of Object.entries(bodies)) {
      const direct = await post(server, body);
      const throughBodyParser = await post(server, body, { chunked: true });
      expect({ name, ...direct }).toEqual({ name, ...throughBodyParser });
      answers[name] = direct;
    }
    for (const name of ['operation', 'withByteOrderMark', 'leadingAndTrailingSpace', 'unicode']) expect(answers[name]).toEqual({ status: 200, code: null, data: { __typename: 'Query' } });
    for (const name of ['empty', 'onlySpace', 'aNumber', 'aString', 'aBatch', 'cutShort', 'notJson']) expect([name, answers[name].status, answers[name].code]).toEqual([name, 400, 'BAD_REQUEST']);
  });

  it('takes a charset written in any case, and leaves other charsets, compressed bodies and other types to body-parser', async () => {
    const body = Buffer.from(JSON.stringify({ query: '{ __typename }' }));
    const ok = { status: 200, code: null, data: { __typename: 'Query' } };
    expect(await post(server, body, { type: 'application/json; charset=UTF-8' })).toEqual(ok);
    expect(await post(server, body, { type: 'Application/JSON;charset="utf-8"' })).toEqual(ok);
    expect(await post(server, gzipSync(body), { encoding: 'gzip' })).toEqual(ok);
    expect((await post(server, body, { type: 'application/json; charset=latin1' })).status).toBe(415);
    // not JSON: Apollo's CSRF prevention refuses it, as before
    expect(await post(server, body, { type: 'text/plain' })).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
  });
});
