import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idFor, loadSeedData, selectRows } from '../src/index.ts';
import { createTestDatabase, type TestDatabase } from '../src/testing.ts';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ seed: true });
});
afterAll(() => database?.dispose());

const id = (key: string) => idFor(key);

describe('loading this seed version over a database loaded with an earlier one', () => {
  it('moves Nr 13 to directed_elsewhere, dates the SMO pilot to December 2022 and links the meetings and related decisions', async () => {
    const nr13 = id('assignment:orebro-beredning-2023:nr-13');
    const nr4 = id('assignment:orebro-beredning-2023:nr-4');
    const omvarld = id('assignment:kronoberg-sg-2023-03-28:omvarldsbevakning');
    const pilot = id('decision:orebro-beredning-2023:pilot-smo-2022-12');
    // The data as the earlier version left it.
    await database.db.execute(sql`update assignments set status = 'not_applicable' where id = ${nr13}`);
    await database.db.execute(sql`update assignment_reports set status = 'not_applicable' where assignment_id = ${nr13}`);
    await database.db.execute(sql`update assignments set meeting_id = null, related_decision_id = null where id in (${nr4}, ${omvarld})`);
    await database.db.execute(sql`update decisions set decided_on = null, decided_on_precision = 'day' where id = ${pilot}`);
    await database.db.execute(sql`delete from seed_runs`);

    const summary = await loadSeedData(database.db);
    expect(summary.tables.assignments!.updated).toBe(3);
    expect(summary.tables.decisions!.updated).toBe(1);

    const [assignment] = await selectRows<{ status: string; report_status: string }>(
      database.db,
      sql`select a.status, r.status as report_status from assignments a join assignment_reports r on r.assignment_id = a.id where a.id = ${nr13}`,
    );
    expect(assignment).toEqual({ status: 'directed_elsewhere', report_status: 'directed_elsewhere' });
    const links = await selectRows<{ id: string; meeting_id: string | null; related_decision_id: string | null }>(
      database.db,
      sql`select id::text, meeting_id::text, related_decision_id::text from assignments where id in (${nr4}, ${omvarld}) order by reference nulls first`,
    );
    expect(links).toEqual([
      { id: omvarld, meeting_id: id('meeting:kronoberg-sg-2023-03-28'), related_decision_id: null },
      { id: nr4, meeting_id: null, related_decision_id: pilot },
    ]);
    const [decision] = await selectRows<{ decided_on: string; decided_on_precision: string }>(
      database.db,
      sql`select decided_on::text, decided_on_precision::text from decisions where id = ${pilot}`,
    );
    expect(decision).toEqual({ decided_on: '2022-12-01', decided_on_precision: 'month' });
  });
});
