import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Callers } from './support/auth.ts';
import { globalId, gid, MISSING } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

/* People named in the records and their roles in bodies (memberships): writes, their input rules, and who may make them. */

let server: TestServer;
let as: Callers;
let refused: WriteTest['refusedWith'];

const kronobergDoc = () => gid('Document', 'doc:kronoberg-sg-2023-03-28');
const hsnOrebro = () => gid('Organisation', 'org:18:halso-och-sjukvardsnamnden');
const styrgrupp = () => gid('Organisation', 'org:07:styrgrupp-nara-vard');

beforeAll(async () => {
  ({ server, as, refusedWith: refused } = await startWriteTest());
});
afterAll(() => server?.close());

const PERSON_RESULT = `${RESULT} ... on Person { id version name aliases deletedAt memberships { title startedOn endedOn organisation { name } } citations { quote } }`;
const CREATE_PERSON = `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { ${PERSON_RESULT} } }`;
const UPDATE_PERSON = `mutation ($id: ID!, $version: Int!, $patch: PersonPatch!) { updatePerson(id: $id, version: $version, patch: $patch) { ${PERSON_RESULT} } }`;
const DELETE_PERSON = `mutation ($id: ID!, $version: Int!) { deletePerson(id: $id, version: $version) { ${PERSON_RESULT} } }`;
const RESTORE_PERSON = `mutation ($id: ID!) { restorePerson(id: $id) { ${PERSON_RESULT} } }`;
const MEMBERSHIP_RESULT = `${RESULT} ... on Membership { id version title startedOn endedOn deletedAt person { name } organisation { name } citations { quote } }`;
const ADD_MEMBERSHIP = `mutation ($input: AddMembershipInput!) { addMembership(input: $input) { ${MEMBERSHIP_RESULT} } }`;
const UPDATE_MEMBERSHIP = `mutation ($id: ID!, $version: Int!, $patch: MembershipPatch!) { updateMembership(id: $id, version: $version, patch: $patch) { ${MEMBERSHIP_RESULT} } }`;
const DELETE_MEMBERSHIP = `mutation ($id: ID!, $version: Int!) { deleteMembership(id: $id, version: $version) { ${MEMBERSHIP_RESULT} } }`;
const RESTORE_MEMBERSHIP = `mutation ($id: ID!) { restoreMembership(id: $id) { ${MEMBERSHIP_RESULT} } }`;

describe('people and memberships', () => {
  it('adds a person and a membership that both sides then list, and changes them', async () => {
    const person = (
      await server.graphql(
        CREATE_PERSON,
        {
          input: {
            name: 'Therese Hildingsson',
            aliases: ['Therese'],
            citations: [{ document: kronobergDoc(), quote: 'Ett möte ska bokas in med verksamhetschefer och Therese ombesörjer detta.', lineStart: 145, lineEnd: 146 }],
          },
        },
        as.write,
      )
    ).data!.createPerson;
    expect(person).toMatchObject({ __typename: 'Person', version: 1, name: 'Therese Hildingsson', aliases: ['Therese'], memberships: [] });
    expect(person.citations[0].quote).toBe('Ett möte ska bokas in med verksamhetschefer och Therese ombesörjer detta.');

    const renamed = await server.graphql(UPDATE_PERSON, { id: person.id, version: 1, patch: { name: 'Therese H.', aliases: null } }, as.write);
    expect(renamed.data!.updatePerson).toMatchObject({ name: 'Therese H.', aliases: [], version: 2 });

    const membership = (
      await server.graphql(
        ADD_MEMBERSHIP,
        {
          input: {
            person: person.id,
            organisation: styrgrupp(),
            title: 'Chefssekreterare',
            startedOn: '2023-01-01',
            citations: [{ document: kronobergDoc(), quote: 'Therese Hildingsson, Chefssekreterare', lineStart: 25, lineEnd: 25 }],
          },
        },
        as.write,
      )
    ).data!.addMembership;
    expect(membership).toMatchObject({
      __typename: 'Membership',
      title: 'Chefssekreterare',
      startedOn: '2023-01-01',
      endedOn: null,
      person: { name: 'Therese H.' },
      organisation: { name: 'Styrgrupp Nära vård' },
      citations: [{ quote: 'Therese Hildingsson, Chefssekreterare' }],
    });
    const group = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Organisation { memberships { id title } } } }`, { id: styrgrupp() });
    expect(group.data!.node.memberships).toHaveLength(7);
    expect(group.data!.node.memberships).toEqual(expect.arrayContaining([{ id: membership.id, title: 'Chefssekreterare' }]));

    const ended = await server.graphql(UPDATE_MEMBERSHIP, { id: membership.id, version: 1, patch: { endedOn: '2024-06-30' } }, as.write);
    expect(ended.data!.updateMembership).toMatchObject({ __typename: 'Membership', version: 2, startedOn: '2023-01-01', endedOn: '2024-06-30' });
    const reread = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Person { memberships { endedOn organisation { name } } } } }`, { id: person.id });
    expect(reread.data!.node.memberships).toEqual([{ endedOn: '2024-06-30', organisation: { name: 'Styrgrupp Nära vård' } }]);
  });

  it('refuses dates out of order on add and on update (checked against the stored dates), and bad references', async () => {
    const person = (await server.graphql(CREATE_PERSON, { input: { name: 'Dan Petersson' } }, as.write)).data!.createPerson;
    const added = await refused(
      ADD_MEMBERSHIP,
      { input: { person: person.id, organisation: styrgrupp(), startedOn: '2023-05-01', endedOn: '2023-04-30' } },
      'addMembership',
      { __typename: 'ValidationError' },
    );
    expect(added.issues).toEqual([{ path: ['input', 'endedOn'], message: 'the role must not end before it starts' }]);
    await refused(ADD_MEMBERSHIP, { input: { person: globalId('Person', MISSING), organisation: styrgrupp() } }, 'addMembership', {
      __typename: 'NotFoundError',
      type: 'Person',
      path: ['input', 'person'],
    });
    const swapped = await refused(ADD_MEMBERSHIP, { input: { person: styrgrupp(), organisation: person.id } }, 'addMembership', { __typename: 'ValidationError' });
    expect(swapped.issues.map((issue: any) => issue.path.join('.'))).toEqual(['input.person', 'input.organisation']);

    const membership = (
      await server.graphql(ADD_MEMBERSHIP, { input: { person: person.id, organisation: styrgrupp(), startedOn: '2023-05-01' } }, as.write)
    ).data!.addMembership;
    const update = await refused(UPDATE_MEMBERSHIP, { id: membership.id, version: 1, patch: { endedOn: '2023-01-31' } }, 'updateMembership', {
      __typename: 'ValidationError',
    });
    expect(update.issues).toEqual([{ path: ['patch', 'endedOn'], message: 'the role must not end (2023-01-31) before it starts (2023-05-01)' }]);
    const huge = await refused(UPDATE_MEMBERSHIP, { id: membership.id, version: 1, patch: { title: 'x'.repeat(301) } }, 'updateMembership', {
      __typename: 'ValidationError',
    });
    expect(huge.issues).toEqual([{ path: ['patch', 'title'], message: 'must be at most 300 characters' }]);
  });

  it('refuses to delete a person with live memberships; deletes and restores people and memberships in order', async () => {
    const person = (await server.graphql(CREATE_PERSON, { input: { name: 'Jonas Karlström' } }, as.write)).data!.createPerson;
    const membership = (await server.graphql(ADD_MEMBERSHIP, { input: { person: person.id, organisation: styrgrupp() } }, as.write)).data!.addMembership;

    const inUse = await refused(DELETE_PERSON, { id: person.id, version: 1 }, 'deletePerson', { __typename: 'ValidationError' });
    expect(inUse.issues).toEqual([{ path: ['id'], message: 'still in use by 1 membership(s); delete or move those first' }]);

    const gone = await server.graphql(DELETE_MEMBERSHIP, { id: membership.id, version: 1 }, as.write);
    expect(gone.data!.deleteMembership).toMatchObject({ __typename: 'Membership', deletedAt: expect.any(String) });
    const deletedPerson = await server.graphql(DELETE_PERSON, { id: person.id, version: 1 }, as.write);
    expect(deletedPerson.data!.deletePerson).toMatchObject({ __typename: 'Person', deletedAt: expect.any(String) });

    const people = await server.graphql(`{ people(first: 10, filter: { text: "Jonas Karlström" }) { edges { node { name } } } }`);
    expect(people.data!.people.edges).toEqual([{ node: { name: 'Jonas Karlström' } }]); // the seeded one; the new one is hidden

    await refused(RESTORE_MEMBERSHIP, { id: membership.id }, 'restoreMembership', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    const early = await refused(RESTORE_MEMBERSHIP, { id: membership.id }, 'restoreMembership', { __typename: 'ValidationError' }, as.admin);
    expect(early.issues).toEqual([{ path: ['id'], message: 'its person Jonas Karlström is deleted; restore that first' }]);
    await refused(RESTORE_PERSON, { id: person.id }, 'restorePerson', { __typename: 'ForbiddenError', requiredScope: 'admin' });
    expect((await server.graphql(RESTORE_PERSON, { id: person.id }, as.admin)).data!.restorePerson).toMatchObject({ version: 3, deletedAt: null });
    expect((await server.graphql(RESTORE_MEMBERSHIP, { id: membership.id }, as.admin)).data!.restoreMembership).toMatchObject({ version: 3, deletedAt: null });
    const reread = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Person { memberships { organisation { name } } } } }`, { id: person.id });
    expect(reread.data!.node.memberships).toEqual([{ organisation: { name: 'Styrgrupp Nära vård' } }]);
  });
});

describe('input rules', () => {
  it('requires in GraphQL exactly the fields whose rules refuse a missing value', async () => {
    const schema = await server.graphql(`{ __type(name: "AddMembershipInput") { inputFields { name type { kind } } } }`);
    const required = schema.data!.__type.inputFields.filter((field: any) => field.type.kind === 'NON_NULL').map((field: any) => field.name);
    expect(required.sort()).toEqual(['organisation', 'person']);
    const patch = await server.graphql(`{ __type(name: "PersonPatch") { inputFields { name type { kind } } } }`);
    expect(patch.data!.__type.inputFields.map((field: any) => field.type.kind)).toEqual(['LIST', 'SCALAR']);
    const missing = await server.graphql(CREATE_PERSON, { input: { aliases: ['X'] } }, as.write);
    expect(missing.status).toBe(400);
    expect(missing.errors![0]!.message).toMatch(/Field "name" of required type "String!" was not provided/);
  });

  it('refuses null for a field a record must have, and names a nested field’s cross-field rule by its full path', async () => {
    const person = (await server.graphql(CREATE_PERSON, { input: { name: 'Karin Ek' } }, as.write)).data!.createPerson;
    const cleared = await refused(UPDATE_PERSON, { id: person.id, version: 1, patch: { name: null } }, 'updatePerson', { __typename: 'ValidationError' });
    expect(cleared.issues).toEqual([{ path: ['patch', 'name'], message: expect.stringMatching(/expected string, received null/) }]);
    const lines = await refused(
      CREATE_PERSON,
      { input: { name: 'Karin Ek', citations: [{ document: kronobergDoc(), quote: 'Therese', lineStart: 146, lineEnd: 145 }] } },
      'createPerson',
      { __typename: 'ValidationError' },
    );
    expect(lines.issues).toEqual([{ path: ['input', 'citations', '0', 'lineEnd'], message: 'lineEnd must not be before lineStart' }]);
    const blank = await refused(CREATE_PERSON, { input: { name: '  ', aliases: ['ok', ' '] } }, 'createPerson', { __typename: 'ValidationError' });
    expect(blank.issues).toEqual([
      { path: ['input', 'name'], message: 'must not be blank' },
      { path: ['input', 'aliases', '1'], message: 'must not be blank' },
    ]);
  });

  it('tells a caller without the scope that they may not write before anything about the input', async () => {
    await refused(CREATE_PERSON, { input: { name: ' ' } }, 'createPerson', { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
    await refused(ADD_MEMBERSHIP, { input: { person: styrgrupp(), organisation: 'nonsense' } }, 'addMembership', { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });
});

describe('who may write', () => {
  it.each([
    ['createPerson', CREATE_PERSON, () => ({ input: { name: 'Anonym' } })],
    ['addMembership', ADD_MEMBERSHIP, () => ({ input: { person: gid('Person', 'person:07:dan-petersson'), organisation: hsnOrebro() } })],
  ])('%s without a key is a ForbiddenError and changes nothing', async (field, query, variables) => {
    await refused(query, variables(), field, { __typename: 'ForbiddenError', requiredScope: 'write' }, as.anonymous);
  });
});
