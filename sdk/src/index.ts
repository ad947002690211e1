export { type Client, type ClientOptions, createClient, type Operations, type Paginators, READ_PRIMARY_HEADER } from './client.ts';
export { type GraphQLErrorEntry, NaravardError, NetworkError, RequestError } from './errors.ts';
/** The typed documents, usable with any GraphQL client (graphql-request, urql, Apollo Client). */
export * from './generated/graphql.ts';
