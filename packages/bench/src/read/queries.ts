/**
 * The read benchmark's queries: each is a GraphQL operation for the API and a route of the floor
 * server, which answers the same data with one hand-written SQL statement. Parameters vary per
 * request: `pick` draws them from values sampled from the database before the run.
 */

export interface Samples {
  regions: string[];
  meetingIds: string[];
  indicators: string[];
  years: string[];
  rareWords: string[];
  commonWords: string[];
}

export interface QueryDefinition {
  name: string;
  description: string;
  query: string;
  /** Variables for the n-th request. */
  variables(samples: Samples, n: number): Record<string, string>;
}

const at = <T>(list: T[], n: number): T => list[n % list.length]!;

/** The Relay global ID the API gives a record. */
export const globalId = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64');

export const QUERIES: QueryDefinition[] = [
  {
    name: 'Q1',
    description: '20 meetings of a region, newest first, with body name',
    query: `query Q1($region: String!) { meetings(first: 20, filter: { region: $region }) { edges { node { id title heldOn organisation { name } } } } }`,
    variables: (s, n) => ({ region: at(s.regions, n) }),
  },
  {
    name: 'Q2',
    description: '10 meetings → agenda items → decisions (text, kind)',
    query: `query Q2($region: String!, $to: Date!) { meetings(first: 10, filter: { region: $region, heldOn: { to: $to } }) { edges { node { id title agendaItems { ordinal title decisions { kind text } } } } } }`,
    variables: (s, n) => ({ region: at(s.regions, n), to: `${at(s.years, n * 7)}-06-30` }),
  },
  {
    name: 'Q3',
    description: 'one meeting by ID with its items',
    query: `query Q3($id: ID!) { node(id: $id) { ... on Meeting { id title heldOn place agendaItems { ordinal title summary } } } }`,
    variables: (s, n) => ({ id: globalId('Meeting', at(s.meetingIds, n * 7919)) }),
  },
  {
    name: 'Q4',
    description: '100 observations of one indicator, region, period range',
    query: `query Q4($indicator: String!, $region: String!, $from: Period!, $to: Period!) { observations(first: 100, filter: { indicator: [$indicator], region: $region, periodFrom: $from, periodTo: $to }) { edges { node { period value dimensions { name value } } } } }`,
    variables: (s, n) => {
      const year = Number(at(s.years.slice(0, -2), n * 3));
      return { indicator: at(s.indicators, n), region: at(s.regions, n * 5), from: `${year}-01`, to: `${year + 2}-12` };
    },
  },
  {
    name: 'Q5',
    description: 'one indicator by region for one year (sum, avg, count)',
    query: `query Q5($indicator: String!, $year: Period!) { observationAggregates(indicator: $indicator, groupBy: [REGION], filter: { periodFrom: $year, periodTo: $year, dimensions: [{ name: "ownership", present: false }] }) { region { code } count sum avg } }`,
    variables: (s, n) => ({ indicator: at(s.indicators, n), year: at(s.years, n * 3) }),
  },
  {
    name: 'Q6',
    description: '`search` for a rare Swedish word',
    query: `query Q6($q: String!) { search(query: $q, first: 10) { edges { node { type rank date record { ... on Node { id } } } } } }`,
    variables: (s, n) => ({ q: at(s.rareWords, n) }),
  },
];

/** Q6 on common words: the p99 target holds for them too. */
export const COMMON_SEARCH: QueryDefinition = {
  ...QUERIES[5]!,
  name: 'Q6c',
  description: '`search` for a common word',
  variables: (s, n) => ({ q: at(s.commonWords, n) }),
};

/** The even mix: Q1–Q5 in turn. */
export const MIX = QUERIES.slice(0, 5);
