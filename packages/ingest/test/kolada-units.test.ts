import { selectRows } from '@naravard/db';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeKolada, startFakeKolada } from './fake-kolada.ts';
import { createApp, createLogger } from '../../../api/src/index.ts';
import { type CliDatabase, contentChecksum, createCliDatabase, organisationGlobalId } from './import-support.ts';

/*
 * `naravard import kolada --units` as a separate process against a fake Kolada API v3: the
 * organisational units of the municipalities and regions asked for become organisations, their
 * values observations of the unit; checked in the database and through GraphQL over HTTP.
 */

let cli: CliDatabase;
let kolada: FakeKolada;

beforeAll(async () => {
  cli = await createCliDatabase();
  kolada = await startFakeKolada(3);
});
afterAll(async () => {
  await kolada?.close();
  await cli?.dispose();
});

const importUnits = (extra: string[] = []) =>
  cli.run([
    'import', 'kolada', '--kpi', 'U79110', '--regions', '13', '--municipalities', '0780,1380', '--units', '--years', '2022-2023',
    '--base-url', kolada.url, '--retries', '1', ...extra,
  ]);
const summaryOf = (result: { events: Record<string, any>[] }) => result.events.find((event) => event.event === 'summary');

interface Unit {
  kolada_ou_id: string;
  name: string;
  kind: string;
  region: string | null;
  parent: string | null;
}

const storedUnits = () =>
  cli.inspect(({ db }) =>
    selectRows<Unit>(
      db,
      sql`select u.kolada_ou_id, u.name, u.kind::text as kind, r.code as region, p.municipality_code as parent
          from organisations u left join regions r on r.id = u.region_id left join organisations p on p.id = u.parent_id
          where u.kolada_ou_id is not null order by u.kolada_ou_id`,
    ),
  );

const storedValues = () =>
  cli.inspect(({ db }) =>
    selectRows<{ unit: string; period: string; value: string; dimensions: Record<string, string> }>(
      db,
      sql`select u.kolada_ou_id as unit, o.period, o.value::text as value, o.dimensions
          from observations o join indicators i on i.id = o.indicator_id join organisations u on u.id = o.organisation_id
          where i.code = 'U79110' and o.deleted_at is null
          order by u.kolada_ou_id, o.period, o.dimensions::text collate "C"`,
    ),
  );

describe('naravard import kolada --units', () => {
  it('creates the units as organisations of their municipality or region, and their values as observations of the unit', async () => {
    const result = await importUnits();
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toMatchObject({
      resumed: false,
      // The unit values: 6 rows on 2 pages (3 a page); the areas have no values of this KPI.
      rows: 6,
      skippedMissing: 1,
      indicators: { created: 1, changed: 0, unchanged: 0 },
      units: { created: 4, changed: 0, unchanged: 0 },
      created: 7,
      changed: 0,
      unchanged: 0,
      deleted: 0,
    });
    // The unit list (4 units of 0013, 0780 and 1380) came on 2 pages; Majorna (1480) was not asked for.
    expect(kolada.requests.filter((request) => request.startsWith('/v3/ou?')).map((request) => new URLSearchParams(request.split('?')[1]).get('page'))).toEqual([
      null,
      '2',
    ]);
    const oudata = kolada.requests.filter((request) => request.startsWith('/v3/oudata'));
    expect(oudata[0]).toMatch(/^\/v3\/oudata\/kpi\/U79110\/ou\/V45E001300001,V45E078000001,V45E078000002,V45E138000001\/year\/2022,2023\?per_page=5000$/);
    expect(oudata).toHaveLength(2);

    expect(await storedUnits()).toEqual([
      { kolada_ou_id: 'V45E001300001', name: 'Barnmorskemottagningen Halland', kind: 'other', region: '13', parent: null },
      { kolada_ou_id: 'V45E078000001', name: 'Vårdcentralen Centrum Växjö', kind: 'health_centre', region: '07', parent: '0780' },
      { kolada_ou_id: 'V45E078000002', name: 'Hälsocentralen Teleborg', kind: 'health_centre', region: '07', parent: '0780' },
      { kolada_ou_id: 'V45E138000001', name: 'Vårdcentral Halmstad Söder', kind: 'health_centre', region: '13', parent: '1380' },
    ]);
    expect(await storedValues()).toEqual([
      { unit: 'V45E001300001', period: '2023', value: '90', dimensions: {} },
      { unit: 'V45E078000001', period: '2022', value: '80', dimensions: { gender: 'men' } },
      { unit: 'V45E078000001', period: '2022', value: '83', dimensions: { gender: 'women' } },
      { unit: 'V45E078000001', period: '2022', value: '81.5', dimensions: {} },
      { unit: 'V45E078000001', period: '2023', value: '84.25', dimensions: {} },
      { unit: 'V45E078000002', period: '2022', value: '77', dimensions: {} },
      { unit: 'V45E138000001', period: '2023', value: '69.5', dimensions: {} },
    ]);
    // Each unit's creation is in the change log.
    const [logged] = await cli.inspect(({ db }) =>
      selectRows<{ count: number }>(
        db,
        sql`select count(*)::int as count from change_log c join organisations u on u.id = c.entity_id
            where c.entity_type = 'organisation' and c.operation = 'create' and u.kolada_ou_id is not null and c.actor = 'cli:importer-test'`,
      ),
    );
    expect(logged!.count).toBe(4);
  });

  it('a second run matches the units by their Kolada id and changes nothing', async () => {
    const before = await cli.inspect(contentChecksum);
    const result = await importUnits();
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toMatchObject({
      units: { created: 0, changed: 0, unchanged: 4 },
      indicators: { created: 0, changed: 0, unchanged: 1 },
      created: 0,
      changed: 0,
      unchanged: 7,
      deleted: 0,
    });
    expect(await cli.inspect(contentChecksum)).toBe(before);
  });

  it('a renamed unit is updated in place, its observations kept', async () => {
    kolada.units = kolada.units.map((unit) => (unit.id === 'V45E078000002' ? { ...unit, title: 'Hälsocentralen Teleborg och Hovshaga' } : unit));
    const result = await importUnits();
    expect(result.code, result.stderr).toBe(0);
    expect(summaryOf(result)).toMatchObject({ units: { created: 0, changed: 1, unchanged: 3 }, created: 0, changed: 0, unchanged: 7 });
    expect((await storedUnits()).find((unit) => unit.kolada_ou_id === 'V45E078000002')).toMatchObject({ name: 'Hälsocentralen Teleborg och Hovshaga', parent: '0780' });
    expect(await storedValues()).toHaveLength(7);
  });

  it('refuses a unit of a region the platform does not have, naming both, and writes nothing', async () => {
    kolada.units = [...kolada.units, { id: 'V45E009900001', title: 'Vårdcentralen Okänd', municipality: '0099' }];
    const before = await cli.inspect(contentChecksum);
    const result = await cli.run([
      'import', 'kolada', '--kpi', 'U79110', '--regions', '99', '--units', '--years', '2023', '--base-url', kolada.url, '--retries', '1',
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Kolada unit V45E009900001 belongs to the region with county code 99, which the platform does not have/);
    expect(await cli.inspect(contentChecksum)).toBe(before);
    expect(await storedUnits()).toHaveLength(4);
  });

  it('GraphQL over HTTP lists the unit with its parent municipality and its observations', async () => {
    const [unit] = await cli.inspect(({ db }) => selectRows<{ id: string }>(db, sql`select id from organisations where kolada_ou_id = 'V45E078000001'`));
    const body = await cli.inspect(async (connection) => {
      const app = await createApp({ connection, logger: createLogger() });
      const port = await app.listen(0, '127.0.0.1');
      try {
        const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: `query ($id: ID!) {
              node(id: $id) { ... on Organisation { name kind parent { name } region { code } } }
              observations(filter: { organisation: $id }, first: 10) {
                totalCount
                edges { node { indicator { code } period value dimensions { name value } } }
              }
            }`,
            variables: { id: organisationGlobalId(unit!.id) },
          }),
        });
        return (await response.json()) as { data: any; errors?: unknown };
      } finally {
        await app.stop();
      }
    });
    expect(body.errors).toBeUndefined();
    expect(body.data.node).toEqual({ name: 'Vårdcentralen Centrum Växjö', kind: 'HEALTH_CENTRE', parent: { name: expect.stringMatching(/Växjö/) }, region: { code: '07' } });
    expect(body.data.observations.totalCount).toBe(4);
    const values = body.data.observations.edges.map((edge: any) => [edge.node.period, edge.node.value, edge.node.dimensions]).sort((a: any, b: any) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(values).toEqual([
      ['2022', '80', [{ name: 'gender', value: 'men' }]],
      ['2022', '81.5', []],
      ['2022', '83', [{ name: 'gender', value: 'women' }]],
      ['2023', '84.25', []],
    ]);
    expect(body.data.observations.edges.every((edge: any) => edge.node.indicator.code === 'U79110')).toBe(true);
  });
});
