import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { loggableError, type Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/**
 * What an error may tell the client. Errors the code raised on purpose (GraphQLErrors: input, permission,
 * validation) pass as they are; anything else is a bug or an outage and becomes "Internal server error",
 * with the real one in the log only.
 */
export function errorFormatter(log: Logger, options: { stackTraces: boolean; metrics?: Metrics }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (formatted.extensions?.code === 'RATE_LIMITED') options.metrics?.rateLimited.inc();
    if (original instanceof GraphQLError || (error instanceof GraphQLError && error.originalError === undefined)) {
      if (options.stackTraces) return formatted;
      const { stacktrace: _omit, ...extensions } = formatted.extensions ?? {};
      // "Did you mean …?" hints would map the schema for someone who may not introspect it
      return { ...formatted, message: formatted.message.replace(/ ?Did you mean .*$/s, ''), extensions };
    }
    log.error({ err: loggableError(original), path: formatted.path }, 'unexpected error in a GraphQL operation');
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}
