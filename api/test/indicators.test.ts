import { idFor } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.ts';

/*
 * Real values from db/seed/halland-dialogmote-2018-09-19.json: the table of SIP meetings held in
 * Halland, May to August 2018, by setting (home care, joint planning), for public and private
 * health centres, and the totals (stored without the ownership dimension).
 */
const MONTHS = ['2018-05', '2018-06', '2018-07', '2018-08'];
const SIP = {
  public: { home_care: [52, 58, 42, 49], joint_planning: [175, 128, 145, 146] },
  private: { home_care: [49, 42, 39, 37], joint_planning: [104, 93, 99, 125] },
  total: { home_care: [101, 100, 81, 86], joint_planning: [279, 221, 244, 271] },
};

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ seed: true });
});
afterAll(() => server?.close());

const ok = async (query: string, variables?: Record<string, unknown>) => {
  const response = await server.graphql(query, variables);
  expect(response.errors).toBeUndefined();
  return response.data!;
};

const dims = (node: { dimensions: { name: string; value: string }[] }) =>
  Object.fromEntries(node.dimensions.map((dimension) => [dimension.name, dimension.value]));

describe('indicators', () => {
  it('lists indicators by code, with unit, direction and sources, and finds one by code', async () => {
    const data = await ok(`{
      indicators(first: 100) { totalCount edges { node { code } } }
      sip: indicator(code: "SIP_MEETINGS") {
        code name unit direction sourceSystem koladaKpiId description
        citations { quote document { title } }
        topics { slug }
      }
      missing: indicator(code: "NO_SUCH_INDICATOR") { code }
    }`);
    const codes = data.indicators.edges.map((edge: any) => edge.node.code);
    expect(data.indicators.totalCount).toBe(7);
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(
      expect.arrayContaining(['SIP_MEETINGS', 'CARE_GUARANTEE_MEDICAL_ASSESSMENT_DAYS', 'INHABITANTS_PER_DOCTOR', 'CONTINUITY_INDEX_DOCTOR_18M']),
    );
    expect(data.sip).toMatchObject({
      code: 'SIP_MEETINGS',
      name: 'Genomförda SIP-möten',
      unit: 'meetings',
      direction: 'NEUTRAL',
      sourceSystem: null,
      koladaKpiId: null,
    });
    expect(data.sip.description).toMatch(/samordnad individuell plan/);
    expect(data.sip.citations.map((citation: any) => citation.quote)).toContain(
      'Genomförda SIP-möten inom slutenvården och för inskrivning i hemsjukvård',
    );
    expect(data.sip.citations[0].document.title).toBe('Informationsbrev vecka 39 2018');
    expect(data.sip.topics.map((topic: any) => topic.slug)).toContain('sip');
    expect(data.missing).toBeNull();
  });

  it('filters indicators by text, topic and direction', async () => {
    const byText = await ok(`{ indicators(filter: { text: "invanare per lakare" }) { edges { node { code } } } }`);
    expect(byText.indicators.edges.map((edge: any) => edge.node.code)).toEqual(['INHABITANTS_PER_DOCTOR']);
    const byTopic = await ok(`{ indicators(filter: { topic: "care-guarantee" }) { edges { node { code } } } }`);
    expect(byTopic.indicators.edges.map((edge: any) => edge.node.code)).toEqual([
      'CARE_GUARANTEE_DOCTOR_VISIT_DAYS',
      'CARE_GUARANTEE_MEDICAL_ASSESSMENT_DAYS',
    ]);
    const lower = await ok(`{ indicators(filter: { direction: [LOWER_IS_BETTER] }, orderBy: NAME) { edges { node { code direction } } } }`);
    // By name: "Dagar till läkarbesök…", "Dagar till medicinsk bedömning…", "Invånare per läkare".
    expect(lower.indicators.edges.map((edge: any) => edge.node.code)).toEqual([
      'CARE_GUARANTEE_DOCTOR_VISIT_DAYS',
      'CARE_GUARANTEE_MEDICAL_ASSESSMENT_DAYS',
      'INHABITANTS_PER_DOCTOR',
    ]);
  });

  it('gives targets: Kronoberg at most 1,100 inhabitants per doctor, Halland a medical assessment within 3 days from 2019', async () => {
    const data = await ok(`{
      doctors: indicator(code: "INHABITANTS_PER_DOCTOR") {
        unit direction
        targets { comparator value region { code name } validFrom validTo basis description indicator { code } citations { quote document { title } } }
        observations { totalCount }
      }
      assessment: indicator(code: "CARE_GUARANTEE_MEDICAL_ASSESSMENT_DAYS") {
        unit direction sourceSystem
        targets { comparator value region { code } validFrom validTo basis }
      }
    }`);
    expect(data.doctors.unit).toBe('inhabitants per doctor');
    expect(data.doctors.direction).toBe('LOWER_IS_BETTER');
    expect(data.doctors.targets).toHaveLength(1);
    const [target] = data.doctors.targets;
    expect(target).toMatchObject({
      comparator: 'AT_MOST',
      value: '1100',
      region: { code: '07', name: 'Region Kronoberg' },
      validFrom: null,
      validTo: null,
      basis: 'Handlingsplan 1100 invånare/läkare (under framtagande)',
      indicator: { code: 'INHABITANTS_PER_DOCTOR' },
    });
    expect(target.citations[0].quote).toContain('1100 invanare/likare');
    expect(target.citations[0].document.title).toMatch(/revisionsrapport/);
    // Kronoberg's indicators have no values in the sources.
    expect(data.doctors.observations.totalCount).toBe(0);

    expect(data.assessment).toMatchObject({ unit: 'days', direction: 'LOWER_IS_BETTER', sourceSystem: 'Nationella väntetidsdatabasen' });
    expect(data.assessment.targets).toEqual([
      {
        comparator: 'AT_MOST',
        value: '3',
        region: null,
        validFrom: '2019-01-01',
        validTo: null,
        basis: expect.stringContaining('proposition 2017/18:83'),
      },
    ]);
  });
});

describe('observations', () => {
  it('lists the 24 SIP observations of Halland in period order, with subject, period and sorted dimensions', async () => {
    const data = await ok(`{
      observations(first: 100, filter: { indicator: ["SIP_MEETINGS"] }) {
        totalCount
        edges { node {
          id period periodGrain periodStart value
          indicator { code }
          region { code }
          organisation { name }
          dimensions { name value }
        } }
      }
    }`);
    expect(data.observations.totalCount).toBe(24);
    const nodes = data.observations.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(24);
    const starts = nodes.map((node: any) => node.periodStart);
    expect(starts).toEqual([...starts].sort());
    expect(new Set(nodes.map((node: any) => node.period))).toEqual(new Set(MONTHS));
    for (const node of nodes) {
      expect(node).toMatchObject({ periodGrain: 'MONTH', indicator: { code: 'SIP_MEETINGS' }, region: { code: '13' }, organisation: null });
      expect(node.periodStart).toBe(`${node.period}-01`);
      const names = node.dimensions.map((dimension: any) => dimension.name);
      expect(names).toEqual([...names].sort());
    }
    // Every stored value, checked against the table of the source.
    for (const node of nodes) {
      const d = dims(node);
      const month = MONTHS.indexOf(node.period);
      const ownership = (d.ownership ?? 'total') as keyof typeof SIP;
      expect(node.value).toBe(String(SIP[ownership][d.setting as 'home_care'][month]));
    }
  });

  it('finds May 2018 public home care: 52 meetings, with its quoted source', async () => {
    const data = await ok(`{
      observations(filter: {
        indicator: ["SIP_MEETINGS"], region: "13", periodFrom: "2018-05", periodTo: "2018-05",
        dimensions: [{ name: "ownership", value: "public" }, { name: "setting", value: "home_care" }]
      }) {
        edges { node { id period value dimensions { name value } citations { quote document { title } } } }
      }
    }`);
    expect(data.observations.edges).toHaveLength(1);
    const node = data.observations.edges[0].node;
    expect(node).toMatchObject({
      period: '2018-05',
      value: '52',
      dimensions: [
        { name: 'ownership', value: 'public' },
        { name: 'setting', value: 'home_care' },
      ],
    });
    expect(node.citations.map((citation: any) => citation.quote)).toContain(
      'Offentliga vårdcentraler, antal SIP 52 175 58 128 42 145 49 146',
    );
    expect(node.citations[0].document.title).toBe('Informationsbrev vecka 39 2018');
    // The global ID is the seed key's UUID, and node(id:) finds it.
    const again = await ok(`query ($id: ID!) { node(id: $id) { ... on Observation { value period } } }`, { id: node.id });
    expect(again.node).toEqual({ value: '52', period: '2018-05' });
    const sameRow = await server.database.db.execute(
      sql`select value::text as value from observations where id = ${idFor('observation:halland-dialogmote-2018-09-19:sip-2018-05-public-home-care')}`,
    );
    const rows = Array.isArray(sameRow) ? sameRow : (sameRow as any).rows;
    expect(rows[0].value).toBe('52');
  });

  it('filters by dimensions: a value, presence and absence (totals versus breakdowns)', async () => {
    const count = async (filter: string) =>
      (await ok(`{ observations(filter: { indicator: ["SIP_MEETINGS"], ${filter} }) { totalCount } }`)).observations.totalCount;
    server.database.resetStatements();
    expect(await count(`dimensions: [{ name: "ownership", value: "private" }]`)).toBe(8);
    // Value conditions become one jsonb containment test, which the GIN index on dimensions answers.
    expect(server.database.statements.some((statement) => /"dimensions" @> \$\d+::jsonb/.test(statement))).toBe(true);
    expect(await count(`dimensions: [{ name: "setting", value: "joint_planning" }]`)).toBe(12);
    expect(await count(`dimensions: [{ name: "ownership" }]`)).toBe(16);
    expect(await count(`dimensions: [{ name: "ownership", present: true }]`)).toBe(16);
    expect(await count(`dimensions: [{ name: "ownership", present: false }]`)).toBe(8);
    expect(await count(`dimensions: [{ name: "ownership", present: false }, { name: "setting", value: "home_care" }]`)).toBe(4);
    expect(await count(`dimensions: [{ name: "ownership", value: "nobody" }]`)).toBe(0);
    expect(await count(`dimensions: [{ name: "setting", value: "home_care" }, { name: "setting", value: "joint_planning" }]`)).toBe(0);

    const totals = await ok(`{
      observations(filter: { dimensions: [{ name: "ownership", present: false }, { name: "setting", value: "joint_planning" }] }) {
        edges { node { period value dimensions { name value } } }
      }
    }`);
    expect(totals.observations.edges.map((edge: any) => edge.node.value)).toEqual(SIP.total.joint_planning.map(String));
    expect(totals.observations.edges[0].node.dimensions).toEqual([{ name: 'setting', value: 'joint_planning' }]);

    const contradiction = await server.graphql(
      `{ observations(filter: { dimensions: [{ name: "ownership", value: "public", present: false }] }) { totalCount } }`,
    );
    expect(contradiction.errors?.[0]?.message).toMatch(/contradict/);
    expect(contradiction.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('filters by period: a year includes its months, a quarter its three months, and by grain and subject', async () => {
    const count = async (filter: string) =>
      (await ok(`{ observations(filter: { indicator: ["SIP_MEETINGS"], ${filter} }) { totalCount } }`)).observations.totalCount;
    expect(await count(`periodFrom: "2018", periodTo: "2018"`)).toBe(24);
    expect(await count(`periodFrom: "2018-Q2", periodTo: "2018-Q2"`)).toBe(12); // May and June
    expect(await count(`periodTo: "2018-Q2"`)).toBe(12);
    expect(await count(`periodFrom: "2018-Q3"`)).toBe(12);
    expect(await count(`periodFrom: "2018-06", periodTo: "2018-07"`)).toBe(12);
    expect(await count(`periodFrom: "2019"`)).toBe(0);
    expect(await count(`grain: MONTH`)).toBe(24);
    expect(await count(`grain: YEAR`)).toBe(0);
    expect(await count(`region: "13"`)).toBe(24);
    expect(await count(`region: "07"`)).toBe(0);
    const other = await ok(`{ observations(filter: { indicator: ["INHABITANTS_PER_DOCTOR", "CONTINUITY_INDEX_DOCTOR_18M"] }) { totalCount } }`);
    expect(other.observations.totalCount).toBe(0);
    const both = await ok(`{ observations(filter: { indicator: ["INHABITANTS_PER_DOCTOR", "SIP_MEETINGS"] }) { totalCount } }`);
    expect(both.observations.totalCount).toBe(24);
    const backwards = await server.graphql(`{ observations(filter: { periodFrom: "2018-08", periodTo: "2018-05" }) { totalCount } }`);
    expect(backwards.errors?.[0]?.message).toMatch(/"periodFrom" \(2018-08\) must not come after "periodTo" \(2018-05\)/);
  });

  it('rejects a bad period such as "2018-13" with a clear error, inline or as a variable', async () => {
    const inline = await server.graphql(`{ observations(filter: { periodFrom: "2018-13" }) { totalCount } }`);
    expect(inline.data ?? null).toBeNull();
    expect(inline.errors?.[0]?.message).toMatch(/Period must be YYYY, YYYY-Qn or YYYY-MM, got "2018-13"/);
    const variable = await server.graphql(`query ($to: Period) { observations(filter: { periodTo: $to }) { totalCount } }`, {
      to: '2018-13',
    });
    expect(variable.errors?.[0]?.message).toMatch(/Period must be YYYY, YYYY-Qn or YYYY-MM, got "2018-13"/);
    const quarter = await server.graphql(`{ observations(filter: { periodFrom: "2018-Q5" }) { totalCount } }`);
    expect(quarter.errors?.[0]?.message).toMatch(/got "2018-Q5"/);
  });

  it('pages with first/after through all 24 in a stable order, and backwards with last/before', async () => {
    const query = `query ($after: String) {
      observations(first: 10, after: $after, filter: { indicator: ["SIP_MEETINGS"] }) {
        edges { cursor node { id periodStart } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const seen: { id: string; periodStart: string; cursor: string }[] = [];
    const sizes: number[] = [];
    let after: string | null = null;
    for (;;) {
      const data = await ok(query, { after });
      sizes.push(data.observations.edges.length);
      seen.push(...data.observations.edges.map((edge: any) => ({ ...edge.node, cursor: edge.cursor })));
      if (!data.observations.pageInfo.hasNextPage) break;
      after = data.observations.pageInfo.endCursor;
    }
    expect(sizes).toEqual([10, 10, 4]);
    expect(new Set(seen.map((node) => node.id)).size).toBe(24);
    expect(seen.map((node) => node.periodStart)).toEqual(seen.map((node) => node.periodStart).sort());
    // The same order in full.
    const all = await ok(`{ observations(first: 24, filter: { indicator: ["SIP_MEETINGS"] }) { edges { node { id } } } }`);
    expect(all.observations.edges.map((edge: any) => edge.node.id)).toEqual(seen.map((node) => node.id));
    // Backwards from the end of the first page.
    const back = await ok(
      `query ($before: String) { observations(last: 3, before: $before, filter: { indicator: ["SIP_MEETINGS"] }) { edges { node { id } } } }`,
      { before: seen[10]!.cursor },
    );
    expect(back.observations.edges.map((edge: any) => edge.node.id)).toEqual(seen.slice(7, 10).map((node) => node.id));
    const newestFirst = await ok(`{ observations(first: 1, orderBy: PERIOD_DESC, filter: { indicator: ["SIP_MEETINGS"] }) { edges { node { period } } } }`);
    expect(newestFirst.observations.edges[0].node.period).toBe('2018-08');
    const tooMany = await server.graphql(`{ observations(first: 101) { totalCount } }`);
    expect(tooMany.errors?.[0]?.message).toMatch(/at most 100/);
  });

  it("gives an indicator's observations as a batched connection with the same filter, and the region's too", async () => {
    server.database.resetStatements();
    const data = await ok(`{
      indicators(first: 100) { edges { node {
        code
        observations(first: 2, filter: { dimensions: [{ name: "ownership", present: false }], periodFrom: "2018-07" }) {
          totalCount edges { node { period value dimensions { name value } } } pageInfo { hasNextPage }
        }
      } } }
    }`);
    const byCode = Object.fromEntries(data.indicators.edges.map((edge: any) => [edge.node.code, edge.node.observations]));
    expect(byCode.SIP_MEETINGS.totalCount).toBe(4);
    expect(byCode.SIP_MEETINGS.edges.map((edge: any) => [edge.node.period, edge.node.value])).toEqual(
      expect.arrayContaining([['2018-07', '81']]),
    );
    expect(byCode.SIP_MEETINGS.edges.every((edge: any) => edge.node.period === '2018-07')).toBe(true);
    expect(byCode.SIP_MEETINGS.pageInfo.hasNextPage).toBe(true);
    expect(byCode.INHABITANTS_PER_DOCTOR.totalCount).toBe(0);
    // One statement for the indicators, one for every indicator's page, one for every count: not one per indicator.
    const observationStatements = server.database.statements.filter((statement) => /from "observations"/.test(statement));
    expect(observationStatements.length).toBeLessThanOrEqual(2);

    const regions = await ok(`{
      regions(first: 21) { edges { node { code observations(filter: { indicator: ["SIP_MEETINGS"] }) { totalCount } } } }
    }`);
    const byRegion = Object.fromEntries(regions.regions.edges.map((edge: any) => [edge.node.code, edge.node.observations.totalCount]));
    expect(byRegion['13']).toBe(24);
    expect(byRegion['07']).toBe(0);
  });
});

describe('series', () => {
  it('gives the stored monthly totals of home care in Halland, ordered by period, each with its observation', async () => {
    const data = await ok(`{
      indicator(code: "SIP_MEETINGS") {
        series(region: "13", dimensions: [{ name: "setting", value: "home_care" }]) {
          period periodGrain periodStart value
          observation { value dimensions { name value } citations { quote } }
        }
      }
    }`);
    const points = data.indicator.series;
    expect(points.map((point: any) => point.period)).toEqual(MONTHS);
    expect(points.map((point: any) => point.value)).toEqual(SIP.total.home_care.map(String));
    expect(points[0]).toMatchObject({ periodGrain: 'MONTH', periodStart: '2018-05-01' });
    expect(points[0].observation.dimensions).toEqual([{ name: 'setting', value: 'home_care' }]);
    expect(points[0].observation.citations.map((citation: any) => citation.quote)).toContain(
      'Totalt antal SIP/inskrivning 101 279 100 221 81 244 86 271',
    );
  });

  it('gives the private joint-planning series in a period range, and nothing for a region without values', async () => {
    const data = await ok(`{
      indicator(code: "SIP_MEETINGS") {
        private: series(region: "13", periodFrom: "2018-06", periodTo: "2018-Q3", grain: MONTH,
          dimensions: [{ name: "setting", value: "joint_planning" }, { name: "ownership", value: "private" }]) { period value }
        overall: series(region: "13") { period }
        elsewhere: series(region: "07", dimensions: [{ name: "setting", value: "home_care" }]) { period }
      }
    }`);
    expect(data.indicator.private).toEqual([
      { period: '2018-06', value: '93' },
      { period: '2018-07', value: '99' },
      { period: '2018-08', value: '125' },
    ]);
    expect(data.indicator.overall).toEqual([]); // no grand total is stored
    expect(data.indicator.elsewhere).toEqual([]);
    const noSubject = await server.graphql(`{ indicator(code: "SIP_MEETINGS") { series { period } } }`);
    expect(noSubject.errors?.[0]?.message).toMatch(/either "region" or "organisation"/);
  });
});

describe('observationAggregates', () => {
  it('groups by MONTH with ownership present: the sums equal the stored totals', async () => {
    const data = await ok(`{
      parts: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [MONTH],
        filter: { dimensions: [{ name: "ownership", present: true }] }) {
        period periodGrain periodStart count sum dimensionSets grains region { code }
      }
      totals: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [MONTH],
        filter: { dimensions: [{ name: "ownership", present: false }] }) {
        period count sum dimensionSets
      }
    }`);
    const expected = MONTHS.map((_, month) => String(SIP.total.home_care[month]! + SIP.total.joint_planning[month]!));
    expect(expected).toEqual(['380', '321', '325', '357']);
    expect(data.parts.map((group: any) => group.period)).toEqual(MONTHS);
    expect(data.parts.map((group: any) => group.sum)).toEqual(expected);
    expect(data.totals.map((group: any) => group.sum)).toEqual(expected);
    expect(data.parts[0]).toMatchObject({
      periodGrain: 'MONTH',
      periodStart: '2018-05-01',
      count: 4,
      dimensionSets: [['ownership', 'setting']],
      grains: ['MONTH'],
      region: null,
    });
    expect(data.totals[0]).toMatchObject({ count: 2, dimensionSets: [['setting']] });
  });

  it('makes double counting visible: without a presence filter every month adds totals to their parts', async () => {
    const data = await ok(`{
      all: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [MONTH, REGION]) { period region { code } count sum dimensionSets }
      byOwnership: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [MONTH], dimensions: ["ownership"],
        filter: { periodFrom: "2018-05", periodTo: "2018-05" }) {
        period dimensions { name value } sum dimensionSets
      }
    }`);
    expect(data.all[0]).toMatchObject({ period: '2018-05', region: { code: '13' }, count: 6, sum: '760' });
    expect(data.all[0].dimensionSets).toEqual([['ownership', 'setting'], ['setting']]);
    // Grouped by ownership, the totals form their own group (value null) instead of mixing in.
    expect(
      data.byOwnership.map((group: any) => [group.dimensions[0].name, group.dimensions[0].value, group.sum]),
    ).toEqual([
      ['ownership', null, '380'],
      ['ownership', 'private', '153'],
      ['ownership', 'public', '227'],
    ]);
  });

  it('groups by QUARTER ("2018-Q2" holds May and June) and by YEAR', async () => {
    const data = await ok(`{
      quarters: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [QUARTER],
        filter: { dimensions: [{ name: "ownership", present: true }] }) { period periodGrain periodStart count sum }
      years: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [YEAR],
        filter: { dimensions: [{ name: "ownership", present: false }] }) { period periodGrain count sum min max }
      everything: observationAggregates(indicator: "SIP_MEETINGS", filter: { dimensions: [{ name: "ownership", present: false }] }) {
        period region { code } dimensions { name } count sum
      }
    }`);
    expect(data.quarters).toEqual([
      { period: '2018-Q2', periodGrain: 'QUARTER', periodStart: '2018-04-01', count: 8, sum: '701' },
      { period: '2018-Q3', periodGrain: 'QUARTER', periodStart: '2018-07-01', count: 8, sum: '682' },
    ]);
    expect(data.years).toEqual([{ period: '2018', periodGrain: 'YEAR', count: 8, sum: '1383', min: '81', max: '279' }]);
    expect(data.everything).toEqual([{ period: null, region: null, dimensions: [], count: 8, sum: '1383' }]);
  });

  it('computes min, max and avg as exact decimal strings', async () => {
    const data = await ok(`{
      observationAggregates(indicator: "SIP_MEETINGS", groupBy: [QUARTER], dimensions: ["ownership"],
        filter: { dimensions: [{ name: "setting", value: "home_care" }] }) {
        period dimensions { value } count sum avg min max
      }
      thirds: observationAggregates(indicator: "SIP_MEETINGS",
        filter: { periodFrom: "2018-05", periodTo: "2018-07",
                  dimensions: [{ name: "ownership", value: "public" }, { name: "setting", value: "home_care" }] }) {
        count sum avg min max
      }
    }`);
    const rows = data.observationAggregates.map((group: any) => [group.period, group.dimensions[0].value, group.count, group.sum, group.avg, group.min, group.max]);
    expect(rows).toEqual([
      ['2018-Q2', null, 2, '201', '100.5', '100', '101'],
      ['2018-Q2', 'private', 2, '91', '45.5', '42', '49'],
      ['2018-Q2', 'public', 2, '110', '55', '52', '58'],
      ['2018-Q3', null, 2, '167', '83.5', '81', '86'],
      ['2018-Q3', 'private', 2, '76', '38', '37', '39'],
      ['2018-Q3', 'public', 2, '91', '45.5', '42', '49'],
    ]);
    // 52 + 58 + 42 = 152 over 3 months: a repeating decimal, computed in numeric, never a float.
    expect(data.thirds).toEqual([{ count: 3, sum: '152', avg: '50.6666666666666667', min: '42', max: '58' }]);
  });

  it('refuses what it cannot answer: an unknown indicator, two period groupings', async () => {
    const unknown = await server.graphql(`{ observationAggregates(indicator: "NOPE") { count } }`);
    expect(unknown.errors?.[0]?.message).toBe('There is no indicator with code "NOPE"');
    const twoGrains = await server.graphql(`{ observationAggregates(indicator: "SIP_MEETINGS", groupBy: [YEAR, MONTH]) { count } }`);
    expect(twoGrains.errors?.[0]?.message).toMatch(/at most one of YEAR, QUARTER and MONTH/);
    const none = await ok(`{ observationAggregates(indicator: "INHABITANTS_PER_DOCTOR", groupBy: [YEAR]) { count } }`);
    expect(none.observationAggregates).toEqual([]);
  });
});

describe('incremental refresh', () => {
  it('returns changed and deleted observations with updatedSince, ordered by UPDATED_AT', async () => {
    const changed = idFor('observation:halland-dialogmote-2018-09-19:sip-2018-06-private-home-care');
    const deleted = idFor('observation:halland-dialogmote-2018-09-19:sip-2018-07-total-joint-planning');
    const db = server.database.db;
    // The two rows as they were, put back afterwards so later tests see the seeded data set.
    const before = (await db.execute(sql`select id, updated_at::text as "updatedAt" from observations where id in (${changed}, ${deleted})`)) as unknown as
      | { id: string; updatedAt: string }[]
      | { rows: { id: string; updatedAt: string }[] };
    const originals = Array.isArray(before) ? before : before.rows;
    expect(originals).toHaveLength(2);
    await db.execute(sql`update observations set updated_at = '2099-01-02T00:00:00Z' where id = ${changed}`);
    await db.execute(sql`update observations set updated_at = '2099-01-01T00:00:00Z', deleted_at = '2099-01-01T00:00:00Z' where id = ${deleted}`);
    try {
      const data = await ok(`{
        observations(orderBy: UPDATED_AT, filter: { updatedSince: "2098-12-31T00:00:00Z" }) {
          totalCount edges { node { period value deletedAt updatedAt dimensions { name value } } }
        }
        live: observations(filter: { indicator: ["SIP_MEETINGS"] }) { totalCount }
        withDeleted: observations(filter: { indicator: ["SIP_MEETINGS"], includeDeleted: true }) { totalCount }
        sums: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [MONTH], filter: { dimensions: [{ name: "ownership", present: false }] }) { period sum }
      }`);
      expect(data.observations.totalCount).toBe(2);
      expect(data.observations.edges.map((edge: any) => edge.node)).toEqual([
        {
          period: '2018-07',
          value: '244',
          deletedAt: '2099-01-01T00:00:00.000Z',
          updatedAt: '2099-01-01T00:00:00.000Z',
          dimensions: [{ name: 'setting', value: 'joint_planning' }],
        },
        {
          period: '2018-06',
          value: '42',
          deletedAt: null,
          updatedAt: '2099-01-02T00:00:00.000Z',
          dimensions: [
            { name: 'ownership', value: 'private' },
            { name: 'setting', value: 'home_care' },
          ],
        },
      ]);
      expect(data.live.totalCount).toBe(23);
      expect(data.withDeleted.totalCount).toBe(24);
      // The deleted total is not added up: July is home care alone.
      expect(data.sums.find((group: any) => group.period === '2018-07').sum).toBe('81');
    } finally {
      for (const original of originals) {
        await db.execute(sql`update observations set deleted_at = null, updated_at = ${original.updatedAt}::timestamptz where id = ${original.id}`);
      }
      const restored = await ok(`{ observations(filter: { updatedSince: "2098-12-31T00:00:00Z", includeDeleted: true }) { totalCount } }`);
      expect(restored.observations.totalCount).toBe(0);
    }
  });
});

describe('mixed period lengths', () => {
  it('keeps a yearly value apart from months: its own group when grouping by month, a series asks for a grain', async () => {
    const db = server.database.db;
    const yearly = idFor('observation:test:sip-2018-total-home-care');
    await db.execute(sql`insert into observations (id, indicator_id, region_id, period, value, dimensions)
      values (${yearly}, ${idFor('indicator:sip-meetings')}, (select id from regions where code = '13'), '2018', '368', '{"setting": "home_care"}'::jsonb)`);
    try {
      const data = await ok(`{
        months: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [MONTH],
          filter: { dimensions: [{ name: "ownership", present: false }, { name: "setting", value: "home_care" }] }) {
          period periodGrain count sum grains
        }
        years: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [YEAR],
          filter: { dimensions: [{ name: "ownership", present: false }, { name: "setting", value: "home_care" }] }) {
          period count sum grains
        }
        monthsOnly: observationAggregates(indicator: "SIP_MEETINGS", groupBy: [YEAR],
          filter: { grain: MONTH, dimensions: [{ name: "ownership", present: false }, { name: "setting", value: "home_care" }] }) {
          period count sum grains
        }
        indicator(code: "SIP_MEETINGS") {
          monthly: series(region: "13", grain: MONTH, dimensions: [{ name: "setting", value: "home_care" }]) { period value }
          yearly: series(region: "13", grain: YEAR, dimensions: [{ name: "setting", value: "home_care" }]) { period periodGrain value }
        }
      }`);
      // The year cannot be split into months: it stays a group of its own, first by its first day.
      expect(data.months.map((group: any) => [group.period, group.periodGrain, group.sum])).toEqual([
        ['2018', 'YEAR', '368'],
        ['2018-05', 'MONTH', '101'],
        ['2018-06', 'MONTH', '100'],
        ['2018-07', 'MONTH', '81'],
        ['2018-08', 'MONTH', '86'],
      ]);
      // By year, both land in "2018", and `grains` shows the mix; the filter `grain` avoids it.
      expect(data.years).toEqual([{ period: '2018', count: 5, sum: '736', grains: ['MONTH', 'YEAR'] }]);
      expect(data.monthsOnly).toEqual([{ period: '2018', count: 4, sum: '368', grains: ['MONTH'] }]);
      expect(data.indicator.monthly.map((point: any) => point.value)).toEqual(SIP.total.home_care.map(String));
      expect(data.indicator.yearly).toEqual([{ period: '2018', periodGrain: 'YEAR', value: '368' }]);

      const mixed = await server.graphql(`{ indicator(code: "SIP_MEETINGS") {
        series(region: "13", dimensions: [{ name: "setting", value: "home_care" }]) { period } } }`);
      expect(mixed.errors?.[0]?.message).toMatch(/more than one length \(month, year\); choose one with "grain"/);
      expect(mixed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await db.execute(sql`delete from observations where id = ${yearly}`);
    }
  });
});
