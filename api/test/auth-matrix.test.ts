import { getNamedType, type GraphQLInputType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, isUnionType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.ts';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { startWriteTest } from './support/writes.ts';

/**
 * Every mutation × every kind of caller, generated from the schema so a new mutation is covered
 * without a new line here. The arguments are well-typed placeholders (IDs of records that do not
 * exist), so an allowed caller gets a typed write error or a result, and a refused one gets
 * ForbiddenError or 401 — and the database stays as it was.
 */
let server: TestServer;
let as: Callers;

beforeAll(async () => {
  ({ server, as } = await startWriteTest());
});
afterAll(() => server?.close());

const SCALAR_PLACEHOLDERS: Record<string, unknown> = {
  ID: missingId('Meeting'),
  String: 'placeholder',
  Int: 1,
  Float: 1,
  Boolean: false,
  Date: '2024-01-01',
  DateTime: '2024-01-01T00:00:00Z',
  Period: '2024',
  Decimal: '1',
};

function placeholder(type: GraphQLInputType): unknown {
  if (isNonNullType(type)) return placeholder(type.ofType);
  if (isListType(type)) return [placeholder(type.ofType)];
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isScalarType(type)) return SCALAR_PLACEHOLDERS[type.name] ?? 'placeholder';
  if (isInputObjectType(type)) {
    return Object.fromEntries(
      Object.values(type.getFields())
        .filter((field) => isNonNullType(field.type))
        .map((field) => [field.name, placeholder(field.type)]),
    );
  }
  throw new Error(`no placeholder for ${String(type)}`);
}

const mutations = Object.values(schema.getMutationType()!.getFields());

function call(name: string) {
  const field = mutations.find((mutation) => mutation.name === name)!;
  const variables = Object.fromEntries(field.args.map((arg) => [arg.name, placeholder(arg.type)]));
  const definitions = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ');
  const passing = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ');
  const query = `mutation Matrix${definitions ? `(${definitions})` : ''} { result: ${name}${passing ? `(${passing})` : ''} {
    __typename ... on ForbiddenError { requiredScope } ... on WriteError { message } } }`;
  return { query, variables };
}

/** The members of a mutation's result union a caller past authorisation may get: its result or a typed write error. */
function answersPastAuthorisation(name: string): string[] {
  const type = getNamedType(mutations.find((mutation) => mutation.name === name)!.type);
  if (!isUnionType(type)) throw new Error(`${name} does not answer with a union`);
  return type
    .getTypes()
    .map((member) => member.name)
    .filter((member) => member !== 'ForbiddenError');
}

/**
 * A caller allowed to call the mutation gets one of its typed answers, and no GraphQL error: a
 * mutation that crashed (data null, an INTERNAL_SERVER_ERROR) fails here.
 */
function expectTypedAnswer(name: string, response: { status: number; data?: any; errors?: unknown[] }) {
  expect(response.errors, JSON.stringify(response.errors)).toBeUndefined();
  expect(response.status).toBe(200);
  expect(answersPastAuthorisation(name), JSON.stringify(response.data)).toContain(response.data?.result?.__typename);
}

describe('every mutation × every kind of caller', () => {
  it('every mutation answers with a union that includes the typed write errors', () => {
    expect(mutations.length).toBeGreaterThan(5);
    const notUnions = mutations.filter((mutation) => {
      const type = getNamedType(mutation.type);
      return !isUnionType(type) || !type.getTypes().some((member) => member.name === 'ForbiddenError');
    });
    expect(notUnions.map((mutation) => mutation.name)).toEqual([]);
  });

  it.each(mutations.map((mutation) => mutation.name))('%s: only a key with the right scope gets past authorisation', async (name) => {
    const { query, variables } = call(name);
    const before = await databaseChecksum(server);

    const anonymous = await server.graphql(query, variables, as.anonymous);
    expect(anonymous.data?.result?.__typename, JSON.stringify(anonymous.errors)).toBe('ForbiddenError');
    for (const refused of [as.revoked, as.malformed]) {
      const response = await server.graphql(query, variables, refused);
      expect(response.status).toBe(401);
      expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect(await databaseChecksum(server)).toBe(before);

    const adminOnly = /^(restore[A-Z].*|createApiKey|revokeApiKey|updateRegion)$/.test(name);
    const writer = await server.graphql(query, variables, as.write);
    if (adminOnly) {
      expect(writer.data?.result).toEqual({ __typename: 'ForbiddenError', requiredScope: 'admin', message: expect.any(String) });
    } else {
      expectTypedAnswer(name, writer);
    }
    expectTypedAnswer(name, await server.graphql(query, variables, as.admin));
  });
});
