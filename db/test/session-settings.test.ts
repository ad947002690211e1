import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../src/connect.ts';
import { selectRows } from '../src/sql.ts';

/*
 * Connections the platform opens plan without Memoize (see SESSION_SETTINGS in connect.ts). The
 * shape is search's: the first 100 children that match, each with its parent looked up by primary
 * key, over 20,000 distinct parents. On PostgreSQL and PGlite alike, with the planner's defaults,
 * this is planned with a Memoize node whose hash table is sized for every parent.
 */

const LOOKUP = sql`select c.id, p.label
  from naravard_children c
  cross join lateral (select naravard_parents.label from naravard_parents where naravard_parents.id = c.parent_id offset 0) as p
  where c.flag
  limit 100`;

/** The node types of a statement's plan, depth first. */
async function planNodes(connection: Connection, statement = LOOKUP): Promise<string[]> {
  const [row] = await selectRows<{ 'QUERY PLAN': unknown }>(connection.db, sql`explain (format json) ${statement}`);
  const plan = row!['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as [{ Plan: PlanNode }];
  const types: string[] = [];
  const walk = (node: PlanNode) => {
    types.push(node['Node Type']);
    for (const child of node.Plans ?? []) walk(child);
  };
  walk(parsed[0].Plan);
  return types;
}

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
}

describe('the platform’s connections plan without Memoize', () => {
  let connection: Connection;
  beforeAll(async () => {
    // One connection, so the session's temporary tables are seen by every statement.
    connection = await connect({ dataDir: 'memory://', maxConnections: 1 });
    await connection.db.execute(sql`create temporary table naravard_parents (id int primary key, label text not null)`);
    await connection.db.execute(sql`create temporary table naravard_children (id int primary key, parent_id int not null, flag boolean not null)`);
    await connection.db.execute(sql`insert into naravard_parents select n, 'parent ' || n from generate_series(1, 20000) as n`);
    await connection.db.execute(sql`insert into naravard_children select n, 1 + (n * 7919) % 20000, n % 3 = 0 from generate_series(1, 200000) as n`);
    await connection.db.execute(sql`analyze naravard_parents`);
    await connection.db.execute(sql`analyze naravard_children`);
  }, 120_000);
  afterAll(async () => {
    await connection?.close();
  });

  it('turn Memoize off', async () => {
    const [setting] = await selectRows<{ enable_memoize: string }>(connection.db, sql`show enable_memoize`);
    expect(setting).toEqual({ enable_memoize: 'off' });
  });

  it('so a LIMITed lookup of many distinct parents has no Memoize node, which the planner’s defaults would give it', async () => {
    const nodes = await planNodes(connection);
    expect(nodes).not.toContain('Memoize');
    expect(nodes).toContain('Limit');
    // The same statement under the planner's default for the setting: the shape this guards against.
    await connection.db.execute(sql`set enable_memoize = on`);
    try {
      expect(await planNodes(connection)).toContain('Memoize');
    } finally {
      await connection.db.execute(sql`set enable_memoize = off`);
    }
    expect(await planNodes(connection)).not.toContain('Memoize');
  });

  it('and the lookup still answers the same rows', async () => {
    const rows = await selectRows<{ id: number; label: string }>(connection.db, LOOKUP);
    expect(rows).toHaveLength(100);
    // Children with flag are every third; child n belongs to parent 1 + (n * 7919) mod 20000.
    for (const row of rows) {
      expect(row.id % 3).toBe(0);
      expect(row.label).toBe(`parent ${1 + ((row.id * 7919) % 20000)}`);
    }
  });
});

/*
 * Sequential scans start at a table's first page (see SESSION_SETTINGS in connect.ts), so a LIMIT
 * over a large table finds the same rows whatever scanned the table before. Search ranks a common
 * word among the first matches a scan finds; with synchronized scans the same search gave other
 * hits after an unrelated scan. A scan is synchronized only on a table larger than a quarter of the
 * shared buffers: the table here is sized from the server's setting.
 */
describe('the platform’s connections scan a large table from its first page', () => {
  let connection: Connection;
  // A table of its own, as a temporary one is never scanned in step with others.
  const table = sql.raw(`naravard_scan_order_${process.pid}_${Date.now()}`);
  beforeAll(async () => {
    connection = await connect({ dataDir: 'memory://', maxConnections: 1 });
    const [buffers] = await selectRows<{ pages: number }>(
      connection.db,
      sql`select setting::int as pages from pg_settings where name = 'shared_buffers'`,
    );
    // About 900 bytes a row, so 8 rows a page: a quarter of the shared buffers and 256 pages more.
    const rows = (Math.ceil(buffers!.pages / 4) + 256) * 8;
    await connection.db.execute(sql`create table ${table} (n int not null, filler text not null) with (autovacuum_enabled = off)`);
    await connection.db.execute(sql`insert into ${table} select n, repeat(md5(n::text), 28) from generate_series(1, ${rows}::int) as n`);
  }, 120_000);
  afterAll(async () => {
    await connection?.db.execute(sql`drop table if exists ${table}`);
    await connection?.close();
  });

  /** The first row a scan finds, after another scan stopped far into the table. */
  async function firstRowAfterAnotherScan(): Promise<number> {
    const [far] = await selectRows<{ n: number }>(connection.db, sql`select n from ${table} offset 20000 limit 1`);
    expect(far).toEqual({ n: 20001 });
    const [first] = await selectRows<{ n: number }>(connection.db, sql`select n from ${table} limit 1`);
    return first!.n;
  }

  it('turn synchronized scans off', async () => {
    const [setting] = await selectRows<{ synchronize_seqscans: string }>(connection.db, sql`show synchronize_seqscans`);
    expect(setting).toEqual({ synchronize_seqscans: 'off' });
  });

  it('so a LIMIT finds the table’s first rows after another scan, where synchronized scans would start further on', async () => {
    expect(await firstRowAfterAnotherScan()).toBe(1);
    // The same statements under the server's default for the setting: the behaviour this guards against.
    await connection.db.execute(sql`set synchronize_seqscans = on`);
    try {
      expect(await firstRowAfterAnotherScan()).toBeGreaterThan(1000);
    } finally {
      await connection.db.execute(sql`set synchronize_seqscans = off`);
    }
    expect(await firstRowAfterAnotherScan()).toBe(1);
  });
});
