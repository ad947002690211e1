import { expect } from 'vitest';
import { type Callers, callers, databaseChecksum } from './auth.ts';
import { startTestServer, type TestServer } from './server.ts';

/** What a write test selects of a write's typed errors: the message and each error's details. */
export const WRITE_ERRORS = /* GraphQL */ `
  ... on WriteError { message }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { type id path }
  ... on ConflictError { expectedVersion currentVersion }
  ... on ForbiddenError { requiredScope }
`;

/** A write's `__typename` and, when it answers with an error, the error. */
export const RESULT = /* GraphQL */ `
  __typename
  ${WRITE_ERRORS}
`;

type Headers = Record<string, string>;

export interface WriteTest {
  server: TestServer;
  /** Authorization headers of each kind of caller. */
  as: Callers;
  /** Runs a write that must be refused: no GraphQL error, nothing changed in the database. Gives the write's answer. */
  refused(query: string, variables: Record<string, unknown>, field: string, headers?: Headers): Promise<any>;
  /** Like `refused`, and the answer must match `expected`. */
  refusedWith(query: string, variables: Record<string, unknown>, field: string, expected: Record<string, unknown>, headers?: Headers): Promise<any>;
}

/** The API on its own seeded database, with callers of every kind, for a file of write tests. */
export async function startWriteTest(): Promise<WriteTest> {
  const server = await startTestServer({ seed: true });
  const as = await callers(server);
  const refused = async (query: string, variables: Record<string, unknown>, field: string, headers: Headers = as.write) => {
    const before = await databaseChecksum(server);
    const response = await server.graphql(query, variables, headers);
    expect(response.errors).toBeUndefined();
    expect(await databaseChecksum(server)).toBe(before);
    return response.data![field];
  };
  return {
    server,
    as,
    refused,
    async refusedWith(query, variables, field, expected, headers) {
      const answer = await refused(query, variables, field, headers);
      expect(answer).toMatchObject(expected);
      return answer;
    },
  };
}

/** The paths of a ValidationError's issues ("input.region"), in the order given. */
export const issuePaths = (result: { issues: { path: string[] }[] }) => result.issues.map((issue) => issue.path.join('.'));

/** The same, sorted. */
export const sortedIssuePaths = (result: { issues: { path: string[] }[] }) => issuePaths(result).sort();
