import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Callers } from './support/auth.ts';
import { gid, missingId } from './support/ids.ts';
import type { TestServer } from './support/server.ts';
import { RESULT, startWriteTest, type WriteTest } from './support/writes.ts';

let server: TestServer;
let as: Callers;
let refused: WriteTest['refused'];

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

const REVISIONSSVAR = gid('Document', 'doc:kronoberg-revisionssvar-2025');
const REVISIONSSVAR_TEXT = readFileSync(new URL('../../db/seed/documents/002_b526b9da5b07003b.txt', import.meta.url), 'utf8');
const REKVISITION = gid('Decision', 'decision:kronoberg-revisionssvar-2025-03-25:rekvisition-statsbidrag-2025');
const HSN = gid('Organisation', 'org:07:halso-och-sjukvardsnamnden');

/** A short set of minutes whose decision line appears twice (lines 4 and 8). */
const MINUTES = [
  'Protokoll hälso- och sjukvårdsnämnden 2025-04-10',
  '',
  '§ 12 Statsbidrag för nära vård 2025',
  'Beslut: nämnden godkänner rekvisitionen.',
  '',
  '§ 13 Uppföljning',
  'Nämnden noterar informationen.',
  'Beslut: nämnden godkänner rekvisitionen.',
  '',
].join('\n');

beforeAll(async () => {
  ({ server, as, refused } = await startWriteTest());
});
afterAll(() => server?.close());

const ADD = `mutation ($input: AddDocumentInput!) { addDocument(input: $input) {
  ${RESULT} ... on Document { id version title kind registryNumber issuedOn origin textSha256 lineCount region { code } issuedBy { name } topics { slug } } } }`;
const UPDATE = `mutation ($id: ID!, $version: Int!, $patch: DocumentPatch!) { updateDocument(id: $id, version: $version, patch: $patch) {
  ${RESULT} ... on Document { version title textSha256 lineCount } } }`;
const DELETE = `mutation ($id: ID!, $version: Int!) { deleteDocument(id: $id, version: $version) { ${RESULT} ... on Document { deletedAt version } } }`;
const RESTORE = `mutation ($id: ID!) { restoreDocument(id: $id) { ${RESULT} ... on Document { deletedAt version } } }`;
const CITE = `mutation ($record: ID!, $citation: CitationInput!) { citeRecord(record: $record, citation: $citation) {
  ${RESULT} ... on Citation { quote locator document { title } subject { id ... on Decision { title } } } } }`;
const REMOVE = `mutation ($record: ID!, $document: ID!, $quote: String!, $lineStart: Int) {
  removeCitation(record: $record, document: $document, quote: $quote, lineStart: $lineStart) { ${RESULT} ... on Citation { quote locator } } }`;

const documentInput = (overrides: Record<string, unknown> = {}) => ({
  title: 'Protokoll hälso- och sjukvårdsnämnden 2025-04-10',
  kind: 'MINUTES',
  region: '07',
  issuedBy: HSN,
  issuedOn: '2025-04-10',
  registryNumber: '25HSN100',
  origin: 'Region Kronoberg: protokoll (testtext)',
  text: MINUTES,
  topics: ['state-grants'],
  ...overrides,
});

async function addDocument(overrides: Record<string, unknown> = {}) {
  const response = await server.graphql(ADD, { input: documentInput(overrides) }, as.write);
  expect(response.errors).toBeUndefined();
  expect(response.data!.addDocument.__typename).toBe('Document');
  return response.data!.addDocument;
}

const citationsOf = async (record: string) =>
  (await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Cited { citations { quote locator document { id } } } } }`, { id: record })).data!.node
    .citations as { quote: string; locator: string; document: { id: string } }[];

let minutes: { id: string; version: number };

describe('addDocument', () => {
  it('stores the text exactly, with the SHA-256 the server computes, tagged and logged', async () => {
    minutes = await addDocument();
    expect(minutes).toMatchObject({
      version: 1,
      kind: 'MINUTES',
      registryNumber: '25HSN100',
      issuedOn: '2025-04-10',
      textSha256: sha256(MINUTES),
      lineCount: 8,
      region: { code: '07' },
      issuedBy: { name: 'Hälso- och sjukvårdsnämnden' },
      topics: [{ slug: 'state-grants' }],
    });
    const read = await server.graphql(`{ documents(first: 5, filter: { registryNumber: "25hsn100" }) { edges { node { id text } } } }`);
    expect(read.data!.documents.edges).toEqual([{ node: { id: minutes.id, text: MINUTES } }]);
    const log = await server.graphql(`query ($id: ID!) { changes(first: 5, entityId: $id) { edges { node { operation entityType actor } } } }`, { id: minutes.id });
    expect(log.data!.changes.edges).toEqual([{ node: { operation: 'CREATE', entityType: 'DOCUMENT', actor: as.writeKeyName } }]);
  });

  it('refuses a text already stored, naming input.text and the document that has it', async () => {
    const again = await refused(ADD, { input: documentInput({ title: 'Samma svar igen', text: REVISIONSSVAR_TEXT }) }, 'addDocument');
    expect(again).toEqual({
      __typename: 'ValidationError',
      message: expect.any(String),
      issues: [
        {
          path: ['input', 'text'],
          message: `the same text is already stored as the document "Svar på revisionsrapport – gällande omställning till god och nära vård" (${REVISIONSSVAR})`,
        },
      ],
    });
    const twice = await refused(ADD, { input: documentInput({ title: 'Dubblett' }) }, 'addDocument');
    expect(twice.issues[0]).toMatchObject({ path: ['input', 'text'], message: expect.stringContaining(minutes.id) });
  });

  it('refuses a blank or over-long text, a blank origin, a bad kind of ID and an unknown region, each at its field', async () => {
    const long = await refused(ADD, { input: documentInput({ text: 'a'.repeat(5_000_001) }) }, 'addDocument');
    expect(long).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input', 'text'], message: 'must be at most 5,000,000 characters' }] });
    const blank = await refused(ADD, { input: documentInput({ text: ' \n\n ', origin: '  ', registryNumber: 'x'.repeat(101) }) }, 'addDocument');
    expect(blank.issues.map((issue: any) => issue.path.join('.'))).toEqual(['input.registryNumber', 'input.origin', 'input.text']);
    expect(await refused(ADD, { input: documentInput({ issuedBy: REVISIONSSVAR, text: 'ny text 1' }) }, 'addDocument')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['input', 'issuedBy'] }],
    });
    expect(await refused(ADD, { input: documentInput({ region: '02', text: 'ny text 2' }) }, 'addDocument')).toMatchObject({
      __typename: 'NotFoundError',
      path: ['input', 'region'],
    });
  });

  it('takes a text of 5,000,000 characters', async () => {
    const text = `${'Lång rad med text. '.repeat(263_157)}slut`.padEnd(5_000_000, '.');
    expect(text.length).toBe(5_000_000);
    const document = await addDocument({ title: 'Stor bilaga', text, registryNumber: null, topics: [] });
    expect(document.textSha256).toBe(sha256(text));
  });

  it('refuses an anonymous caller, and a missing origin before running anything', async () => {
    expect(await refused(ADD, { input: documentInput({ text: 'anonym' }) }, 'addDocument', as.anonymous)).toMatchObject({ __typename: 'ForbiddenError' });
    const { origin: _origin, ...withoutOrigin } = documentInput({ text: 'utan ursprung' });
    const response = await server.graphql(ADD, { input: withoutOrigin }, as.write);
    expect(response.status).toBe(400);
    expect(response.errors![0]!.message).toMatch(/origin/);
  });
});

describe('citations', () => {
  it('cites the new minutes on a seeded decision, shown on the decision and on the document, and logged', async () => {
    const response = await server.graphql(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Beslut: nämnden godkänner rekvisitionen.', lineStart: 4, lineEnd: 4 } },
      as.write,
    );
    expect(response.data!.citeRecord).toEqual({
      __typename: 'Citation',
      quote: 'Beslut: nämnden godkänner rekvisitionen.',
      locator: 'line 4',
      document: { title: 'Protokoll hälso- och sjukvårdsnämnden 2025-04-10' },
      subject: { id: REKVISITION, title: 'Rekvisition av statsbidraget för nära vård 2025' },
    });
    expect(await citationsOf(REKVISITION)).toContainEqual({ quote: 'Beslut: nämnden godkänner rekvisitionen.', locator: 'line 4', document: { id: minutes.id } });
    const onDocument = await server.graphql(`query ($id: ID!) { node(id: $id) { ... on Document { citations(first: 10) { edges { node { locator subject { id } } } } } } }`, {
      id: minutes.id,
    });
    expect(onDocument.data!.node.citations.edges).toEqual([{ node: { locator: 'line 4', subject: { id: REKVISITION } } }]);
    const log = await server.graphql(`{ changes(last: 1, entity: CITATION) { edges { node { operation actor after } } } }`);
    expect(log.data!.changes.edges[0].node).toMatchObject({ operation: 'CREATE', actor: as.writeKeyName, after: { quote: 'Beslut: nämnden godkänner rekvisitionen.', lineStart: 4 } });
  });

  it('refuses a quote that is not on the lines it names, one not in the document, and the same passage twice', async () => {
    const wrongLines = await refused(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Nämnden noterar informationen.', lineStart: 3, lineEnd: 4 } },
      'citeRecord',
    );
    expect(wrongLines).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['citation', 'lineStart'], message: 'the quote is not on lines 3-4' }] });
    const beyond = await refused(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Nämnden noterar informationen.', lineStart: 7, lineEnd: 40 } },
      'citeRecord',
    );
    expect(beyond).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['citation', 'lineStart'] }] });
    const absent = await refused(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Beslut: nämnden avslår rekvisitionen.', lineStart: 4, lineEnd: 4 } },
      'citeRecord',
    );
    expect(absent).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['citation', 'quote'], message: 'the quote does not appear in the document' }] });
    const twice = await refused(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Beslut:  nämnden godkänner\nrekvisitionen.', lineStart: 4, lineEnd: 4 } },
      'citeRecord',
    );
    expect(twice).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['citation', 'quote'], message: 'the record already cites this passage on these lines' }] });
    const backwards = await refused(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Nämnden noterar informationen.', lineStart: 7, lineEnd: 6 } },
      'citeRecord',
    );
    expect(backwards).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['citation', 'lineEnd'] }] });
  });

  it('refuses records that cannot be cited, records and documents that do not exist, and anonymous callers', async () => {
    const citation = { document: minutes.id, quote: 'Nämnden noterar informationen.', lineStart: 7, lineEnd: 7 };
    const ofDocument = await refused(CITE, { record: REVISIONSSVAR, citation }, 'citeRecord');
    expect(ofDocument).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['record'], message: expect.stringContaining('not of a Document') }] });
    expect(await refused(CITE, { record: 'garbage', citation }, 'citeRecord')).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['record'] }] });
    expect(await refused(CITE, { record: missingId('Decision'), citation }, 'citeRecord')).toMatchObject({ __typename: 'NotFoundError', type: 'Decision', path: ['record'] });
    expect(await refused(CITE, { record: REKVISITION, citation: { ...citation, document: missingId('Document') } }, 'citeRecord')).toMatchObject({
      __typename: 'NotFoundError',
      type: 'Document',
      path: ['citation', 'document'],
    });
    expect(await refused(CITE, { record: REKVISITION, citation: { ...citation, document: REKVISITION } }, 'citeRecord')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['citation', 'document'] }],
    });
    expect(await refused(CITE, { record: REKVISITION, citation }, 'citeRecord', as.anonymous)).toMatchObject({ __typename: 'ForbiddenError' });
  });

  it('removes a citation named by record, document and quote, asking for lineStart when the passage is cited twice', async () => {
    const second = await server.graphql(
      CITE,
      { record: REKVISITION, citation: { document: minutes.id, quote: 'Beslut: nämnden godkänner rekvisitionen.', lineStart: 8, lineEnd: 8 } },
      as.write,
    );
    expect(second.data!.citeRecord.locator).toBe('line 8');

    const ambiguous = await refused(REMOVE, { record: REKVISITION, document: minutes.id, quote: 'Beslut: nämnden godkänner rekvisitionen.' }, 'removeCitation');
    expect(ambiguous).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['lineStart'], message: expect.stringContaining('from lines 4, 8') }] });
    const missing = await refused(REMOVE, { record: REKVISITION, document: minutes.id, quote: 'Nämnden noterar informationen.' }, 'removeCitation');
    expect(missing).toMatchObject({ __typename: 'NotFoundError', type: 'Citation', path: ['quote'] });

    const removed = await server.graphql(REMOVE, { record: REKVISITION, document: minutes.id, quote: ' Beslut: nämnden\n godkänner rekvisitionen. ', lineStart: 8 }, as.write);
    expect(removed.data!.removeCitation).toEqual({ __typename: 'Citation', quote: 'Beslut: nämnden godkänner rekvisitionen.', locator: 'line 8' });
    const left = (await citationsOf(REKVISITION)).filter((citation) => citation.document.id === minutes.id);
    expect(left.map((citation) => citation.locator)).toEqual(['line 4']);
    const log = await server.graphql(`{ changes(last: 1, entity: CITATION) { edges { node { operation after } } } }`);
    expect(log.data!.changes.edges[0].node).toMatchObject({ operation: 'DELETE', after: { lineStart: 8, deletedAt: expect.any(String) } });
  });
});

describe('updateDocument', () => {
  it('changes metadata of a quoted document with version checks, but never its text', async () => {
    const renamed = await server.graphql(UPDATE, { id: REVISIONSSVAR, version: 1, patch: { title: 'Svar på revisionsrapport (24HSNG673)' } }, as.write);
    expect(renamed.data!.updateDocument).toMatchObject({ __typename: 'Document', version: 2, title: 'Svar på revisionsrapport (24HSNG673)', textSha256: sha256(REVISIONSSVAR_TEXT) });
    expect(await refused(UPDATE, { id: REVISIONSSVAR, version: 1, patch: { title: 'Gammal' } }, 'updateDocument')).toMatchObject({
      __typename: 'ConflictError',
      expectedVersion: 1,
      currentVersion: 2,
    });
    const text = await refused(UPDATE, { id: REVISIONSSVAR, version: 2, patch: { text: `${REVISIONSSVAR_TEXT}\nTillägg.` } }, 'updateDocument');
    expect(text).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'text'], message: expect.stringMatching(/^the text is quoted by \d+ live citations \(.*Recommendation \d+.*\) and can no longer change/) }],
    });
    expect(await refused(UPDATE, { id: REVISIONSSVAR, version: 2, patch: { origin: null } }, 'updateDocument')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['patch', 'origin'] }],
    });
  });

  it('corrects the text of a document nobody quotes, with a new SHA-256, but not to a text already stored', async () => {
    const draft = await addDocument({ title: 'Utkast', text: 'Utkast till protokoll\nrad två', registryNumber: null });
    const corrected = await server.graphql(UPDATE, { id: draft.id, version: 1, patch: { text: 'Protokoll\nrad två\nrad tre' } }, as.write);
    expect(corrected.data!.updateDocument).toMatchObject({ version: 2, textSha256: sha256('Protokoll\nrad två\nrad tre'), lineCount: 3 });
    const duplicate = await refused(UPDATE, { id: draft.id, version: 2, patch: { text: MINUTES } }, 'updateDocument');
    expect(duplicate).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['patch', 'text'], message: expect.stringContaining(minutes.id) }] });
  });
});

describe('delete and restore', () => {
  it('refuses to delete a document that records quote; deletes it once the citations are removed; restore needs admin', async () => {
    const startedAt = new Date(Date.now() - 1000).toISOString();
    expect(await refused(DELETE, { id: minutes.id, version: 1 }, 'deleteDocument')).toMatchObject({
      __typename: 'ValidationError',
      issues: [{ path: ['id'], message: 'the document is quoted by 1 live citation (Decision 1): remove them first (removeCitation)' }],
    });
    const removed = await server.graphql(REMOVE, { record: REKVISITION, document: minutes.id, quote: 'Beslut: nämnden godkänner rekvisitionen.' }, as.write);
    expect(removed.data!.removeCitation.__typename).toBe('Citation');

    const deleted = await server.graphql(DELETE, { id: minutes.id, version: 1 }, as.write);
    expect(deleted.data!.deleteDocument).toMatchObject({ __typename: 'Document', deletedAt: expect.any(String), version: 2 });
    const list = await server.graphql(`{ documents(first: 5, filter: { registryNumber: "25HSN100" }) { totalCount } }`);
    expect(list.data!.documents.totalCount).toBe(0);
    const incremental = await server.graphql(`query ($since: DateTime!) { documents(first: 20, filter: { updatedSince: $since }) { edges { node { id deletedAt } } } }`, {
      since: startedAt,
    });
    expect(incremental.data!.documents.edges).toContainEqual({ node: { id: minutes.id, deletedAt: expect.any(String) } });
    // A deleted document cannot be cited, and its text still cannot be added again.
    expect(
      await refused(CITE, { record: REKVISITION, citation: { document: minutes.id, quote: 'Nämnden noterar informationen.', lineStart: 7, lineEnd: 7 } }, 'citeRecord'),
    ).toMatchObject({ __typename: 'NotFoundError', path: ['citation', 'document'] });
    expect((await refused(ADD, { input: documentInput() }, 'addDocument')).issues[0].message).toContain('which is deleted: restore it (restoreDocument) instead');

    expect(await refused(RESTORE, { id: minutes.id }, 'restoreDocument')).toMatchObject({ __typename: 'ForbiddenError', requiredScope: 'admin' });
    expect((await server.graphql(RESTORE, { id: minutes.id }, as.admin)).data!.restoreDocument).toEqual({ __typename: 'Document', deletedAt: null, version: 3 });
  });

  it('refuses to delete the seeded audit response document, quoted by the seed data and named by the audit response', async () => {
    const result = await refused(DELETE, { id: REVISIONSSVAR, version: 2 }, 'deleteDocument');
    expect(result).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['id'], message: expect.stringMatching(/^the document is quoted by \d+ live citations/) }] });
  });
});

describe('approximate search over the words of added and corrected texts', () => {
  const SEARCH = `query ($query: String!) { search(query: $query, types: [DOCUMENT], first: 5) {
    edges { node { approximate rank snippet record { ... on Document { id } } } } } }`;
  const hitsFor = async (query: string) => {
    const response = await server.graphql(SEARCH, { query });
    expect(response.errors).toBeUndefined();
    return (response.data!.search.edges as { node: { approximate: boolean; rank: number; snippet: string; record: { id: string } } }[]).map(
      (edge) => edge.node,
    );
  };

  it('finds a word as soon as its document is added, misspelt too, and the words of a corrected text', async () => {
    const added = await addDocument({
      title: 'Minnesanteckningar',
      text: 'Minnesanteckningar\nGruppen diskuterade blåbärsskogsrådens förslag om hembesök.',
      registryNumber: null,
    });
    expect(await hitsFor('blabarsskogsradens')).toEqual([
      { approximate: false, rank: expect.any(Number), snippet: expect.stringContaining('«blåbärsskogsrådens»'), record: { id: added.id } },
    ]);
    // Misspelt: no exact hit, found through the word list and ranked below every exact hit.
    const [misspelt, ...others] = await hitsFor('blåbärskogsrådens');
    expect(others).toEqual([]);
    expect(misspelt).toMatchObject({ approximate: true, record: { id: added.id }, snippet: expect.stringContaining('«blåbärsskogsrådens»') });
    expect(misspelt!.rank).toBeGreaterThan(0.3);
    expect(misspelt!.rank).toBeLessThanOrEqual(0.5);

    const corrected = await server.graphql(
      UPDATE,
      { id: added.id, version: 1, patch: { text: 'Minnesanteckningar\nGruppen diskuterade hjortronmyrsrådets förslag om hembesök.' } },
      as.write,
    );
    expect(corrected.data!.updateDocument).toMatchObject({ version: 2 });
    expect(await hitsFor('hjortronmyrradets')).toMatchObject([{ approximate: true, record: { id: added.id } }]);
    // The old word is still in the list, but no live text has it any more.
    expect(await hitsFor('blåbärskogsrådens')).toEqual([]);
  });
});
