import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  mergeStagedObservations,
  selectRows,
  type StagedObservation,
  StagedRowError,
  stageObservations,
  startImportRun,
} from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

/*
 * The bulk merge of staged observations, below any importer: cut into statements of a few rows
 * each, it still merges all or nothing, counts what it did, and logs every change.
 */

let database: TestDatabase;
const INDICATOR = 'MERGE_TEST';

beforeAll(async () => {
  database = await createTestDatabase({ seed: true });
  await database.db.execute(sql`insert into indicators (code, name, unit, description) values (${INDICATOR}, 'Merge test', 'count', 'Rows of the merge test.')`);
});
afterAll(() => database?.dispose());

const row = (position: number, region: string, period: string, value: string | null, deleted = false): StagedObservation => ({
  position,
  indicatorCode: INDICATOR,
  regionCode: region,
  period,
  value,
  dimensions: {},
  deleted,
});

/** Stages the rows as a new run and merges them, `rowsPerStatement` rows a statement. */
async function merge(rows: StagedObservation[], rowsPerStatement: number) {
  const run = await startImportRun(database.db, { source: 'csv', actor: 'merge-test', sourceUrl: 'test', parameters: {} });
  await stageObservations(database, run.id, rows);
  database.resetStatements();
  const counts = await mergeStagedObservations(database.db, run, { rowsRead: rows.length, driver: database.driver, rowsPerStatement });
  const mergeStatements = database.statements.filter((text) => /insert into observations/i.test(text)).length;
  return { counts, mergeStatements };
}

const live = () =>
  selectRows<{ region: string; period: string; value: string }>(
    database.db,
    sql`select r.code as region, o.period, o.value::text as value from observations o
        join indicators i on i.id = o.indicator_id join regions r on r.id = o.region_id
        where i.code = ${INDICATOR} and o.deleted_at is null order by r.code, o.period`,
  );

const logged = () =>
  selectRows<{ operation: string; count: number }>(
    database.db,
    sql`select c.operation::text as operation, count(*)::int as count from change_log c
        where c.entity_type = 'observation' and c.actor = 'merge-test' group by 1 order by 1`,
  );

describe('merging staged observations a few rows a statement', () => {
  it('inserts every row, in as many statements as the rows need, and logs each', async () => {
    const { counts, mergeStatements } = await merge(
      [row(2, '07', '2024-01', '10'), row(3, '07', '2024-02', '11'), row(4, '13', '2024-01', '12'), row(5, '13', '2024-02', '13.5'), row(6, '13', '2024-03', '14')],
      2,
    );
    expect(counts).toEqual({ created: 5, changed: 0, unchanged: 0, deleted: 0 });
    expect(mergeStatements).toBe(3);
    expect(await live()).toEqual([
      { region: '07', period: '2024-01', value: '10' },
      { region: '07', period: '2024-02', value: '11' },
      { region: '13', period: '2024-01', value: '12' },
      { region: '13', period: '2024-02', value: '13.5' },
      { region: '13', period: '2024-03', value: '14' },
    ]);
    expect(await logged()).toEqual([{ operation: 'create', count: 5 }]);
  });

  it('counts unchanged, changed, new and deleted rows across its statements', async () => {
    const { counts, mergeStatements } = await merge(
      [
        row(10, '07', '2024-01', '10.0'), // equal as a number: unchanged
        row(11, '07', '2024-02', '21'), // changed
        row(12, '13', '2024-01', null, true), // deleted
        row(13, '13', '2024-02', '13.5'), // unchanged
        row(14, '13', '2024-03', '24'), // changed
        row(15, '13', '2024-04', '15'), // new
      ],
      4,
    );
    expect(counts).toEqual({ created: 1, changed: 2, unchanged: 2, deleted: 1 });
    expect(mergeStatements).toBe(2);
    expect(await live()).toEqual([
      { region: '07', period: '2024-01', value: '10' },
      { region: '07', period: '2024-02', value: '21' },
      { region: '13', period: '2024-02', value: '13.5' },
      { region: '13', period: '2024-03', value: '24' },
      { region: '13', period: '2024-04', value: '15' },
    ]);
    expect(await logged()).toEqual([
      { operation: 'create', count: 6 },
      { operation: 'delete', count: 1 },
      { operation: 'update', count: 2 },
    ]);
  });

  it('refuses a bad row in its last statement before the first is sent, and changes nothing', async () => {
    const before = { rows: await live(), log: await logged() };
    const failure = await merge([row(20, '07', '2025-01', '1'), row(21, '07', '2025-02', '2'), row(22, '99', '2025-03', '3')], 2).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StagedRowError);
    expect(failure).toMatchObject({ position: 22, field: 'region' });
    expect(await live()).toEqual(before.rows);
    expect(await logged()).toEqual(before.log);
  });
});
