export type GraphQLResponse<T = Record<string, any>> = {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: { message: string; extensions?: { code?: string; [k: string]: unknown }; path?: (string | number)[] }[] | undefined;
};

/** A plain GraphQL-over-HTTP client, as an app or a partner's tool would call the API. */
export class GraphQLClient {
  constructor(
    readonly baseUrl: string,
    public token?: string,
    readonly scheme: 'Bearer' | 'ApiKey' = 'Bearer',
  ) {}

  async request<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token ? { authorization: `${this.scheme} ${this.token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body: { data?: T | null; errors?: GraphQLResponse['errors'] } = {};
    try {
      body = JSON.parse(text);
    } catch {
      body = { errors: [{ message: text }] };
    }
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors };
  }

  /** The data, or a thrown error naming the first GraphQL error. */
  async data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T> {
    const result = await this.request<T>(query, variables);
    if (result.errors?.length) throw new Error(`GraphQL error: ${result.errors[0].extensions?.code} ${result.errors[0].message}`);
    return result.data as T;
  }

  /** The first error's code (e.g. CONFLICT), or undefined when there was none. */
  async errorCode(query: string, variables?: Record<string, unknown>): Promise<string | undefined> {
    const result = await this.request(query, variables);
    return result.errors?.[0]?.extensions?.code;
  }
}
