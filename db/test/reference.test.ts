import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadReferenceData, selectRows } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await loadReferenceData(database.db);
});
afterAll(() => database?.dispose());

describe('reference data', () => {
  it('holds the 21 regions with their county codes, names and ISO codes', async () => {
    const regions = await selectRows<{ code: string; name: string; iso_code: string }>(
      database.db,
      sql`select code, name, iso_code from regions order by code`,
    );
    expect(regions).toHaveLength(21);
    expect(regions.map((region) => region.code)).toEqual([
      '01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13',
      '14', '17', '18', '19', '20', '21', '22', '23', '24', '25',
    ]);
    expect(regions.find((region) => region.code === '07')).toEqual({ code: '07', name: 'Region Kronoberg', iso_code: 'SE-G' });
  });

  it('holds the 290 municipalities, each an organisation in its own county', async () => {
    const municipalities = await selectRows<{ code: string; name: string; county: string }>(
      database.db,
      sql`select o.municipality_code as code, o.name, r.code as county from organisations o
          join regions r on r.id = o.region_id where o.kind = 'municipality' order by o.municipality_code`,
    );
    expect(municipalities).toHaveLength(290);
    expect(new Set(municipalities.map((municipality) => municipality.code)).size).toBe(290);
    // How many municipalities each county has (SCB's register of municipalities).
    const perCounty: Record<string, number> = {};
    for (const municipality of municipalities) perCounty[municipality.county] = (perCounty[municipality.county] ?? 0) + 1;
    expect(perCounty).toEqual({
      '01': 26, '03': 8, '04': 9, '05': 13, '06': 13, '07': 8, '08': 12, '09': 1, '10': 5, '12': 33, '13': 6,
      '14': 49, '17': 16, '18': 12, '19': 10, '20': 15, '21': 10, '22': 7, '23': 8, '24': 15, '25': 14,
    });
    for (const known of [
      { code: '0180', name: 'Stockholm', county: '01' },
      { code: '0980', name: 'Gotland', county: '09' },
      { code: '1280', name: 'Malmö', county: '12' },
      { code: '1480', name: 'Göteborg', county: '14' },
      { code: '1880', name: 'Örebro', county: '18' },
      { code: '2580', name: 'Luleå', county: '25' },
      { code: '2584', name: 'Kiruna', county: '25' },
    ]) {
      expect(municipalities.find((municipality) => municipality.code === known.code)).toEqual(known);
    }
    // SCB municipality codes begin with the county code.
    for (const municipality of municipalities) expect(municipality.code.slice(0, 2)).toBe(municipality.county);
    expect(municipalities.find((municipality) => municipality.code === '0780')).toEqual({ code: '0780', name: 'Växjö', county: '07' });
  });

  it('loads a second time without changing a row', async () => {
    const snapshot = () =>
      selectRows<{ checksum: string }>(
        database.db,
        sql`select md5(string_agg(row_to_json(x)::text, '|' order by x.id)) as checksum from (
              select id, code, updated_at, version from regions union all
              select id, municipality_code, updated_at, version from organisations) x`,
      );
    const before = await snapshot();
    const summary = await loadReferenceData(database.db);
    expect(summary.tables.regions).toEqual({ inserted: 0, updated: 0 });
    expect(summary.tables.municipalities).toEqual({ inserted: 0, updated: 0 });
    expect(await snapshot()).toEqual(before);
  });
});
