import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { globalId, gid, MISSING } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

/**
 * The Luhn check digit of an organisation number's first nine digits, written out here (not taken
 * from the library the API checks with), so a wrong rule in the API shows.
 */
function luhnCheckDigit(nine: string): number {
  let sum = 0;
  for (let index = 0; index < 9; index += 1) {
    const product = Number(nine[index]) * (index % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

let server: TestServer;
let as: Callers;
let refused: WriteTest['refusedWith'];

const orebroDoc = () => gid('Document', 'doc:orebro-beredning-2023');
const kronobergDoc = () => gid('Document', 'doc:kronoberg-sg-2023-03-28');
const hsnOrebro = () => gid('Organisation', 'org:18:halso-och-sjukvardsnamnden');
const beredning = () => gid('Organisation', 'org:18:beredning-for-nara-vard');
const styrgrupp = () => gid('Organisation', 'org:07:styrgrupp-nara-vard');

beforeAll(async () => {
  ({ server, as, refusedWith: refused } = await startWriteTest());
});
afterAll(() => server?.close());

const ORGANISATION = /* GraphQL */ `
  id version kind name aliases ownership organisationNumber municipalityCode description deletedAt
  region { code } parent { name } children { name }
  citations { quote locator document { title } }
`;

const CREATE = `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { ${RESULT} ... on Organisation { ${ORGANISATION} } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: OrganisationPatch!) { updateOrganisation(id: $id, version: $version, patch: $patch) { ${RESULT} ... on Organisation { ${ORGANISATION} } } }`;
const DELETE = `mutation ($id: ID!, $version: Int!) { deleteOrganisation(id: $id, version: $version) { ${RESULT} ... on Organisation { id version deletedAt } } }`;
const RESTORE = `mutation ($id: ID!) { restoreOrganisation(id: $id) { ${RESULT} ... on Organisation { id version deletedAt } } }`;
const VERSION = `query ($id: ID!) { node(id: $id) { ... on Organisation { version } ... on Person { version } ... on Membership { version } } }`;

const regionOrebro = (overrides: Record<string, unknown> = {}) => ({
  kind: 'REGIONAL_COUNCIL',
  name: 'Region Örebro län',
  aliases: ['RÖL', 'RÖL'],
  region: '18',
  ownership: 'PUBLIC',
  organisationNumber: '2321000164',
  description: 'Regionen som helhet.',
  citations: [{ document: orebroDoc(), quote: 'högkostnadsskydd för hjälpmedel i Region Örebro län', lineStart: 73, lineEnd: 73 }],
  ...overrides,
});

/** A fresh organisation for a test that changes it, with a unique name. */
async function createFresh(overrides: Record<string, unknown> = {}) {
  const name = `Testorgan ${Math.random().toString(36).slice(2, 8)}`;
  const response = await server.graphql(CREATE, { input: { kind: 'WORKING_GROUP', name, region: '18', ...overrides } }, as.write);
  expect(response.data!.createOrganisation.__typename).toBe('Organisation');
  return response.data!.createOrganisation;
}

async function versionOf(id: string): Promise<number> {
  return (await server.graphql(VERSION, { id })).data!.node.version;
}

describe('createOrganisation', () => {
  it('adds an organisation with a checked organisation number, its region and a citation, and logs who did it', async () => {
    const response = await server.graphql(CREATE, { input: regionOrebro() }, as.write);
    expect(response.errors).toBeUndefined();
    const created = response.data!.createOrganisation;
    expect(created).toMatchObject({
      __typename: 'Organisation',
      version: 1,
      kind: 'REGIONAL_COUNCIL',
      name: 'Region Örebro län',
      aliases: ['RÖL'],
      ownership: 'PUBLIC',
      organisationNumber: '232100-0164',
      municipalityCode: null,
      region: { code: '18' },
      parent: null,
      citations: [{ quote: 'högkostnadsskydd för hjälpmedel i Region Örebro län', locator: 'line 73', document: { title: 'Återrapportering till hälso- och sjukvårdsnämnden – Beredning för nära vård 2023' } }],
    });

    const list = await server.graphql(`{ organisations(first: 10, filter: { region: "18", kind: [REGIONAL_COUNCIL] }) { edges { node { id name organisationNumber } } } }`);
    expect(list.data!.organisations.edges).toEqual([{ node: { id: created.id, name: 'Region Örebro län', organisationNumber: '232100-0164' } }]);

    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { actor operation entityType after } } } }`, { id: created.id });
    expect(log.data!.changes.edges).toHaveLength(1);
    expect(log.data!.changes.edges[0].node).toMatchObject({
      actor: as.writeKeyName,
      operation: 'CREATE',
      entityType: 'ORGANISATION',
      after: { name: 'Region Örebro län', organisationNumber: '232100-0164' },
    });
  });

  it('adds a body under a parent, which then lists it among its children', async () => {
    const response = await server.graphql(
      CREATE,
      {
        input: {
          kind: 'COMMITTEE',
          name: 'Hälso- och sjukvårdsnämndens beredningar',
          region: '18',
          parent: hsnOrebro(),
          citations: [{ document: orebroDoc(), quote: 'Beredning för nära vård är en av fyra beredningar under hälso- och sjukvårdsnämnden.', lineStart: 17, lineEnd: 17 }],
        },
      },
      as.write,
    );
    expect(response.data!.createOrganisation).toMatchObject({ __typename: 'Organisation', parent: { name: 'Hälso- och sjukvårdsnämnden' } });
    const parent = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Organisation { children { name } } } }`, { id: hsnOrebro() });
    expect(parent.data!.node.children.map((child: any) => child.name)).toEqual(['Beredning för nära vård', 'Hälso- och sjukvårdsnämndens beredningar']);
  });

  it('refuses the organisation number "202100-5488" (wrong check digit) at input.organisationNumber and changes nothing', async () => {
    const result = await refused(CREATE, { input: regionOrebro({ name: 'Felaktigt nummer', organisationNumber: '202100-5488' }) }, 'createOrganisation', {
      __typename: 'ValidationError',
    });
    expect(result.issues).toEqual([
      { path: ['input', 'organisationNumber'], message: expect.stringContaining('the check digit does not match') },
    ]);
  });

  it('refuses every organisation number whose check digit is wrong (generated)', async () => {
    const before = await databaseChecksum(server);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          // Ten digits whose last is not the Luhn check digit of the nine before it, with or without the dash.
          fc
            .tuple(fc.stringMatching(/^[0-9]{9}$/), fc.integer({ min: 1, max: 9 }), fc.boolean())
            .map(([nine, off, dash]) => {
              const digits = `${nine}${(luhnCheckDigit(nine) + off) % 10}`;
              return dash ? `${digits.slice(0, 6)}-${digits.slice(6)}` : digits;
            }),
          // Text that is not ten digits at all.
          fc.tuple(fc.string({ maxLength: 12 }), fc.constantFrom('x', ' ', '/', '+')).map(([text, stray]) => `${text}${stray}`),
        ),
        async (number) => {
          const response = await server.graphql(CREATE, { input: { kind: 'OTHER', name: 'Genererad', organisationNumber: number } }, as.write);
          const result = response.data!.createOrganisation;
          expect(result.__typename).toBe('ValidationError');
          expect(result.issues.map((issue: any) => issue.path.join('.'))).toEqual(['input.organisationNumber']);
        },
      ),
      { numRuns: 20 },
    );
    expect(await databaseChecksum(server)).toBe(before);
  });

  it('holds the municipality rules and unique keys, naming the field each time', async () => {
    const withoutCode = await refused(CREATE, { input: { kind: 'MUNICIPALITY', name: 'Ny kommun' } }, 'createOrganisation', { __typename: 'ValidationError' });
    expect(withoutCode.issues).toEqual([{ path: ['input', 'municipalityCode'], message: 'a municipality needs its SCB municipality code (kommunkod)' }]);

    const codeOnBoard = await refused(CREATE, { input: { kind: 'BOARD', name: 'Nämnd', municipalityCode: '0780' } }, 'createOrganisation', { __typename: 'ValidationError' });
    expect(codeOnBoard.issues).toEqual([{ path: ['input', 'municipalityCode'], message: 'only an organisation of kind MUNICIPALITY has a municipality code' }]);

    const badFormat = await refused(CREATE, { input: { kind: 'MUNICIPALITY', name: 'Ny kommun', municipalityCode: '780' } }, 'createOrganisation', { __typename: 'ValidationError' });
    expect(badFormat.issues[0].path).toEqual(['input', 'municipalityCode']);

    const takenCode = await refused(CREATE, { input: { kind: 'MUNICIPALITY', name: 'Växjö igen', municipalityCode: '0780' } }, 'createOrganisation', { __typename: 'ValidationError' });
    expect(takenCode.issues).toEqual([{ path: ['input', 'municipalityCode'], message: 'Växjö already has the municipality code 0780' }]);

    const takenNumber = await refused(CREATE, { input: regionOrebro({ name: 'Dubblett', organisationNumber: '232100-0164' }) }, 'createOrganisation', {
      __typename: 'ValidationError',
    });
    expect(takenNumber.issues).toEqual([{ path: ['input', 'organisationNumber'], message: 'Region Örebro län already has the organisation number 232100-0164' }]);
  });

  it('refuses missing, wrong-typed and malformed references, unknown regions, blank and huge text, with their paths', async () => {
    await refused(CREATE, { input: { kind: 'BOARD', name: 'X', parent: globalId('Organisation', MISSING) } }, 'createOrganisation', {
      __typename: 'NotFoundError',
      type: 'Organisation',
      path: ['input', 'parent'],
    });
    const wrongType = await refused(CREATE, { input: { kind: 'BOARD', name: 'X', parent: orebroDoc() } }, 'createOrganisation', { __typename: 'ValidationError' });
    expect(wrongType.issues).toEqual([{ path: ['input', 'parent'], message: 'must be the ID of a Organisation, not of a Document' }]);
    const malformed = await refused(CREATE, { input: { kind: 'BOARD', name: 'X', parent: 'inte-ett-id' } }, 'createOrganisation', { __typename: 'ValidationError' });
    expect(malformed.issues[0].path).toEqual(['input', 'parent']);
    await refused(CREATE, { input: { kind: 'BOARD', name: 'X', region: '99' } }, 'createOrganisation', { __typename: 'NotFoundError', type: 'Region', id: '99', path: ['input', 'region'] });

    const many = await refused(
      CREATE,
      { input: { kind: 'BOARD', name: ' ', region: '7', description: 'x'.repeat(5001), aliases: Array.from({ length: 51 }, (_, i) => `alias ${i}`) } },
      'createOrganisation',
      { __typename: 'ValidationError' },
    );
    expect(many.issues.map((issue: any) => issue.path.join('.')).sort()).toEqual(['input.aliases', 'input.description', 'input.name', 'input.region']);

    const quote = await refused(
      CREATE,
      { input: regionOrebro({ name: 'Citat', organisationNumber: null, citations: [{ document: orebroDoc(), quote: 'högkostnadsskydd för hjälpmedel i Region Örebro län', lineStart: 10, lineEnd: 12 }] }) },
      'createOrganisation',
      { __typename: 'ValidationError' },
    );
    expect(quote.issues).toEqual([{ path: ['input', 'citations', '0', 'lineStart'], message: 'the quote is not on lines 10-12' }]);
  });

  it('refuses names over 300 characters (generated)', async () => {
    const before = await databaseChecksum(server);
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 301, maxLength: 2000 }).filter((name) => name.trim().length > 300), async (name) => {
        const response = await server.graphql(CREATE, { input: { kind: 'OTHER', name } }, as.write);
        expect(response.data!.createOrganisation.issues).toEqual([{ path: ['input', 'name'], message: 'must be at most 300 characters' }]);
      }),
      { numRuns: 10 },
    );
    expect(await databaseChecksum(server)).toBe(before);
  });
});

describe('updateOrganisation', () => {
  it('changes fields with the current version, clears with null, and refuses a stale version', async () => {
    const created = await createFresh({ description: 'Att rensa', aliases: ['TO'] });
    const updated = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { name: 'Arbetsgrupp SIP', description: null, aliases: null, ownership: 'PUBLIC' } }, as.write);
    expect(updated.data!.updateOrganisation).toMatchObject({ __typename: 'Organisation', version: 2, name: 'Arbetsgrupp SIP', description: null, aliases: [], ownership: 'PUBLIC', region: { code: '18' } });

    await refused(UPDATE, { id: created.id, version: 1, patch: { name: 'Skriver över' } }, 'updateOrganisation', {
      __typename: 'ConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation before after } } } }`, { id: created.id });
    expect(log.data!.changes.edges.map((edge: any) => edge.node.operation)).toEqual(['CREATE', 'UPDATE']);
    expect(log.data!.changes.edges[1].node.before.description).toBe('Att rensa');
    expect(log.data!.changes.edges[1].node.after.name).toBe('Arbetsgrupp SIP');
  });

  it('refuses a parent that would make a cycle: under itself, under its own committee, under a body two levels down', async () => {
    const version = await versionOf(hsnOrebro());
    const self = await refused(UPDATE, { id: hsnOrebro(), version, patch: { parent: hsnOrebro() } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(self.issues).toEqual([{ path: ['patch', 'parent'], message: 'an organisation cannot be its own parent' }]);

    const child = await refused(UPDATE, { id: hsnOrebro(), version, patch: { parent: beredning() } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(child.issues).toEqual([{ path: ['patch', 'parent'], message: 'the new parent sits under this organisation: that would make a cycle' }]);

    const grandchild = await createFresh({ parent: beredning() });
    const deep = await refused(UPDATE, { id: hsnOrebro(), version, patch: { parent: grandchild.id } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(deep.issues[0].path).toEqual(['patch', 'parent']);

    // Moving the grandchild elsewhere is fine, and so is a parent that is not below.
    const moved = await server.graphql(UPDATE, { id: grandchild.id, version: 1, patch: { parent: hsnOrebro() } }, as.write);
    expect(moved.data!.updateOrganisation).toMatchObject({ __typename: 'Organisation', parent: { name: 'Hälso- och sjukvårdsnämnden' } });
  });

  it('refuses a kind or code that breaks the municipality rule, and wrong types the schema lets through', async () => {
    const created = await createFresh();
    const toMunicipality = await refused(UPDATE, { id: created.id, version: 1, patch: { kind: 'MUNICIPALITY' } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(toMunicipality.issues).toEqual([{ path: ['patch', 'kind'], message: 'a municipality needs its SCB municipality code (kommunkod)' }]);
    const nullKind = await refused(UPDATE, { id: created.id, version: 1, patch: { kind: null, name: null } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(nullKind.issues.map((issue: any) => issue.path.join('.')).sort()).toEqual(['patch.kind', 'patch.name']);
    const wrongId = await refused(UPDATE, { id: kronobergDoc(), version: 1, patch: { name: 'X' } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(wrongId.issues[0].path).toEqual(['id']);
    await refused(UPDATE, { id: globalId('Organisation', MISSING), version: 1, patch: { name: 'X' } }, 'updateOrganisation', { __typename: 'NotFoundError', path: ['id'] });
    const badNumber = await refused(UPDATE, { id: created.id, version: 1, patch: { organisationNumber: '202100-5488' } }, 'updateOrganisation', { __typename: 'ValidationError' });
    expect(badNumber.issues[0].path).toEqual(['patch', 'organisationNumber']);
    const good = await server.graphql(UPDATE, { id: created.id, version: 1, patch: { organisationNumber: '202100-5489' } }, as.write);
    expect(good.data!.updateOrganisation).toMatchObject({ organisationNumber: '202100-5489', version: 2 });
  });
});

describe('deleteOrganisation and restoreOrganisation', () => {
  it('refuses to delete a body with live bodies under it or live memberships, and changes nothing', async () => {
    const underIt = await refused(DELETE, { id: hsnOrebro(), version: await versionOf(hsnOrebro()) }, 'deleteOrganisation', { __typename: 'ValidationError' });
    expect(underIt.issues).toEqual([{ path: ['id'], message: expect.stringMatching(/^still in use by \d+ organisation\(s\) under it/) }]);
    const members = await refused(DELETE, { id: styrgrupp(), version: await versionOf(styrgrupp()) }, 'deleteOrganisation', { __typename: 'ValidationError' });
    expect(members.issues).toEqual([{ path: ['id'], message: 'still in use by 6 membership(s); delete or move those first' }]);
  });

  it('deletes softly: gone from lists, seen by updatedSince with deletedAt, restored by an admin only', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const created = await createFresh({ name: 'Arbetsgrupp att ta bort' });
    await refused(DELETE, { id: created.id, version: 7 }, 'deleteOrganisation', { __typename: 'ConflictError', expectedVersion: 7, currentVersion: 1 });
    const deleted = await server.graphql(DELETE, { id: created.id, version: 1 }, as.write);
    expect(deleted.data!.deleteOrganisation).toMatchObject({ __typename: 'Organisation', version: 2, deletedAt: expect.any(String) });

    const list = await server.graphql(`{ organisations(first: 10, filter: { text: "Arbetsgrupp att ta bort" }) { totalCount } }`);
    expect(list.data!.organisations.totalCount).toBe(0);
    const incremental = await server.graphql(
      `query ($since: DateTime!) { organisations(first: 100, filter: { updatedSince: $since }) { edges { node { name deletedAt } } } }`,
      { since: startedAt },
    );
    expect(incremental.data!.organisations.edges).toEqual(expect.arrayContaining([{ node: { name: 'Arbetsgrupp att ta bort', deletedAt: expect.any(String) } }]));

    await refused(RESTORE, { id: created.id }, 'restoreOrganisation', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    const restored = await server.graphql(RESTORE, { id: created.id }, as.admin);
    expect(restored.data!.restoreOrganisation).toMatchObject({ __typename: 'Organisation', version: 3, deletedAt: null });
    const again = await server.graphql(`{ organisations(first: 10, filter: { text: "Arbetsgrupp att ta bort" }) { totalCount } }`);
    expect(again.data!.organisations.totalCount).toBe(1);
    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation actor } } } }`, { id: created.id });
    expect(log.data!.changes.edges.map((edge: any) => [edge.node.operation, edge.node.actor])).toEqual([
      ['CREATE', as.writeKeyName],
      ['DELETE', as.writeKeyName],
      ['RESTORE', as.adminKeyName],
    ]);
  });

  it('restores a body only after its deleted parent', async () => {
    const parent = await createFresh();
    const child = await createFresh({ parent: parent.id });
    expect((await server.graphql(DELETE, { id: child.id, version: 1 }, as.write)).data!.deleteOrganisation.__typename).toBe('Organisation');
    expect((await server.graphql(DELETE, { id: parent.id, version: 1 }, as.write)).data!.deleteOrganisation.__typename).toBe('Organisation');
    const early = await refused(RESTORE, { id: child.id }, 'restoreOrganisation', { __typename: 'ValidationError' }, as.admin);
    expect(early.issues).toEqual([{ path: ['id'], message: `its parent ${parent.name} is deleted; restore that first` }]);
    expect((await server.graphql(RESTORE, { id: parent.id }, as.admin)).data!.restoreOrganisation.__typename).toBe('Organisation');
    expect((await server.graphql(RESTORE, { id: child.id }, as.admin)).data!.restoreOrganisation.__typename).toBe('Organisation');
    await refused(RESTORE, { id: child.id }, 'restoreOrganisation', { __typename: 'NotFoundError', type: 'deleted Organisation' }, as.admin);
  });
});

describe('who may write', () => {
  it.each([
    ['createOrganisation', CREATE, () => ({ input: regionOrebro({ name: 'Anonym', organisationNumber: null }) })],
    ['updateOrganisation', UPDATE, () => ({ id: hsnOrebro(), version: 1, patch: { name: 'Anonym' } })],
    ['deleteOrganisation', DELETE, () => ({ id: hsnOrebro(), version: 1 })],
  ])('%s without a key is a ForbiddenError and changes nothing', async (field, query, variables) => {
    await refused(query, variables(), field, { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });
});
