import bodyParser from 'body-parser';
import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';
import type { Middleware } from './plain-http.js';

/** JSON in UTF-8, as every client of the API sends it (charset named or not) */
const PLAIN_JSON = /^application\/json\s*(?:;\s*charset="?utf-8"?\s*)?$/i;

const badJson = (message: string) => Object.assign(new SyntaxError(message), { status: 400, expose: true });

/**
 * JSON request bodies as body-parser's json() reads them (at most `limit` bytes; an empty body is `{}`; only an
 * object or an array), with `onRead` told each body's size. The common request, uncompressed JSON in UTF-8 with
 * a Content-Length, is read here with raw-body (what body-parser reads with) and JSON.parse; every other one (a
 * compressed or chunked body, another charset or type) goes to body-parser itself, with its answers. At every
 * request body-parser parsed the media type and charset twice, looked the charset up in iconv-lite and decoded
 * through it, and called its debug logger five times: 8% of the server's CPU for a thread page.
 */
export function jsonBodies(limit: number, onRead: (req: IncomingMessage, bytes: number) => void): Middleware {
  const general = bodyParser.json({ limit, verify: (req, _res, buffer) => onRead(req, buffer.length) }) as Middleware;
  return (req, res, next) => {
    const type = req.headers['content-type'];
    const length = req.headers['content-length'];
    const plain = type !== undefined && length !== undefined && req.headers['content-encoding'] === undefined && req.headers['transfer-encoding'] === undefined && PLAIN_JSON.test(type);
    if (!plain || (req as { body?: unknown }).body !== undefined) return general(req, res, next);
    getRawBody(req, { length, limit }, (error, buffer) => {
      if (error) {
        // the rest of the body is read off, as body-parser does, before the answer
        req.resume();
        return next(error);
      }
      onRead(req, buffer.length);
      // as iconv-lite's decoder, which body-parser decodes with, a byte order mark is dropped
      const text = buffer.toString('utf8', buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0);
      if (text.length === 0) {
        (req as { body?: unknown }).body = {};
        return next();
      }
      const first = /^[\x20\x09\x0a\x0d]*(.)/s.exec(text)?.[1];
      if (first !== '{' && first !== '[') return next(badJson('A JSON body must be an object or an array.'));
      try {
        (req as { body?: unknown }).body = JSON.parse(text);
      } catch (failure) {
        return next(badJson((failure as Error).message));
      }
      next();
    });
  };
}
