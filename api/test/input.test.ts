import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const globalId = (text: string) => Buffer.from(text).toString('base64');

/** The single error of a refused request: bad input, no internal error, no data read. */
async function refused(query: string, variables?: Record<string, unknown>) {
  server.database.resetStatements();
  const response = await server.graphql(query, variables);
  expect(response.errors, JSON.stringify(response)).toHaveLength(1);
  const [error] = response.errors!;
  expect(error!.extensions?.code, error!.message).toMatch(/^(BAD_USER_INPUT|GRAPHQL_VALIDATION_FAILED)$/);
  expect(JSON.stringify(response)).not.toMatch(/Internal server error|ApiKey|loading by id|Pothos/i);
  return error!;
}

describe('bad input is the caller’s error, never an internal one', () => {
  it('refuses a NUL character in any string argument, literal or variable, naming it', async () => {
    const inFilter = await refused(`{ organisations(first: 1, filter: { text: "a\\u0000b" }) { totalCount } }`);
    expect(inFilter.message).toMatch(/filter\.text/);
    expect(inFilter.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.text' });
    expect(server.database.statements).toEqual([]);

    const inCode = await refused(`{ region(code: "0\\u00007") { name } }`);
    expect(inCode.message).toMatch(/"code"/);

    const inSearch = await refused(`query($q: String!) { search(query: $q, first: 1) { totalCount } }`, { q: 'vård\u0000' });
    expect(inSearch.message).toMatch(/\$q/);
    expect(server.database.statements).toEqual([]);

    const nested = await refused(`query($f: OrganisationFilter) { organisations(first: 1, filter: $f) { totalCount } }`, {
      f: { text: 'x\u0000' },
    });
    expect(nested.message).toMatch(/\$f\.text/);
  });

  it('refuses the period "0000" and the date "0000-01-01", which PostgreSQL cannot store', async () => {
    const period = await refused(
      `query($p: Period) { observations(first: 1, filter: { periodFrom: $p }) { totalCount } }`,
      { p: '0000' },
    );
    expect(period.message).toMatch(/Period/);
    const literalPeriod = await refused(`{ observations(first: 1, filter: { periodFrom: "0000-Q1" }) { totalCount } }`);
    expect(literalPeriod.message).toMatch(/Period/);
    const date = await refused(`{ meetings(first: 1, filter: { heldOn: { from: "0000-01-01" } }) { totalCount } }`);
    expect(date.message).toMatch(/Date/);
    const dateTime = await refused(`query($t: DateTime) { organisations(first: 1, filter: { updatedSince: $t }) { totalCount } }`, {
      t: '0000-01-01T00:00:00Z',
    });
    expect(dateTime.message).toMatch(/DateTime/);
  });

  it('refuses malformed global IDs in node(id:) and in ID filters', async () => {
    for (const id of ['abc', '', globalId('Organisation:abc'), globalId('Organisation'), globalId('Topic:abc'), '%%%', globalId('ApiKey:00000000-0000-4000-8000-000000000000')]) {
      const error = await refused(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const literal = await refused(`{ node(id: "abc") { id } }`);
    expect(literal.message).toMatch(/not an ID this API gave out/);

    // `parent` takes an organisation's name too: "abc" is looked up, and refused as a name that names nothing.
    const parent = await refused(`{ organisations(first: 1, filter: { parent: "abc" }) { totalCount } }`);
    expect(parent).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.parent' } });
    expect(parent.message).toMatch(/^"filter\.parent": no organisation is called "abc"\./);
    const inVariable = await refused(`query($f: OrganisationFilter) { organisations(first: 1, filter: $f) { totalCount } }`, { f: { parent: 'abc' } });
    expect(inVariable.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: 'filter.parent' });
    // An argument that takes only IDs refuses a malformed one before any statement runs.
    server.database.resetStatements();
    const meeting = await refused(`query($f: DecisionFilter) { decisions(first: 1, filter: $f) { totalCount } }`, { f: { meeting: 'abc' } });
    expect(meeting.extensions).toEqual({ code: 'BAD_USER_INPUT', argument: '$f.meeting' });
    expect(server.database.statements).toEqual([]);
    const wrongId = await refused(`{ organisations(first: 1, filter: { parent: "${globalId('Organisation:1 or 1=1')}" }) { totalCount } }`);
    expect(wrongId.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
