import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { foldWhitespace, idFor } from '@naravard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const decodeId = (id: string) => Buffer.from(id, 'base64').toString('utf8');

const RESPONSE_TITLE = 'Svar på revisionsrapport – gällande omställning till god och nära vård';
const MINUTES_TITLE = 'Mötesanteckningar - Styrgrupp Nära vård';
const LETTER_TITLE = 'Informationsbrev vecka 39 2018';
const REPORT_TITLE = 'Återrapportering till hälso- och sjukvårdsnämnden – Beredning för nära vård 2023';
const responseFile = readFileSync(new URL('../../db/seed/documents/002_b526b9da5b07003b.txt', import.meta.url), 'utf8');

async function titles(args: string) {
  const response = await server.graphql(`{ documents(first: 100, ${args}) { totalCount edges { node { title } } } }`);
  expect(response.errors).toBeUndefined();
  expect(response.data!.documents.totalCount).toBe(response.data!.documents.edges.length);
  return response.data!.documents.edges.map((edge: any) => edge.node.title);
}

describe('documents', () => {
  it('lists the four source documents, newest first, undated ones last', async () => {
    const response = await server.graphql(`{
      documents(first: 10) {
        totalCount
        edges { node { title kind issuedOn registryNumber region { code } issuedBy { name } origin topics { slug } } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const documents = response.data!.documents.edges.map((edge: any) => edge.node);
    expect(response.data!.documents.totalCount).toBe(4);
    expect(documents.slice(0, 2)).toMatchObject([
      { title: RESPONSE_TITLE, kind: 'AUDIT_RESPONSE', issuedOn: '2025-03-25', registryNumber: '24HSNG673', region: { code: '07' }, issuedBy: { name: 'Hälso- och sjukvården' } },
      { title: MINUTES_TITLE, kind: 'MINUTES', issuedOn: '2023-03-28', registryNumber: null, region: { code: '07' } },
    ]);
    expect(documents.slice(2).map((d: any) => d.issuedOn)).toEqual([null, null]);
    expect(documents.slice(2).map((d: any) => d.title).sort()).toEqual([LETTER_TITLE, REPORT_TITLE].sort());
    const letter = documents.find((d: any) => d.title === LETTER_TITLE);
    expect(letter).toMatchObject({ kind: 'INFORMATION_LETTER', region: { code: '13' } });
    expect(letter.topics.map((t: any) => t.slug)).toContain('sip');
    expect(documents.find((d: any) => d.title === REPORT_TITLE)).toMatchObject({ kind: 'REPORT', region: { code: '18' } });
  });

  it('gives the full text exactly as the source file, with its hash and line count', async () => {
    const response = await server.graphql(`{ documents(filter: { registryNumber: "24HSNG673" }) { edges { node { text textSha256 lineCount } } } }`);
    expect(response.errors).toBeUndefined();
    const [{ node }] = response.data!.documents.edges;
    expect(node.text).toBe(responseFile);
    expect(node.text).toContain('Diarienr: 24HSNG673');
    expect(node.textSha256).toBe(createHash('sha256').update(responseFile).digest('hex'));
    // 369 line feeds and a last line holding one space.
    expect(node.lineCount).toBe(370);
  });

  it('filters by region, kind, dates, issuer, registry number, topic and text', async () => {
    expect((await titles('filter: { region: "07" }'))).toEqual([RESPONSE_TITLE, MINUTES_TITLE]);
    expect(await titles('filter: { kind: [AUDIT_RESPONSE] }')).toEqual([RESPONSE_TITLE]);
    expect(await titles('filter: { region: "07", kind: [MINUTES] }')).toEqual([MINUTES_TITLE]);
    expect(await titles('filter: { region: "13", kind: [MINUTES] }')).toEqual([]);
    expect((await titles('filter: { kind: [MINUTES, REPORT] }')).sort()).toEqual([MINUTES_TITLE, REPORT_TITLE].sort());
    expect(await titles('filter: { region: "13" }')).toEqual([LETTER_TITLE]);
    expect(await titles('filter: { issuedOn: { from: "2023-01-01", to: "2023-12-31" } }')).toEqual([MINUTES_TITLE]);
    expect(await titles(`filter: { issuedBy: "${gid('Organisation', 'org:07:halso-och-sjukvarden')}" }`)).toEqual([RESPONSE_TITLE]);
    expect(await titles('filter: { registryNumber: " 24hsng673 " }')).toEqual([RESPONSE_TITLE]);
    expect(await titles('filter: { registryNumber: "24HSNG674" }')).toEqual([]);
    expect(await titles('filter: { topic: "sip" }')).toEqual([LETTER_TITLE]);
    expect(await titles('filter: { topic: "central-contact-entry" }')).toEqual([MINUTES_TITLE]);
    expect(await titles('filter: { text: "PATIENTMILJARDEN" }')).toEqual([LETTER_TITLE]);
    expect(await titles('filter: { text: "aterrapportering" }')).toEqual([REPORT_TITLE]);
  });

  it('orders by date either way and by title, and pages through every order', async () => {
    const ascending = await server.graphql(`{ documents(orderBy: ISSUED_ON_ASC) { edges { node { issuedOn } } } }`);
    expect(ascending.data!.documents.edges.map((edge: any) => edge.node.issuedOn)).toEqual(['2023-03-28', '2025-03-25', null, null]);
    const byTitle = await titles('orderBy: TITLE');
    expect(byTitle).toHaveLength(4);
    expect(byTitle[0]).toBe(LETTER_TITLE);
    for (const orderBy of ['ISSUED_ON_DESC', 'ISSUED_ON_ASC', 'TITLE', 'UPDATED_AT']) {
      const all = await titles(`orderBy: ${orderBy}`);
      const paged: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 6; page++) {
        const response: any = await server.graphql(
          `query ($after: String) { documents(first: 1, after: $after, orderBy: ${orderBy}) { edges { node { title } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(response.errors).toBeUndefined();
        paged.push(...response.data.documents.edges.map((edge: any) => edge.node.title));
        if (!response.data.documents.pageInfo.hasNextPage) break;
        after = response.data.documents.pageInfo.endCursor;
      }
      expect(paged, orderBy).toEqual(all);
      const backward = await server.graphql(`{ documents(last: 2, orderBy: ${orderBy}) { edges { node { title } } } }`);
      expect(backward.data!.documents.edges.map((edge: any) => edge.node.title), orderBy).toEqual(all.slice(2));
    }
  });

  it("pages through a document's citations in line order; every quote stands on the lines it names", async () => {
    const lines = responseFile.split('\n');
    const quotes: any[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const response: any = await server.graphql(
        `query ($after: String) { documents(filter: { registryNumber: "24HSNG673" }) { edges { node {
          citations(first: 100, after: $after) { totalCount edges { node { quote lines { start end } locator document { title } } } pageInfo { hasNextPage endCursor } }
        } } } }`,
        { after },
      );
      expect(response.errors).toBeUndefined();
      const citations = response.data.documents.edges[0].node.citations;
      expect(citations.totalCount).toBe(113);
      quotes.push(...citations.edges.map((edge: any) => edge.node));
      if (!citations.pageInfo.hasNextPage) break;
      after = citations.pageInfo.endCursor;
    }
    expect(quotes).toHaveLength(113);
    const starts = quotes.map((c) => c.lines.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const citation of quotes) {
      expect(citation.document.title).toBe(RESPONSE_TITLE);
      const passage = foldWhitespace(lines.slice(citation.lines.start - 1, citation.lines.end).join('\n'));
      expect(passage, citation.locator).toContain(foldWhitespace(citation.quote));
      expect(citation.locator).toBe(
        citation.lines.start === citation.lines.end ? `line ${citation.lines.start}` : `lines ${citation.lines.start}–${citation.lines.end}`,
      );
    }
    expect(quotes).toContainEqual({
      quote: 'Diarienr: 24HSNG673',
      lines: { start: 265, end: 265 },
      locator: 'line 265',
      document: { title: RESPONSE_TITLE },
    });
    expect(quotes).toContainEqual(
      expect.objectContaining({ quote: 'Statsbidraget har rekvirerats enligt politiska beslut och uppgar 2025 till 51,9 miljoner kronor for Kronobergs del.', locator: 'lines 337–338' }),
    );
  });

  it("resolves each citation's subject to the record it supports, and the record cites the same passage", async () => {
    const response = await server.graphql(`{
      documents(filter: { registryNumber: "24HSNG673" }) { edges { node {
        decisions: citations(filter: { subjectTypes: ["Decision"] }) {
          totalCount edges { node { quote locator subject { __typename id ... on Cited { citations { quote document { title } } } } } }
        }
        grants: citations(filter: { subjectTypes: ["Grant", "Allocation"], text: "miljoner" }) {
          edges { node { quote subject { __typename ... on Grant { period amountSek } ... on Allocation { allocationPeriod: period amountSek } } } }
        }
        audit: citations(filter: { subjectTypes: ["Audit"] }) { totalCount edges { node { subject { __typename ... on Audit { reportedOn } } } } }
        people: citations(filter: { subjectTypes: ["Person"], text: "Salomonsson" }) { edges { node { subject { __typename ... on Person { name } } } } }
      } } }
    }`);
    expect(response.errors).toBeUndefined();
    const document = response.data!.documents.edges[0].node;
    expect(document.decisions.totalCount).toBe(4);
    const decisionIds = new Set(
      ['karnprocesser', 'regionstyrelsen-overlater-svar', 'rekvisition-statsbidrag-2025'].map(
        (slug) => `Decision:${idFor(`decision:kronoberg-revisionssvar-2025-03-25:${slug}`)}`,
      ),
    );
    for (const { node } of document.decisions.edges) {
      expect(node.subject.__typename).toBe('Decision');
      expect(decisionIds.has(decodeId(node.subject.id))).toBe(true);
      expect(node.subject.citations).toContainEqual({ quote: node.quote, document: { title: RESPONSE_TITLE } });
    }
    expect(new Set(document.decisions.edges.map((edge: any) => decodeId(edge.node.subject.id)))).toEqual(decisionIds);

    const grantSubjects = document.grants.edges.map((edge: any) => edge.node.subject);
    expect(grantSubjects).toContainEqual({ __typename: 'Grant', period: '2025', amountSek: '51900000.00' });
    expect(grantSubjects).toContainEqual({ __typename: 'Grant', period: '2024', amountSek: '46000000.00' });
    expect(grantSubjects).toContainEqual({ __typename: 'Allocation', allocationPeriod: '2024-09', amountSek: '30000000.00' });
    expect(document.audit.totalCount).toBe(3);
    for (const { node } of document.audit.edges) expect(node.subject).toEqual({ __typename: 'Audit', reportedOn: '2024-11-20' });
    expect(document.people.edges.map((edge: any) => edge.node.subject)).toContainEqual({ __typename: 'Person', name: 'Jenny Salomonsson' });

    const bad = await server.graphql(`{ documents { edges { node { citations(filter: { subjectTypes: ["Nope"] }) { totalCount } } } } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("gives a region's documents, batched across regions", async () => {
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code documents(first: 1) { totalCount edges { node { title } } pageInfo { hasNextPage } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node.documents]));
    expect(byCode['07']).toEqual({ totalCount: 2, edges: [{ node: { title: RESPONSE_TITLE } }], pageInfo: { hasNextPage: true } });
    expect(byCode['13']).toEqual({ totalCount: 1, edges: [{ node: { title: LETTER_TITLE } }], pageInfo: { hasNextPage: false } });
    expect(byCode['18'].edges).toEqual([{ node: { title: REPORT_TITLE } }]);
    expect(byCode['01']).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
    const filtered = await server.graphql(`{ region(code: "07") { documents(filter: { kind: [MINUTES] }) { edges { node { issuedOn } } } } }`);
    expect(filtered.data!.region.documents.edges).toEqual([{ node: { issuedOn: '2023-03-28' } }]);
  });
});
