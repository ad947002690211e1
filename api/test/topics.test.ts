import { idFor } from '@naravard/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const decodeId = (id: string) => Buffer.from(id, 'base64').toString('utf8');

/** A topic's records of some types, every page followed. */
async function records(slug: string, types: string[] | null, selection = "__typename ... on Node { id }") {
  const nodes: any[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let page = 0; page < 20; page++) {
    const response: any = await server.graphql(
      `query ($types: [String!], $after: String) { topics(first: 100) { edges { node { slug
        records(types: $types, first: 4, after: $after) { totalCount edges { node { ${selection} } } pageInfo { hasNextPage endCursor } }
      } } } }`,
      { types, after },
    );
    expect(response.errors).toBeUndefined();
    const topic = response.data.topics.edges.find((edge: any) => edge.node.slug === slug).node;
    totalCount = topic.records.totalCount;
    nodes.push(...topic.records.edges.map((edge: any) => edge.node));
    if (!topic.records.pageInfo.hasNextPage) break;
    after = topic.records.pageInfo.endCursor;
  }
  expect(nodes).toHaveLength(totalCount);
  return nodes;
}

const countByType = (nodes: any[]) =>
  nodes.reduce((counts: Record<string, number>, node: any) => ({ ...counts, [node.__typename]: (counts[node.__typename] ?? 0) + 1 }), {});

describe('topics', () => {
  it('lists the 23 topics with English and Swedish names, ordered and filtered', async () => {
    const response = await server.graphql(`{
      topics(first: 100) { totalCount edges { node { slug name swedishName description createdAt updatedAt deletedAt } } }
      bySlug: topics(first: 3, orderBy: SLUG) { edges { node { slug } } }
      contact: topics(filter: { text: "kontaktingang" }) { edges { node { slug } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.topics.totalCount).toBe(23);
    const topics = response.data!.topics.edges.map((edge: any) => edge.node);
    const names = topics.map((t: any) => t.name);
    expect(names[0]).toBe('1177 direkt');
    expect(names).toContain('Care guarantee');
    const bySlug = Object.fromEntries(topics.map((t: any) => [t.slug, t]));
    expect(bySlug.sip).toMatchObject({
      name: 'Coordinated individual plan (SIP)',
      swedishName: 'Samordnad individuell plan',
      description: 'Joint care plans of region and municipality for people who need both.',
      deletedAt: null,
    });
    expect(bySlug['central-contact-entry']).toMatchObject({ name: 'Central contact entry', swedishName: 'Central kontaktingång' });
    expect(response.data!.bySlug.edges.map((edge: any) => edge.node.slug)).toEqual(['1177-direkt', 'care-guarantee', 'care-pathways']);
    expect(response.data!.contact.edges).toEqual([{ node: { slug: 'central-contact-entry' } }]);
  });

  it('gives the SIP meetings across regions: three in Halland (2018), two in Örebro (2023)', async () => {
    const meetings = await records('sip', ['Meeting'], '__typename ... on Meeting { heldOn region { code } topics { slug } }');
    expect(meetings).toHaveLength(5);
    for (const meeting of meetings) {
      expect(meeting.__typename).toBe('Meeting');
      expect(meeting.topics.map((t: any) => t.slug)).toContain('sip');
    }
    const byRegion = countByType(meetings.map((m) => ({ __typename: m.region.code })));
    expect(byRegion).toEqual({ '13': 3, '18': 2 });
    expect(meetings.filter((m) => m.region.code === '13').map((m) => m.heldOn).sort()).toEqual(['2018-09-19', '2018-09-27', '2018-10-24']);

    const all = await records('sip', null);
    expect(countByType(all)).toMatchObject({ Document: 1, Meeting: 5, AgendaItem: 5, Decision: 1, Assignment: 4 });
    const several = await records('sip', ['Decision', 'Assignment'], '__typename');
    expect(countByType(several)).toEqual({ Decision: 1, Assignment: 4 });
    const documents = await records('sip', ['Document'], '... on Document { title region { code } }');
    expect(documents).toEqual([{ title: 'Informationsbrev vecka 39 2018', region: { code: '13' } }]);
  });

  it('gives the central contact entry records of the Kronoberg steering group, paged four at a time', async () => {
    const decisions = await records('central-contact-entry', ['Decision']);
    const expected = [
      '4', '6', '6-kompetens', '6-direktbokningar', '6-nya-symtom', '6-oppettider', '6-prio', '6-resurser', '6-ingangar', '6-plattform', '6-patientavgifter',
    ].map((suffix) => `Decision:${idFor(`decision:kronoberg-sg-2023-03-28:${suffix}`)}`);
    expect(decisions.map((d) => decodeId(d.id)).sort()).toEqual(expected.sort());

    const all = await records('central-contact-entry', null, '__typename ... on Meeting { title region { code } }');
    expect(countByType(all)).toEqual({ Document: 1, Meeting: 1, AgendaItem: 2, Decision: 11, Assignment: 3 });
    expect(all.find((r) => r.__typename === 'Meeting')).toEqual({ __typename: 'Meeting', title: expect.any(String), region: { code: '07' } });
    // Grouped by type; no record twice across pages.
    expect(new Set(all.map((r) => r.__typename)).size).toBe(5);
    const ids = (await records('central-contact-entry', null)).map((r) => r.id);
    expect(new Set(ids).size).toBe(18);
  });

  it('batches the records of every topic, refuses types that cannot be tagged, and filters by change time', async () => {
    const response = await server.graphql(`{
      topics(first: 100, orderBy: SLUG) { edges { node { slug records(first: 2, types: ["Audit", "Recommendation"]) { totalCount edges { node { __typename } } } } } }
      future: topics(first: 100) { edges { node { records(filter: { updatedSince: "2999-01-01T00:00:00Z" }) { totalCount edges { node { __typename } } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const bySlug = Object.fromEntries(response.data!.topics.edges.map((edge: any) => [edge.node.slug, edge.node.records]));
    // The audit is tagged with governance, its first recommendation too.
    expect(bySlug.governance.totalCount).toBe(2);
    expect(bySlug.governance.edges.map((edge: any) => edge.node.__typename).sort()).toEqual(['Audit', 'Recommendation']);
    expect(bySlug['fixed-doctor-contact'].totalCount).toBe(2);
    expect(bySlug.sip).toEqual({ totalCount: 0, edges: [] });
    for (const edge of response.data!.future.edges) expect(edge.node.records).toEqual({ totalCount: 0, edges: [] });

    const grant = await server.graphql(`{ topics(first: 1) { edges { node { records(types: ["Grant"]) { totalCount } } } } }`);
    expect(grant.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(grant.errors?.[0]?.message).toMatch(/Decision/);
  });
});
