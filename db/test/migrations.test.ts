import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, selectRows } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.dispose());

/** Everything the migrations define, as text: tables, columns, constraints, indexes, functions. */
async function schemaFingerprint() {
  const [row] = await selectRows<{ fingerprint: string; objects: number }>(
    database.db,
    sql`select md5(string_agg(item, E'\n' order by item)) as fingerprint, count(*)::int as objects from (
          select format('column %s.%s %s %s %s', table_name, column_name, data_type, is_nullable, column_default) as item
            from information_schema.columns where table_schema = 'public'
          union all select format('constraint %s %s', conname, pg_get_constraintdef(oid))
            from pg_constraint where connamespace = 'public'::regnamespace
          union all select format('index %s', indexdef) from pg_indexes where schemaname = 'public'
          union all select format('function %s', proname) from pg_proc where pronamespace = 'public'::regnamespace
          union all select format('extension %s', extname) from pg_extension
        ) items`,
  );
  return row!;
}

describe('migrations', () => {
  it('create the whole domain with the search extensions', async () => {
    const tables = await selectRows<{ table_name: string }>(
      database.db,
      sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
    );
    expect(tables.map((table) => table.table_name)).toEqual([
      'agenda_items', 'allocations', 'api_keys', 'assignment_reports', 'assignments', 'audit_responses', 'audits',
      'change_log', 'citations', 'decisions', 'documents', 'grant_programmes', 'grants', 'imports', 'indicator_targets',
      'indicators', 'meeting_participants', 'meetings', 'memberships', 'observation_staging', 'observations', 'organisations', 'people',
      'recommendation_responses', 'recommendations', 'regions', 'search_words', 'seed_runs', 'topic_links', 'topics',
    ]);
    const extensions = await selectRows<{ extname: string }>(database.db, sql`select extname from pg_extension order by extname`);
    expect(extensions.map((extension) => extension.extname)).toEqual(expect.arrayContaining(['pg_trgm', 'unaccent']));
  });

  it('applied a second time change nothing', async () => {
    const before = await schemaFingerprint();
    const [applied] = await selectRows<{ count: number }>(database.db, sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
    await migrate(database);
    expect(await schemaFingerprint()).toEqual(before);
    const [after] = await selectRows<{ count: number }>(database.db, sql`select count(*)::int as count from drizzle.__drizzle_migrations`);
    expect(after!.count).toBe(applied!.count);
    expect(before.objects).toBeGreaterThan(300);
  });

  it('give Swedish full-text search that folds accents and stems', async () => {
    const [row] = await selectRows<{ stemmed: boolean; unaccented: boolean; similar: number }>(
      database.db,
      sql`select
            to_tsvector('swedish', naravard_unaccent('Vårdcentralerna erbjuder hembesök')) @@ plainto_tsquery('swedish', naravard_unaccent('vårdcentral')) as stemmed,
            to_tsvector('swedish', naravard_unaccent('hälso- och sjukvårdsnämnden')) @@ plainto_tsquery('swedish', 'halso') as unaccented,
            similarity('fast likarkontakt', naravard_unaccent('fast läkarkontakt')) as similar`,
    );
    expect(row!.stemmed).toBe(true);
    expect(row!.unaccented).toBe(true);
    expect(Number(row!.similar)).toBeGreaterThan(0.5);
  });
});
