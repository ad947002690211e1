import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gid } from './support/ids.ts';
import { startTestServer, type TestServer } from './support/server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const STATE_GRANT = 'grant-programme:kronoberg-revisionssvar-2025-03-25:statsbidrag-nara-vard';
const MENTAL_HEALTH = 'grant-programme:halland-dialogmote-2018-09-19:psykisk-halsa';

async function periods(filter: string, orderBy = 'PERIOD_DESC') {
  const response = await server.graphql(`{ grants(first: 100, orderBy: ${orderBy}, filter: ${filter}) { totalCount edges { node { period amountSek } } } }`);
  expect(response.errors).toBeUndefined();
  const grants = response.data!.grants;
  expect(grants.totalCount).toBe(grants.edges.length);
  return grants.edges.map((edge: any) => edge.node.period);
}

describe('grants', () => {
  it("gives Kronoberg's state grants: 51.9 MSEK requested for 2025, about 46 MSEK for 2024, with programme and sources", async () => {
    const response = await server.graphql(`{
      grants(filter: { region: "07" }) {
        totalCount
        edges { node {
          period amountSek amountIsApproximate status requisitionDueOn description
          recipientRegion { code } recipientOrganisation { name }
          programme { name legalBasis grantor { name } }
          citations { quote document { title registryNumber } }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const grants = response.data!.grants;
    expect(grants.totalCount).toBe(2);
    const [grant2025, grant2024] = grants.edges.map((edge: any) => edge.node);
    expect(grant2025).toMatchObject({
      period: '2025',
      amountSek: '51900000.00',
      amountIsApproximate: false,
      status: 'REQUESTED',
      requisitionDueOn: '2025-04-17',
      recipientRegion: { code: '07' },
      recipientOrganisation: null,
      programme: { name: 'Statsbidrag för nära vård', legalBasis: 'SFS 2024:1253', grantor: { name: 'Socialstyrelsen' } },
    });
    expect(grant2024).toMatchObject({
      period: '2024',
      amountSek: '46000000.00',
      amountIsApproximate: true,
      status: 'AWARDED',
      requisitionDueOn: null,
    });
    expect(grant2025.citations.map((c: any) => c.quote)).toContain(
      'Statsbidraget har rekvirerats enligt politiska beslut och uppgar 2025 till 51,9 miljoner kronor for Kronobergs del.',
    );
    expect(grant2025.citations[0].document).toEqual({
      title: 'Svar på revisionsrapport – gällande omställning till god och nära vård',
      registryNumber: '24HSNG673',
    });
    expect(grant2024.citations[0].quote).toContain('cirka 46 miljoner kronor');
  });

  it("gives Halland's 17 MSEK for 2018 for mental health", async () => {
    const response = await server.graphql(`{
      grants(filter: { region: "13" }) { edges { node {
        period amountSek amountIsApproximate status recipientRegion { name }
        programme { name grantor { name } grants { period } }
        citations { quote document { title } }
      } } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.grants.edges).toHaveLength(1);
    const grant = response.data!.grants.edges[0].node;
    expect(grant).toMatchObject({
      period: '2018',
      amountSek: '17000000.00',
      amountIsApproximate: false,
      status: 'AWARDED',
      recipientRegion: { name: 'Region Halland' },
      programme: { name: 'Statlig satsning på psykisk hälsa', grantor: { name: 'Regeringen' }, grants: [{ period: '2018' }] },
    });
    expect(grant.citations[0]).toEqual({
      quote: 'Bakgrunden är en statlig satsning som innebär att Region Halland fått 17 miljoner kr för uppstart 2018.',
      document: { title: 'Informationsbrev vecka 39 2018' },
    });
  });

  it('filters by period, compared by the start of each period', async () => {
    expect(await periods('{}')).toEqual(['2025', '2024', '2018']);
    expect(await periods('{ periodFrom: "2025" }')).toEqual(['2025']);
    expect(await periods('{ periodFrom: "2024" }')).toEqual(['2025', '2024']);
    expect(await periods('{ periodFrom: "2024-09" }')).toEqual(['2025']);
    expect(await periods('{ periodTo: "2024" }')).toEqual(['2024', '2018']);
    expect(await periods('{ periodTo: "2023-Q4" }')).toEqual(['2018']);
    expect(await periods('{ periodFrom: "2018-12", periodTo: "2024-Q1" }')).toEqual(['2024']);
    expect(await periods('{ periodFrom: "2019", periodTo: "2023" }')).toEqual([]);
    const bad = await server.graphql(`{ grants(filter: { periodFrom: "2024-13" }) { totalCount } }`);
    expect(bad.errors?.[0]?.message).toMatch(/Period/);
  });

  it('filters by status, programme, region and recipient organisation', async () => {
    expect(await periods('{ status: [REQUESTED] }')).toEqual(['2025']);
    expect(await periods('{ status: [AWARDED, PAID] }')).toEqual(['2024', '2018']);
    expect(await periods('{ status: [PAID] }')).toEqual([]);
    expect(await periods(`{ programme: "${gid('GrantProgramme', STATE_GRANT)}" }`)).toEqual(['2025', '2024']);
    expect(await periods(`{ programme: "${gid('GrantProgramme', MENTAL_HEALTH)}", region: "13" }`)).toEqual(['2018']);
    expect(await periods(`{ programme: "${gid('GrantProgramme', MENTAL_HEALTH)}", region: "07" }`)).toEqual([]);
    expect(await periods(`{ recipientOrganisation: "${gid('Organisation', 'org:07:halso-och-sjukvardsnamnden')}" }`)).toEqual([]);
    const wrongType = await server.graphql(`{ grants(filter: { programme: "${gid('Grant', 'grant:halland-dialogmote-2018-09-19:psykisk-halsa-2018')}" }) { totalCount } }`);
    expect(wrongType.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('orders by period either way and by amount, and pages with cursors', async () => {
    expect(await periods('{}', 'PERIOD_ASC')).toEqual(['2018', '2024', '2025']);
    const byAmount = await server.graphql(`{ grants(orderBy: AMOUNT_DESC) { edges { node { amountSek } } } }`);
    expect(byAmount.data!.grants.edges.map((edge: any) => edge.node.amountSek)).toEqual(['51900000.00', '46000000.00', '17000000.00']);

    for (const orderBy of ['PERIOD_DESC', 'PERIOD_ASC', 'AMOUNT_DESC', 'UPDATED_AT']) {
      const all = await periods('{}', orderBy);
      const paged: string[] = [];
      let after: string | null = null;
      for (let page = 0; page < 5; page++) {
        const response: any = await server.graphql(
          `query ($after: String) { grants(first: 2, after: $after, orderBy: ${orderBy}) { edges { node { period } } pageInfo { hasNextPage endCursor } } }`,
          { after },
        );
        expect(response.errors).toBeUndefined();
        paged.push(...response.data.grants.edges.map((edge: any) => edge.node.period));
        if (!response.data.grants.pageInfo.hasNextPage) break;
        after = response.data.grants.pageInfo.endCursor;
      }
      expect(paged, orderBy).toEqual(all);
    }
  });

  it("gives a region's grants as a connection, batched across regions, and an organisation's", async () => {
    const response = await server.graphql(`{
      regions(first: 21) { edges { node { code grants(first: 1, orderBy: PERIOD_ASC) {
        totalCount edges { node { period amountSek } } pageInfo { hasNextPage }
      } } } }
      audits(first: 1) { edges { node { audited { name grants { totalCount } } } } }
    }`);
    expect(response.errors).toBeUndefined();
    const byCode = Object.fromEntries(response.data!.regions.edges.map((edge: any) => [edge.node.code, edge.node.grants]));
    expect(byCode['07']).toEqual({ totalCount: 2, edges: [{ node: { period: '2024', amountSek: '46000000.00' } }], pageInfo: { hasNextPage: true } });
    expect(byCode['13']).toEqual({ totalCount: 1, edges: [{ node: { period: '2018', amountSek: '17000000.00' } }], pageInfo: { hasNextPage: false } });
    expect(byCode['18'].totalCount).toBe(0);
    const filtered = await server.graphql(`{ region(code: "07") { grants(filter: { periodFrom: "2025" }) { edges { node { status } } } } }`);
    expect(filtered.data!.region.grants.edges).toEqual([{ node: { status: 'REQUESTED' } }]);
    expect(response.data!.audits.edges[0].node.audited).toEqual({ name: 'Hälso- och sjukvårdsnämnden', grants: { totalCount: 0 } });
  });

  it('gives the allocations: 30 MSEK in 2024-09, 148 SEK per listed patient, 4–44 SEK, the 180 000 SEK ceiling', async () => {
    const response = await server.graphql(`{
      grantProgrammes(first: 100) {
        totalCount
        edges { node {
          name legalBasis description topics { slug }
          allocations {
            period amountSek rateSek rateMaxSek rateUnit capSek capUnit paidOn recipientDescription description
            region { code } programme { name } grant { period } fromOrganisation { name } recipientOrganisation { name }
            citations { quote document { title } }
          }
        } }
      }
    }`);
    expect(response.errors).toBeUndefined();
    const programmes = response.data!.grantProgrammes.edges.map((edge: any) => edge.node);
    expect(response.data!.grantProgrammes.totalCount).toBe(5);
    const names = programmes.map((p: any) => p.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)));
    const byName = Object.fromEntries(programmes.map((p: any) => [p.name, p]));

    const sector = byName['Sektorsbidraget'];
    expect(sector.topics.map((t: any) => t.slug).sort()).toEqual(['primary-care-compensation', 'state-grants']);
    expect(sector.allocations).toHaveLength(2);
    expect(sector.allocations[0]).toMatchObject({
      period: '2024-09',
      amountSek: '30000000.00',
      rateSek: null,
      capSek: null,
      region: { code: '07' },
      programme: { name: 'Sektorsbidraget' },
      grant: null,
      recipientDescription: 'Vårdcentralerna i Region Kronoberg, fördelat utifrån antalet listade',
    });
    expect(sector.allocations[0].citations[0].quote).toContain('30 miljoner kronor av sektorsbidraget');
    expect(sector.allocations[1]).toMatchObject({ period: null, amountSek: null, rateSek: '148.00', rateMaxSek: null, rateUnit: 'listed patient' });
    expect(sector.allocations[1].citations[0]).toEqual({
      quote: 'For kommande ar utbetalas fran sektorsbidraget till vardcentralerna, i form av en resursforstirkning pa 148 kronor/listad.',
      document: { title: 'Svar på revisionsrapport – gällande omställning till god och nära vård' },
    });

    const compensation = byName['Ersättning till vårdcentralerna i Vårdval Primärvård'];
    const rate = compensation.allocations.find((a: any) => a.rateSek !== null);
    const cap = compensation.allocations.find((a: any) => a.capSek !== null);
    expect(rate).toMatchObject({ rateSek: '4.00', rateMaxSek: '44.00', rateUnit: 'listed patient', capSek: null });
    expect(cap).toMatchObject({ capSek: '180000.00', capUnit: 'health centre and year', rateSek: null, amountSek: null });
    expect(cap.citations[0].quote).toContain('180 000 kronor');

    expect(byName['Statsbidrag för nära vård']).toMatchObject({ legalBasis: 'SFS 2024:1253', allocations: [] });
    expect(byName['Patientmiljarden'].legalBasis).toBe('Överenskommelsen Patientmiljarden');
  });

  it('filters programmes by text and topic and gives their grants newest first', async () => {
    const response = await server.graphql(`{
      grantProgrammes(filter: { text: "sfs 2024:1253" }) { edges { node { name grants { period amountSek status } } } }
      mental: grantProgrammes(filter: { topic: "mental-health" }) { edges { node { name } } }
      none: grantProgrammes(filter: { text: "ingen sådan satsning" }) { totalCount }
    }`);
    expect(response.errors).toBeUndefined();
    expect(response.data!.grantProgrammes.edges).toEqual([
      {
        node: {
          name: 'Statsbidrag för nära vård',
          grants: [
            { period: '2025', amountSek: '51900000.00', status: 'REQUESTED' },
            { period: '2024', amountSek: '46000000.00', status: 'AWARDED' },
          ],
        },
      },
    ]);
    expect(response.data!.mental.edges).toEqual([{ node: { name: 'Statlig satsning på psykisk hälsa' } }]);
    expect(response.data!.none.totalCount).toBe(0);
  });
});
