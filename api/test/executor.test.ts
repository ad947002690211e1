import { readdirSync, readFileSync } from 'node:fs';
import { getIntrospectionQuery, Kind, parse } from 'graphql';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUERIES } from '../../packages/bench/src/read/queries.ts';
import { schema } from '../src/schema/index.ts';
import { type App, createApp } from '../src/server.ts';
import { startTestServer, type TestServer } from './support/server.ts';

/**
 * The compiled executor (graphql-jit) must answer exactly as graphql-js does. Every query of the
 * SDK, the benchmark's queries and requests that fail in different ways are sent over HTTP to two
 * servers on one database: the API as it runs (compiled) and the same API executing with
 * graphql-js. Status and body must be identical, byte for byte.
 */
const operationsFolder = new URL('../../sdk/operations/', import.meta.url);
const sdkDocuments = readdirSync(operationsFolder)
  .filter((file) => file.endsWith('.graphql'))
  .map((file) => readFileSync(new URL(file, operationsFolder), 'utf8'));
// Fragments live in their own files; every request carries all of them (only the ones it uses survive validation, so it takes just those).
const fragments = sdkDocuments.flatMap((text) =>
  parse(text).definitions.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION).map((definition) => definition.loc!.source.body.slice(definition.loc!.start, definition.loc!.end)),
);
const queryOperations = sdkDocuments.flatMap((text) =>
  parse(text)
    .definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.operation === 'query')
    .map((definition) => ({
      name: (definition as { name?: { value: string } }).name!.value,
      text: text.slice(definition.loc!.start, definition.loc!.end),
      variables: new Set((definition as { variableDefinitions?: { variable: { name: { value: string } } }[] }).variableDefinitions?.map((v) => v.variable.name.value)),
    })),
);

/** Only the fragments an operation spreads (directly or through other fragments), as the SDK sends it. */
function withFragments(operation: string): string {
  const byName = new Map(fragments.map((text) => [/fragment (\w+)/.exec(text)![1]!, text]));
  const needed = new Set<string>();
  const visit = (text: string) => {
    for (const [, name] of text.matchAll(/\.\.\.(\w+)/g)) {
      if (name === 'on' || needed.has(name!) || !byName.has(name!)) continue;
      needed.add(name!);
      visit(byName.get(name!)!);
    }
  };
  visit(operation);
  return [operation, ...[...needed].map((name) => byName.get(name)!)].join('\n');
}

let compiled: TestServer;
let reference: App;
let referenceUrl: string;

beforeAll(async () => {
  compiled = await startTestServer({ seed: true });
  // The same database; stopping this app must not close it (the compiled server owns it).
  reference = await createApp({
    connection: { ...compiled.database, close: async () => {} },
    logger: pino({ level: 'silent' }),
    compiledExecution: false,
    // The same limits as the test server (per-client limits off), so answers differ only by executor.
    limits: { rateLimitCost: 0, concurrencyLimit: 0, requestTimeBudgetMs: 60_000 },
  });
  referenceUrl = `http://127.0.0.1:${await reference.listen(0, '127.0.0.1')}`;
}, 120_000);

afterAll(async () => {
  await reference?.stop();
  await compiled?.close();
});

async function post(base: string, body: unknown) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** Sends one request to both servers and expects the same answer; returns the parsed answer. */
async function expectSameAnswer(body: { query: string; variables?: Record<string, unknown>; operationName?: string }) {
  const [fromCompiled, fromReference] = await Promise.all([post(compiled.url, body), post(referenceUrl, body)]);
  expect(fromCompiled).toEqual(fromReference);
  return JSON.parse(fromCompiled.body) as { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** Global IDs found anywhere in an answer. */
function idsIn(value: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) idsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'id' && typeof item === 'string') found.add(item);
      else idsIn(item, found);
    }
  }
  return found;
}

const VARIABLES: Record<string, Record<string, unknown>[]> = {
  indicator: [
    { code: 'SIP_MEETINGS' },
    { code: 'SIP_MEETINGS', withSeries: true },
    { code: 'SIP_MEETINGS', withSeries: true, grain: 'YEAR', region: '13' },
    { code: 'NO_SUCH_INDICATOR' },
  ],
  observationAggregates: [
    { indicator: 'SIP_MEETINGS' },
    { indicator: 'SIP_MEETINGS', groupBy: ['REGION', 'YEAR'] },
    { indicator: 'SIP_MEETINGS', groupBy: ['ORGANISATION', 'MONTH'], filter: { periodFrom: '2020' } },
  ],
  region: [{ code: '13' }, { code: '07' }, { code: 'XX' }],
  search: [{ query: 'nära vård' }, { query: 'primärvård', first: 3 }, { query: 'halso- och sjukvardsnamnden' }, { query: '' }],
  node: [{ id: 'not an id' }],
  nodes: [{ ids: [] }],
};

describe('compiled execution answers as graphql-js does', () => {
  const seenIds = new Set<string>();

  it('for every query operation of the SDK', async () => {
    expect(queryOperations.length).toBeGreaterThanOrEqual(20);
    let withData = 0;
    for (const operation of queryOperations) {
      const variableSets = VARIABLES[operation.name] ?? [{}, ...(operation.variables.has('first') ? [{ first: 100 }] : [])];
      for (const variables of variableSets) {
        const answer = await expectSameAnswer({ query: withFragments(operation.text), variables, operationName: operation.name });
        if (answer.data) withData += 1;
        idsIn(answer.data, seenIds);
      }
    }
    // Most of them answer with data (the comparison is not only of errors).
    expect(withData).toBeGreaterThan(queryOperations.length);
  });

  it('for node and nodes on every kind of record the lists returned', async () => {
    const nodeOperation = queryOperations.find((operation) => operation.name === 'node')!;
    const nodesOperation = queryOperations.find((operation) => operation.name === 'nodes')!;
    const byType = new Map<string, string>();
    for (const id of seenIds) byType.set(Buffer.from(id, 'base64').toString('utf8').split(':')[0]!, id);
    expect(byType.size).toBeGreaterThanOrEqual(10);
    for (const id of byType.values()) {
      const answer = await expectSameAnswer({ query: withFragments(nodeOperation.text), variables: { id }, operationName: 'node' });
      expect(answer.data?.node).not.toBeNull();
    }
    await expectSameAnswer({ query: withFragments(nodesOperation.text), variables: { ids: [...byType.values()] }, operationName: 'nodes' });
  });

  it('by compiling every one of them (no silent fall-back to graphql-js)', () => {
    for (const operation of queryOperations) {
      const compiledQuery = compileQuery(schema, parse(withFragments(operation.text)), operation.name);
      expect(isCompiledQuery(compiledQuery), operation.name).toBe(true);
    }
    for (const query of QUERIES) expect(isCompiledQuery(compileQuery(schema, parse(query.query))), query.name).toBe(true);
  });

  it("for the benchmark's queries", async () => {
    const [meeting] = [...seenIds].filter((id) => Buffer.from(id, 'base64').toString('utf8').startsWith('Meeting:'));
    const variables: Record<string, Record<string, string>> = {
      Q1: { region: '13' },
      Q2: { region: '07', to: '2025-12-31' },
      Q3: { id: meeting! },
      Q4: { indicator: 'SIP_MEETINGS', region: '13', from: '2015-01', to: '2025-12' },
      Q5: { indicator: 'SIP_MEETINGS', year: '2023' },
      Q6: { q: 'vårdcentral' },
    };
    for (const query of QUERIES) {
      const answer = await expectSameAnswer({ query: query.query, variables: variables[query.name] });
      expect(answer.errors).toBeUndefined();
    }
  });

  it('for failures: bad variables, bad arguments, forbidden fields, unknown operations', async () => {
    const cases = [
      { query: 'query($first: Int) { regions(first: $first) { totalCount } }', variables: { first: 'ten' } },
      { query: 'query($first: Int!) { regions(first: $first) { totalCount } }' },
      { query: '{ regions(first: 1000) { totalCount } }' },
      { query: '{ meetings(after: "not a cursor") { totalCount } }' },
      { query: '{ observations(filter: { periodFrom: "0000" }) { totalCount } }' },
      { query: '{ apiKeys { totalCount } }' },
      { query: '{ node(id: "TWVldGluZzpub3QtYS11dWlk") { id } }' },
      { query: 'query A { regions { totalCount } } query B { topics { totalCount } }', operationName: 'C' },
    ];
    for (const body of cases) {
      const answer = await expectSameAnswer(body);
      expect(answer.errors?.length).toBeGreaterThan(0);
    }
  });

  it('for directives, aliases, fragments on interfaces and introspection', async () => {
    await expectSameAnswer({
      query: `query($full: Boolean!) {
        a: regions(first: 2) { edges { node { code name @include(if: $full) ...on Node { id } __typename } } }
        b: regions(first: 1, orderBy: NAME_DESC) { totalCount edges { node { code @skip(if: $full) } } }
        search(query: "vård", first: 5) { edges { node { type record { __typename ... on Node { id } ... on Decision { text } } } } }
      }`,
      variables: { full: true },
    });
    const introspection = await expectSameAnswer({ query: getIntrospectionQuery() });
    expect(introspection.data?.__schema).toBeDefined();
  });
});
