import { idFor } from '@naravard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid, uuidOf } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const AUDIT = 'audit:kronoberg-revisionssvar-2025-03-25';

describe('audits', () => {
  it('gives the Kronoberg audit of 2024-11-20 with its five recommendations, its answer and the quoted sources', async () => {
    const response = await server.graphql(`{
      audits(first: 10, filter: { region: "07" }) {
        totalCount
        edges { node {
          id title reportedOn summary
          auditor { name } audited { name } region { code }
          recommendations { ordinal text topics { slug } }
          responses {
            respondedOn summary
            respondent { name }
            document { registryNumber title kind }
            caseOfficer { name }
            signatory { name }
            parts { recommendation { ordinal } actionsTaken plannedActions timeline otherComments }
          }
          citations { quote document { title } }
          topics { slug }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.audits.totalCount).toBe(1);
    const audit = response.data!.audits.edges[0].node;
    expect(uuidOf(audit.id)).toBe(idFor(AUDIT));
    expect(audit).toMatchObject({
      title: 'Granskning av Region Kronobergs arbete med omställning till god och nära vård',
      reportedOn: '2024-11-20',
      auditor: { name: 'Region Kronobergs revisorer' },
      audited: { name: 'Hälso- och sjukvårdsnämnden' },
      region: { code: '07' },
    });
    expect(audit.summary).toContain('fem rekommendationer');
    expect(audit.recommendations.map((r: any) => r.ordinal)).toEqual([1, 2, 3, 4, 5]);
    expect(audit.recommendations[1].text).toBe(
      'Säkerställa en god tillgänglighet och god kontinuitet samt möjlighet till fast läkarkontakt i primärvården.',
    );
    expect(audit.recommendations[1].topics.map((t: any) => t.slug).sort()).toEqual(['continuity-of-care', 'fixed-doctor-contact']);
    expect(audit.recommendations[4].text).toBe('Säkerställa långsiktig finansiering för omställningen till nära vård.');

    expect(audit.responses).toHaveLength(1);
    const answer = audit.responses[0];
    expect(answer).toMatchObject({
      respondedOn: '2025-03-25',
      respondent: { name: 'Hälso- och sjukvårdsnämnden' },
      document: {
        registryNumber: '24HSNG673',
        title: 'Svar på revisionsrapport – gällande omställning till god och nära vård',
        kind: 'AUDIT_RESPONSE',
      },
      caseOfficer: { name: 'Jenny Salomonsson' },
      signatory: { name: 'Ewa Ekman' },
    });
    expect(answer.summary).toContain('senast den 17 april 2025');
    // One part per recommendation, in the recommendations' order, each with its four parts.
    expect(answer.parts.map((part: any) => part.recommendation.ordinal)).toEqual([1, 2, 3, 4, 5]);
    for (const part of answer.parts) {
      for (const field of ['actionsTaken', 'plannedActions', 'timeline', 'otherComments']) {
        expect(typeof part[field], `${field} of part ${part.recommendation.ordinal}`).toBe('string');
        expect(part[field].length).toBeGreaterThan(0);
      }
    }
    expect(answer.parts[1].actionsTaken).toContain('ca 4–44 kronor per listad');
    expect(answer.parts[4].actionsTaken).toMatch(/^30 miljoner kronor av sektorsbidraget/);
    expect(answer.parts[4].plannedActions).toBe(
      'Statsbidraget har rekvirerats enligt politiska beslut och uppgår 2025 till 51,9 miljoner kronor för Kronobergs del.',
    );
    expect(answer.parts[4].timeline).toContain('SFS 2024:1253');
    expect(answer.parts[4].otherComments).toBe('Inget att tillägga.');

    expect(audit.citations.map((c: any) => c.quote)).toContain(
      'Granskning av Region Kronobergs arbete med omstillning till god och nara vard, 2024-11-20',
    );
    for (const citation of audit.citations) {
      expect(citation.document.title).toBe('Svar på revisionsrapport – gällande omställning till god och nära vård');
    }
    expect(audit.topics.map((t: any) => t.slug)).toContain('state-grants');
  });

  it('links recommendations and the parts of the answer both ways', async () => {
    const response = await server.graphql(`{
      audits(filter: { region: "07" }) { edges { node {
        responses { id parts { id recommendation { id ordinal } auditResponse { id } } }
        recommendations {
          id ordinal audit { title }
          responses { id recommendation { ordinal } auditResponse { id respondedOn } citations { quote document { registryNumber } } }
          citations { quote }
        }
      } } }
    }`);
    expect(response.errors).toBeUndefined();
    const audit = response.data!.audits.edges[0].node;
    const answer = audit.responses[0];
    const partIds = new Map(answer.parts.map((part: any) => [part.recommendation.id, part.id]));
    for (const part of answer.parts) expect(part.auditResponse.id).toBe(answer.id);
    for (const recommendation of audit.recommendations) {
      expect(recommendation.audit.title).toMatch(/^Granskning av Region Kronobergs arbete/);
      expect(recommendation.responses).toHaveLength(1);
      const [part] = recommendation.responses;
      expect(part.recommendation.ordinal).toBe(recommendation.ordinal);
      expect(part.auditResponse).toEqual({ id: answer.id, respondedOn: '2025-03-25' });
      expect(part.id).toBe(partIds.get(recommendation.id));
      expect(part.citations.length).toBeGreaterThan(0);
      expect(part.citations[0].document.registryNumber).toBe('24HSNG673');
      expect(recommendation.citations.some((c: any) => c.quote.startsWith(`Rekommendation ${recommendation.ordinal} `))).toBe(true);
    }
    const fifth = audit.recommendations[4].responses[0];
    expect(fifth.citations.map((c: any) => c.quote)).toContain('Inget att tilligga.');
  });

  it('resolves recommendations and answers by global ID', async () => {
    const response = await server.graphql(
      `query ($recommendation: ID!, $part: ID!) {
        recommendation: node(id: $recommendation) { ... on Recommendation { ordinal audit { reportedOn } } }
        part: node(id: $part) { ... on RecommendationResponse { recommendation { ordinal } otherComments } }
      }`,
      {
        recommendation: gid('Recommendation', 'recommendation:kronoberg-revisionssvar-2025-03-25:3'),
        part: gid('RecommendationResponse', 'recommendation-response:kronoberg-revisionssvar-2025-03-25:5'),
      },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      recommendation: { ordinal: 3, audit: { reportedOn: '2024-11-20' } },
      part: { recommendation: { ordinal: 5 }, otherComments: 'Inget att tillägga.' },
    });
  });

  it('filters by auditor, audited body, report date, topic and text', async () => {
    const count = async (filter: string) => {
      const response = await server.graphql(`{ audits(filter: ${filter}) { totalCount } }`);
      expect(response.errors).toBeUndefined();
      return response.data!.audits.totalCount;
    };
    const auditor = gid('Organisation', 'org:07:revisorer');
    const audited = gid('Organisation', 'org:07:halso-och-sjukvardsnamnden');
    const other = gid('Organisation', 'org:07:regionstyrelsen');
    expect(await count(`{ auditor: "${auditor}" }`)).toBe(1);
    expect(await count(`{ audited: "${audited}" }`)).toBe(1);
    expect(await count(`{ audited: "${other}" }`)).toBe(0);
    expect(await count(`{ reportedOn: { from: "2024-11-20", to: "2024-11-20" } }`)).toBe(1);
    expect(await count(`{ reportedOn: { from: "2024-11-21" } }`)).toBe(0);
    expect(await count(`{ region: "13" }`)).toBe(0);
    expect(await count(`{ topic: "fixed-doctor-contact" }`)).toBe(1);
    expect(await count(`{ topic: "sip" }`)).toBe(0);
    expect(await count(`{ text: "INTERN KONTROLL" }`)).toBe(1);
    expect(await count(`{ text: "omstallning till god och nara vard" }`)).toBe(1);
    expect(await count(`{ text: "patientmiljarden" }`)).toBe(0);

    const wrongType = await server.graphql(`{ audits(filter: { auditor: "${gid('Person', 'person:07:ewa-ekman')}" }) { totalCount } }`);
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it("gives a region's audits, batched across regions, and pages the root list", async () => {
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code audits(first: 5) { totalCount edges { node { reportedOn } } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node.audits]));
    expect(byCode['07']).toEqual({ totalCount: 1, edges: [{ node: { reportedOn: '2024-11-20' } }] });
    expect(byCode['13']).toEqual({ totalCount: 0, edges: [] });

    for (const orderBy of ['REPORTED_ON_DESC', 'REPORTED_ON_ASC', 'UPDATED_AT']) {
      const first = await server.graphql(`{ audits(first: 1, orderBy: ${orderBy}) { edges { node { title } } pageInfo { hasNextPage endCursor } } }`);
      expect(first.errors).toBeUndefined();
      expect(first.data!.audits.edges).toHaveLength(1);
      expect(first.data!.audits.pageInfo.hasNextPage).toBe(false);
      const next = await server.graphql(`query ($after: String) { audits(first: 1, after: $after, orderBy: ${orderBy}) { edges { node { title } } } }`, {
        after: first.data!.audits.pageInfo.endCursor,
      });
      expect(next.data!.audits.edges).toEqual([]);
    }
    const tooMany = await server.graphql(`{ audits(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
