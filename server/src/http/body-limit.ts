import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import type { Config } from '../config.js';
import { jsonBodies } from './json-body.js';
import type { Middleware } from './plain-http.js';

/** Whether the request is one uploadDocument mutation and nothing else (the only one allowed a large body). */
function isDocumentUpload(body: unknown): boolean {
  const query = (body as { query?: unknown } | null)?.query;
  if (typeof query !== 'string') return false;
  try {
    const operations = parse(query, { maxTokens: 200 }).definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    const selections = operations[0]?.selectionSet.selections ?? [];
    return operations.length === 1 && operations[0].operation === 'mutation' && selections.length === 1 && selections[0].kind === Kind.FIELD && selections[0].name.value === 'uploadDocument';
  } catch {
    return false;
  }
}

/**
 * JSON bodies for /graphql: at most GRAPHQL_BODY_LIMIT_BYTES, except a lone uploadDocument mutation, which may
 * carry a document of up to DOCUMENT_INLINE_MAX_BYTES as base64. Anything larger gets 413 before it is parsed.
 */
export function graphqlBodyParser(config: Config): Middleware[] {
  const uploadLimit = Math.ceil((config.documents.inlineMaxBytes * 4) / 3) + 64 * 1024;
  const hardLimit = Math.max(config.graphqlBodyLimitBytes, uploadLimit);
  const sizes = new WeakMap<object, number>();
  return [
    jsonBodies(hardLimit, (req, bytes) => void sizes.set(req, bytes)),
    (req, _res, next) => {
      // answered as body-parser's own 413 is (answerTransportError), with the endpoint's headers
      if ((sizes.get(req) ?? 0) > config.graphqlBodyLimitBytes && !isDocumentUpload((req as { body?: unknown }).body)) return next(Object.assign(new Error('Request body too large.'), { status: 413 }));
      next();
    },
  ];
}
