import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, Kind, type OperationDefinitionNode, print } from 'graphql';
import { type GraphQLErrorEntry, NetworkError, RequestError } from './errors.ts';
import * as documents from './generated/graphql.ts';

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. "http://localhost:4000/graphql". */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>`; needed for writes only. */
  apiKey?: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
  /** How many times to retry a read (or an idempotent write) after a network error or a 5xx answer. Default 3. */
  retries?: number;
  /** Give up on one attempt after this many milliseconds. Default 30,000. */
  timeoutMs?: number;
  /** First backoff between retries in ms (doubles each time, with jitter). Default 250. */
  retryDelayMs?: number;
  /**
   * For this long after one of its writes, the client's reads ask to be served by the primary
   * database (header `X-Naravard-Read-Primary: 1`), so they see the write even where reads go to
   * read replicas that may lag behind. Default 10,000 ms; 0 turns it off.
   */
  readYourWritesMs?: number;
}

/** The header that asks the API to serve a read from the primary database. */
export const READ_PRIMARY_HEADER = 'x-naravard-read-primary';

/** Writes that give the same result however often they run, and so may be retried. */
const IDEMPOTENT_MUTATIONS = new Set(['upsertObservations']);

type Documents = typeof documents;
type OperationKey = {
  [K in keyof Documents]: K extends `${string}Document` ? (Documents[K] extends TypedDocumentNode<any, any> ? K : never) : never;
}[keyof Documents];
type MethodName<K> = K extends `${infer Name}Document` ? Uncapitalize<Name> : never;
type ResultOf<D> = D extends TypedDocumentNode<infer R, any> ? R : never;
type VariablesOf<D> = D extends TypedDocumentNode<any, infer V> ? V : never;

/** One typed method per operation in sdk/operations: `client.meetings({ filter })`. */
export type Operations = {
  [K in OperationKey as MethodName<K>]: {} extends VariablesOf<Documents[K]>
    ? (variables?: VariablesOf<Documents[K]>) => Promise<ResultOf<Documents[K]>>
    : (variables: VariablesOf<Documents[K]>) => Promise<ResultOf<Documents[K]>>;
};

interface PageShape<Node> {
  edges: { node: Node }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}
type NodeOfConnection<R> = {
  [K in keyof R]: NonNullable<R[K]> extends PageShape<infer Node> ? Node : never;
}[keyof R];
type PagedOperation = {
  [K in keyof Operations]: [NodeOfConnection<Awaited<ReturnType<Operations[K]>>>] extends [never]
    ? never
    : Parameters<Operations[K]>[0] extends { after?: unknown } | undefined
      ? K
      : never;
}[keyof Operations];

/** `client.paginate.meetings(args)`: every record of a list, page by page, as an async iterator. */
export type Paginators = {
  [K in PagedOperation]: (
    variables?: Omit<NonNullable<Parameters<Operations[K]>[0]>, 'after'>,
  ) => AsyncIterableIterator<NodeOfConnection<Awaited<ReturnType<Operations[K]>>>>;
};

export type Client = Operations & {
  /** Runs any typed document (from this package or your own) and returns its data. */
  request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables): Promise<Result>;
  paginate: Paginators;
};

const printed = new WeakMap<DocumentNode, { query: string; operation: OperationDefinitionNode }>();

function describe(document: DocumentNode) {
  let entry = printed.get(document);
  if (!entry) {
    const operation = document.definitions.find((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
    if (!operation) throw new TypeError('The document has no operation');
    entry = { query: print(document), operation };
    printed.set(document, entry);
  }
  return entry;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A typed client of the Nära vård GraphQL API. */
export function createClient(options: ClientOptions): Client {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const retries = options.retries ?? 3;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const readYourWritesMs = options.readYourWritesMs ?? 10_000;
  /** Until when reads ask for the primary (after this client's last write). */
  let readPrimaryUntil = 0;

  async function request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables?: Variables): Promise<Result> {
    const { query, operation } = describe(document);
    const name = operation.name?.value;
    const retryable = operation.operation === 'query' || (name !== undefined && IDEMPOTENT_MUTATIONS.has(name));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    const isWrite = operation.operation === 'mutation';
    if (!isWrite && Date.now() < readPrimaryUntil) headers[READ_PRIMARY_HEADER] = '1';
    // A write whose answer is lost may still have happened: from its start on, reads ask for the primary.
    if (isWrite && readYourWritesMs > 0) readPrimaryUntil = Date.now() + readYourWritesMs;
    const body = JSON.stringify({ query, variables: variables ?? {}, operationName: name });

    for (let attempt = 0; ; attempt += 1) {
      const mayRetry = retryable && attempt < retries;
      let response: Response;
      try {
        response = await fetchImpl(options.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        if (mayRetry) {
          await sleep(retryDelayMs * 2 ** attempt * (0.5 + Math.random()));
          continue;
        }
        throw new NetworkError(`No answer from ${options.url}: ${(error as Error).message}`, { cause: error });
      }
      if (response.status >= 500 && mayRetry) {
        await response.body?.cancel();
        await sleep(retryDelayMs * 2 ** attempt * (0.5 + Math.random()));
        continue;
      }
      let payload: { data?: Result | null; errors?: GraphQLErrorEntry[] };
      try {
        payload = (await response.json()) as typeof payload;
      } catch {
        throw new RequestError(response.status, [{ message: `HTTP ${response.status}: the answer was not JSON` }]);
      }
      if (payload.errors?.length || payload.data == null) {
        throw new RequestError(response.status, payload.errors ?? [{ message: `HTTP ${response.status} without data` }]);
      }
      return payload.data;
    }
  }

  const operations: Record<string, (variables?: unknown) => Promise<unknown>> = {};
  for (const [key, document] of Object.entries(documents)) {
    if (!key.endsWith('Document') || typeof document !== 'object' || document === null || !('definitions' in document)) continue;
    const { operation } = describe(document as DocumentNode);
    if (!operation.name) continue;
    operations[operation.name.value] = (variables) => request(document as TypedDocumentNode<unknown, unknown>, variables);
  }

  const paginate = new Proxy({} as Paginators, {
    get(_target, name: string) {
      const operation = operations[name];
      if (!operation) return undefined;
      return async function* (variables: Record<string, unknown> = {}) {
        let after: string | null | undefined;
        for (;;) {
          const result = (await operation({ ...variables, after })) as Record<string, PageShape<unknown> | null>;
          const connection = Object.values(result).find((value) => value && typeof value === 'object' && 'edges' in value && 'pageInfo' in value);
          if (!connection) throw new TypeError(`${name} does not return a connection with edges and pageInfo { hasNextPage endCursor }`);
          for (const edge of connection.edges) yield edge.node;
          if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return;
          after = connection.pageInfo.endCursor;
        }
      };
    },
  });

  return { ...(operations as unknown as Operations), request, paginate } as Client;
}
