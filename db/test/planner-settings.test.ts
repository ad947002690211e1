import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Connection, connect } from '../src/connect.ts';
import { selectRows } from '../src/sql.ts';

/*
 * Connections the platform opens plan without Memoize (see PLANNER_SETTINGS in connect.ts). The
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

describe('planner settings of the platform’s connections', () => {
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
