import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers, databaseChecksum } from './support/auth.ts';
import { gid, missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, issuePaths, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refused'];

const DOC = 'kronoberg-revisionssvar-2025-03-25';
const DOCUMENT = gid('Document', 'doc:kronoberg-revisionssvar-2025');
const STATSBIDRAG = gid('GrantProgramme', `grant-programme:${DOC}:statsbidrag-nara-vard`);
const SEKTORSBIDRAG = gid('GrantProgramme', `grant-programme:${DOC}:sektorsbidrag`);
const VARDVAL = gid('GrantProgramme', `grant-programme:${DOC}:vardval-primarvard-ersattning`);
const GRANT_2024 = gid('Grant', `grant:${DOC}:statsbidrag-nara-vard-2024`);
const GRANT_2025 = gid('Grant', `grant:${DOC}:statsbidrag-nara-vard-2025`);
const RATE_148 = gid('Allocation', `allocation:${DOC}:sektorsbidrag-148-per-listad`);
const SOCIALSTYRELSEN = gid('Organisation', 'org:se:socialstyrelsen');

beforeAll(async () => {
  ({ server, as, refused } = await startWriteTest());
});
afterAll(() => server?.close());

const CREATE_PROGRAMME = `mutation ($input: CreateGrantProgrammeInput!) { createGrantProgramme(input: $input) {
  ${RESULT} ... on GrantProgramme { id version name legalBasis grantor { name } topics { slug } citations { quote lines { start end } } } } }`;
const CREATE_GRANT = `mutation ($input: CreateGrantInput!) { createGrant(input: $input) {
  ${RESULT} ... on Grant { id version period amountSek amountIsApproximate status requisitionDueOn programme { name } recipientRegion { code } citations { quote } } } }`;
const UPDATE_GRANT = `mutation ($id: ID!, $version: Int!, $patch: GrantPatch!) { updateGrant(id: $id, version: $version, patch: $patch) {
  ${RESULT} ... on Grant { version status amountSek amountIsApproximate } } }`;
const CREATE_ALLOCATION = `mutation ($input: CreateAllocationInput!) { createAllocation(input: $input) {
  ${RESULT} ... on Allocation { id version amountSek rateSek rateMaxSek rateUnit capSek capUnit period programme { name } region { code } citations { quote } } } }`;
const UPDATE_ALLOCATION = `mutation ($id: ID!, $version: Int!, $patch: AllocationPatch!) { updateAllocation(id: $id, version: $version, patch: $patch) {
  ${RESULT} ... on Allocation { version rateSek rateMaxSek rateUnit } } }`;

const grantInput = (overrides: Record<string, unknown> = {}) => ({
  programme: STATSBIDRAG,
  recipientRegion: '07',
  period: '2026',
  amountSek: '51900000.50',
  status: 'REQUESTED',
  requisitionDueOn: '2026-04-17',
  description: 'Statsbidrag för nära vård 2026, rekvirerat hos Socialstyrelsen.',
  citations: [{ document: DOCUMENT, quote: 'Bidraget rekvireras hos Socialstyrelsen.', lineStart: 354, lineEnd: 354 }],
  ...overrides,
});

const allocationInput = (overrides: Record<string, unknown> = {}) => ({
  programme: VARDVAL,
  region: '07',
  recipientDescription: 'Vårdcentralerna i Vårdval Primärvård',
  rateSek: '4',
  rateMaxSek: '44',
  rateUnit: 'listed patient',
  period: '2026',
  citations: [
    {
      document: DOCUMENT,
      quote: 'Berdknat pa andel listade patienter med fast likarkontakt, utgar ersattning (ca 4 — 44 kronor per listad)',
      lineStart: 163,
      lineEnd: 164,
    },
  ],
  ...overrides,
});

describe('grant programmes', () => {
  it('creates a programme with topics and a cited passage, listed at once and logged', async () => {
    const response = await server.graphql(
      CREATE_PROGRAMME,
      {
        input: {
          name: 'Rekvisitionsbidrag för nära vård',
          legalBasis: 'SFS 2024:1253',
          grantor: SOCIALSTYRELSEN,
          topics: ['state-grants'],
          citations: [{ document: DOCUMENT, quote: 'statsbidraget blir férordningsstyrt (SFS 2024:1253)', lineStart: 347, lineEnd: 348 }],
        },
      },
      as.write,
    );
    expect(response.errors).toBeUndefined();
    const programme = response.data!.createGrantProgramme;
    expect(programme).toMatchObject({
      __typename: 'GrantProgramme',
      version: 1,
      legalBasis: 'SFS 2024:1253',
      grantor: { name: 'Socialstyrelsen' },
      topics: [{ slug: 'state-grants' }],
      citations: [{ quote: 'statsbidraget blir férordningsstyrt (SFS 2024:1253)', lines: { start: 347, end: 348 } }],
    });
    const list = await server.graphql(`{ grantProgrammes(first: 10, filter: { text: "rekvisitionsbidrag" }) { edges { node { id } } } }`);
    expect(list.data!.grantProgrammes.edges).toEqual([{ node: { id: programme.id } }]);
    const log = await server.graphql(`query ($id: ID!) { changes(first: 5, entityId: $id) { edges { node { operation actor after } } } }`, { id: programme.id });
    expect(log.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', actor: as.writeKeyName, after: expect.objectContaining({ legalBasis: 'SFS 2024:1253' }) } }]);
  });

  it('refuses a blank name, a missing grantor and an unknown topic, naming each field', async () => {
    const blank = await refused(CREATE_PROGRAMME, { input: { name: ' ', legalBasis: 'x'.repeat(301) } }, 'createGrantProgramme');
    expect(issuePaths(blank)).toEqual(['input.name', 'input.legalBasis']);
    expect(await refused(CREATE_PROGRAMME, { input: { name: 'P', grantor: missingId('Organisation') } }, 'createGrantProgramme')).toMatchObject({
      __typename: 'NotFoundError',
      path: ['input', 'grantor'],
    });
    expect(await refused(CREATE_PROGRAMME, { input: { name: 'P', topics: ['Not A Slug'] } }, 'createGrantProgramme')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'topics', '0'] }],
    });
  });

  it('refuses to delete a programme that money is still recorded under', async () => {
    const DELETE = `mutation ($id: ID!, $version: Int!) { deleteGrantProgramme(id: $id, version: $version) { ${RESULT} } }`;
    expect(await refused(DELETE, { id: SEKTORSBIDRAG, version: 1 }, 'deleteGrantProgramme')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: 'the programme still has 2 live allocations: delete those first' }],
    });
    expect(await refused(DELETE, { id: STATSBIDRAG, version: 1 }, 'deleteGrantProgramme')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: expect.stringMatching(/still has \d+ live grants/) }],
    });
  });
});

describe('createGrant', () => {
  it('records a grant to Region Kronoberg with an exact amount in öre, readable from the region and logged', async () => {
    const response = await server.graphql(CREATE_GRANT, { input: grantInput() }, as.write);
    expect(response.errors).toBeUndefined();
    const grant = response.data!.createGrant;
    expect(grant).toMatchObject({
      __typename: 'Grant',
      version: 1,
      period: '2026',
      amountSek: '51900000.50',
      amountIsApproximate: false,
      status: 'REQUESTED',
      requisitionDueOn: '2026-04-17',
      programme: { name: 'Statsbidrag för nära vård' },
      recipientRegion: { code: '07' },
      citations: [{ quote: 'Bidraget rekvireras hos Socialstyrelsen.' }],
    });
    const region = await server.graphql(`{ region(code: "07") { grants(first: 10, filter: { periodFrom: "2026" }) { edges { node { id amountSek } } } } }`);
    expect(region.data!.region.grants.edges).toEqual([{ node: { id: grant.id, amountSek: '51900000.50' } }]);
    const log = await server.graphql(`query ($id: ID!) { changes(first: 5, entityId: $id) { edges { node { operation entityType actor } } } }`, { id: grant.id });
    expect(log.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', entityType: 'GRANT', actor: as.writeKeyName } }]);
  });

  it('refuses every malformed SEK amount (negative, three decimals, huge, letters) at input.amountSek and changes nothing', async () => {
    const badAmounts = fc.oneof(
      fc.integer({ min: 1, max: 2_000_000_000 }).map((n) => `-${n}`),
      fc.tuple(fc.nat(10_000_000), fc.integer({ min: 0, max: 999 })).map(([whole, fraction]) => `${whole}.${String(fraction).padStart(3, '0')}`),
      fc.bigInt({ min: 10n ** 16n, max: 10n ** 40n }).map(String),
      fc
        .tuple(fc.nat(1_000_000), fc.constantFrom('a', 'kr', ' SEK', 'e5', 'x', 'ö', ',50', ' 000'), fc.nat(99))
        .map(([whole, letters, tail]) => `${whole}${letters}${tail}`),
      fc.string({ minLength: 1, maxLength: 12 }).filter((text) => /[^0-9.]/.test(text)),
    );
    await fc.assert(
      fc.asyncProperty(badAmounts, async (amountSek) => {
        const before = await databaseChecksum(server);
        const response = await server.graphql(CREATE_GRANT, { input: grantInput({ amountSek }) }, as.write);
        expect(response.data!.createGrant).toMatchObject({
          __typename: 'ValidationError',
          issues: [{ path: ['input', 'amountSek'], message: expect.stringContaining('at most two decimals') }],
        });
        expect(await databaseChecksum(server)).toBe(before);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a number where an exact amount string belongs, before running anything', async () => {
    const response = await server.graphql(CREATE_GRANT, { input: grantInput({ amountSek: 148.5 }) }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/amountSek/);
  });

  it('refuses a malformed period before running anything', async () => {
    const response = await server.graphql(CREATE_GRANT, { input: grantInput({ period: '2026-13' }) }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/period.*Period must be YYYY, YYYY-Qn or YYYY-MM/s);
  });

  it('refuses a grant without a recipient, an approximate amount that is not given, and references that do not exist', async () => {
    const noRecipient = await refused(CREATE_GRANT, { input: grantInput({ recipientRegion: null, amountSek: null, amountIsApproximate: true }) }, 'createGrant');
    expect(issuePaths(noRecipient)).toEqual(['input.recipientRegion', 'input.amountIsApproximate']);
    expect(await refused(CREATE_GRANT, { input: grantInput({ programme: missingId('GrantProgramme') }) }, 'createGrant')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'GrantProgramme',
      path: ['input', 'programme'],
    });
    expect(await refused(CREATE_GRANT, { input: grantInput({ programme: GRANT_2025 }) }, 'createGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'programme'], message: 'must be the ID of a GrantProgramme, not of a Grant' }],
    });
    expect(await refused(CREATE_GRANT, { input: grantInput({ recipientRegion: '02' }) }, 'createGrant')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'Region',
      path: ['input', 'recipientRegion'],
    });
    expect(await refused(CREATE_GRANT, { input: grantInput({ recipientOrganisation: 'not-an-id' }) }, 'createGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'recipientOrganisation'] }],
    });
  });

  it('refuses an anonymous caller and changes nothing', async () => {
    expect(await refused(CREATE_GRANT, { input: grantInput() }, 'createGrant', as.anonymous)).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'write' });
  });
});

describe('updateGrant', () => {
  it('moves the 2025 Kronoberg grant from REQUESTED to AWARDED to PAID, refusing a stale version on the way', async () => {
    const read = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Grant { status version amountSek } } }`, { id: GRANT_2025 });
    expect(read.data!.node).toEqual({ status: 'REQUESTED', version: 1, amountSek: '51900000.00' });

    const awarded = await server.graphql(UPDATE_GRANT, { id: GRANT_2025, version: 1, patch: { status: 'AWARDED' } }, as.write);
    expect(awarded.data!.updateGrant).toEqual({ __typename: 'Grant', version: 2, status: 'AWARDED', amountSek: '51900000.00', amountIsApproximate: false });

    const stale = await refused(UPDATE_GRANT, { id: GRANT_2025, version: 1, patch: { status: 'PAID' } }, 'updateGrant');
    expect(stale).toMatchObject({ __typename: 'ConflictError', expectedVersion: 1, currentVersion: 2 });

    const awardedList = await server.graphql(
      `query ($programme: ID!) { grants(first: 10, filter: { programme: $programme, status: [AWARDED] }) { edges { node { period } } } }`,
      { programme: STATSBIDRAG },
    );
    expect(awardedList.data!.grants.edges.map((edge: any) => edge.node.period).sort()).toEqual(['2024', '2025']);

    const paid = await server.graphql(UPDATE_GRANT, { id: GRANT_2025, version: 2, patch: { status: 'PAID' } }, as.write);
    expect(paid.data!.updateGrant).toMatchObject({ version: 3, status: 'PAID' });

    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation before after } } } }`, { id: GRANT_2025 });
    const updates = log.data!.changes.edges.filter((edge: any) => edge.node.operation === 'UPDATE');
    expect(updates.map((edge: any) => [edge.node.before.status, edge.node.after.status])).toEqual([
      ['requested', 'awarded'],
      ['awarded', 'paid'],
    ]);
  });

  it('refuses a patch that leaves a grant without a recipient, or approximate without an amount', async () => {
    expect(await refused(UPDATE_GRANT, { id: GRANT_2024, version: 1, patch: { recipientRegion: null } }, 'updateGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'recipientRegion'] }],
    });
    expect(await refused(UPDATE_GRANT, { id: GRANT_2024, version: 1, patch: { amountSek: null } }, 'updateGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'amountIsApproximate'], message: 'only an amount can be approximate: give amountSek too' }],
    });
    expect(await refused(UPDATE_GRANT, { id: GRANT_2024, version: 1, patch: { amountSek: '46000000.001' } }, 'updateGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'amountSek'] }],
    });
    expect(await refused(UPDATE_GRANT, { id: GRANT_2024, version: 1, patch: { status: null } }, 'updateGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'status'] }],
    });
  });
});

describe('allocations', () => {
  it('records a rate range per listed patient, readable from its programme', async () => {
    const response = await server.graphql(CREATE_ALLOCATION, { input: allocationInput() }, as.write);
    expect(response.errors).toBeUndefined();
    const allocation = response.data!.createAllocation;
    expect(allocation).toMatchObject({
      __typename: 'Allocation',
      version: 1,
      rateSek: '4.00',
      rateMaxSek: '44.00',
      rateUnit: 'listed patient',
      period: '2026',
      programme: { name: 'Ersättning till vårdcentralerna i Vårdval Primärvård' },
      region: { code: '07' },
    });
    const programme = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on GrantProgramme { allocations { id } } } }`, { id: VARDVAL });
    expect(programme.data!.node.allocations.map((a: any) => a.id)).toContain(allocation.id);
  });

  it('refuses an allocation without a source, without an amount, rate or ceiling, and rates or ceilings without units', async () => {
    const nothing = await refused(
      CREATE_ALLOCATION,
      { input: allocationInput({ programme: null, rateSek: null, rateMaxSek: null, rateUnit: null, citations: [] }) },
      'createAllocation',
    );
    expect(issuePaths(nothing)).toEqual(['input.grant', 'input.amountSek']);
    const units = await refused(CREATE_ALLOCATION, { input: allocationInput({ rateUnit: null, capSek: '180000' }) }, 'createAllocation');
    expect(issuePaths(units)).toEqual(['input.rateUnit', 'input.capUnit']);
    const inverted = await refused(CREATE_ALLOCATION, { input: allocationInput({ rateSek: '44', rateMaxSek: '4.50' }) }, 'createAllocation');
    expect(inverted).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'rateMaxSek'], message: 'the upper end of the rate range must not be below its lower end (rateSek)' }],
    });
    const topOnly = await refused(CREATE_ALLOCATION, { input: allocationInput({ rateSek: null, rateUnit: null, amountSek: '100' }) }, 'createAllocation');
    expect(issuePaths(topOnly)).toEqual(['input.rateMaxSek']);
  });

  it('refuses a grant and a programme that do not belong together', async () => {
    expect(await refused(CREATE_ALLOCATION, { input: allocationInput({ grant: GRANT_2025, programme: SEKTORSBIDRAG }) }, 'createAllocation')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'programme'], message: expect.stringContaining('another programme') }],
    });
  });

  it('refuses generated malformed amounts in every money field of an allocation', async () => {
    const fields = fc.constantFrom('amountSek', 'rateSek', 'rateMaxSek', 'capSek');
    const bad = fc.constantFrom('-1', '0.001', '12345678901234567', 'tio', '1e3', '148,50', '');
    await fc.assert(
      fc.asyncProperty(fields, bad, async (field, value) => {
        const before = await databaseChecksum(server);
        const response = await server.graphql(CREATE_ALLOCATION, { input: allocationInput({ capUnit: 'year', [field]: value }) }, as.write);
        const result = response.data!.createAllocation;
        expect(result.__typename).toBe('ValidationError');
        expect(issuePaths(result)).toContain(`input.${field}`);
        expect(await databaseChecksum(server)).toBe(before);
      }),
      { numRuns: 10 },
    );
  });

  it('updates the seeded 148 SEK rate into a range, and refuses a patch that leaves a unit without its rate', async () => {
    const range = await server.graphql(UPDATE_ALLOCATION, { id: RATE_148, version: 1, patch: { rateMaxSek: '160' } }, as.write);
    expect(range.data!.updateAllocation).toEqual({ __typename: 'Allocation', version: 2, rateSek: '148.00', rateMaxSek: '160.00', rateUnit: 'listed patient' });
    const cleared = await refused(UPDATE_ALLOCATION, { id: RATE_148, version: 2, patch: { rateSek: null } }, 'updateAllocation');
    expect(issuePaths(cleared)).toEqual(['patch.amountSek', 'patch.rateUnit', 'patch.rateMaxSek']);
    expect(await refused(UPDATE_ALLOCATION, { id: RATE_148, version: 1, patch: { rateMaxSek: null } }, 'updateAllocation')).toMatchObject({
      __typename: 'ConflictError',
      currentVersion: 2,
    });
  });
});

describe('delete and restore', () => {
  const DELETE_GRANT = `mutation ($id: ID!, $version: Int!) { deleteGrant(id: $id, version: $version) { ${RESULT} ... on Grant { deletedAt version } } }`;
  const RESTORE_GRANT = `mutation ($id: ID!) { restoreGrant(id: $id) { ${RESULT} ... on Grant { deletedAt version } } }`;
  const DELETE_PROGRAMME = `mutation ($id: ID!, $version: Int!) { deleteGrantProgramme(id: $id, version: $version) { ${RESULT} ... on GrantProgramme { deletedAt } } }`;
  const RESTORE_PROGRAMME = `mutation ($id: ID!) { restoreGrantProgramme(id: $id) { ${RESULT} ... on GrantProgramme { deletedAt } } }`;
  const DELETE_ALLOCATION = `mutation ($id: ID!, $version: Int!) { deleteAllocation(id: $id, version: $version) { ${RESULT} ... on Allocation { deletedAt } } }`;
  const RESTORE_ALLOCATION = `mutation ($id: ID!) { restoreAllocation(id: $id) { ${RESULT} ... on Allocation { deletedAt } } }`;

  it('deletes a grant softly (gone from lists, seen by updatedSince), refuses while allocations hang on it, restores for admins only', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    const programme = (await server.graphql(CREATE_PROGRAMME, { input: { name: 'Tillfällig satsning' } }, as.write)).data!.createGrantProgramme;
    const grant = (await server.graphql(CREATE_GRANT, { input: grantInput({ programme: programme.id, period: '2027', citations: [] }) }, as.write)).data!.createGrant;
    const allocation = (
      await server.graphql(CREATE_ALLOCATION, { input: allocationInput({ programme: null, grant: grant.id, period: '2027-Q1', citations: [] }) }, as.write)
    ).data!.createAllocation;
    expect(allocation.programme).toEqual({ name: 'Tillfällig satsning' });

    expect(await refused(DELETE_GRANT, { id: grant.id, version: 1 }, 'deleteGrant')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: 'the grant still has 1 live allocations: delete those first' }],
    });
    expect((await server.graphql(DELETE_ALLOCATION, { id: allocation.id, version: 1 }, as.write)).data!.deleteAllocation.deletedAt).toEqual(expect.any(String));
    expect(await refused(DELETE_GRANT, { id: grant.id, version: 3 }, 'deleteGrant')).toMatchObject({ __typename: 'ConflictError', currentVersion: 1 });
    expect((await server.graphql(DELETE_GRANT, { id: grant.id, version: 1 }, as.write)).data!.deleteGrant).toMatchObject({ deletedAt: expect.any(String), version: 2 });
    expect((await server.graphql(DELETE_PROGRAMME, { id: programme.id, version: 1 }, as.write)).data!.deleteGrantProgramme.deletedAt).toEqual(expect.any(String));

    const list = await server.graphql(`{ grants(first: 10, filter: { periodFrom: "2027" }) { totalCount } }`);
    expect(list.data!.grants.totalCount).toBe(0);
    const incremental = await server.graphql(`query ($since: DateTime!) { grants(first: 50, filter: { updatedSince: $since }) { edges { node { id deletedAt } } } }`, { since: startedAt });
    expect(incremental.data!.grants.edges).toContainEqual({ node: { id: grant.id, deletedAt: expect.any(String) } });

    expect(await refused(RESTORE_GRANT, { id: grant.id }, 'restoreGrant')).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    expect(await refused(RESTORE_GRANT, { id: grant.id }, 'restoreGrant', as.admin)).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: 'its programme is deleted: restore the programme first' }],
    });
    expect((await server.graphql(RESTORE_PROGRAMME, { id: programme.id }, as.admin)).data!.restoreGrantProgramme).toEqual({ __typename: 'GrantProgramme', deletedAt: null });
    expect(await refused(RESTORE_ALLOCATION, { id: allocation.id }, 'restoreAllocation', as.admin)).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: 'its grant is deleted: restore the grant first' }],
    });
    expect((await server.graphql(RESTORE_GRANT, { id: grant.id }, as.admin)).data!.restoreGrant).toEqual({ __typename: 'Grant', deletedAt: null, version: 3 });
    expect((await server.graphql(RESTORE_ALLOCATION, { id: allocation.id }, as.admin)).data!.restoreAllocation).toEqual({ __typename: 'Allocation', deletedAt: null });

    const log = await server.graphql(`query ($id: ID!) { changes(first: 10, entityId: $id) { edges { node { operation } } } }`, { id: grant.id });
    expect(log.data!.changes.edges.map((edge: any) => edge.node.operation)).toEqual(['CREATE', 'DELETE', 'RESTORE']);
  });
});
