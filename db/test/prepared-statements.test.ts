import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { connect } from '../src/connect.ts';
import { preparesRepeatedStatements } from '../src/prepared-statements.ts';

// Prepared statements are a PostgreSQL server's; PGlite runs in the process and has nothing to keep.
const databaseUrl = process.env.DATABASE_URL;

/** The texts of the statements prepared on the connection that runs this query. */
const PREPARED = `select statement from pg_prepared_statements where statement like '%naravard_probe%' and statement not like '%pg_prepared_statements%'`;

describe.skipIf(!databaseUrl)('statements the API sends again and again are prepared on PostgreSQL', () => {
  const clients: postgres.Sql[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.end()));
  });

  it('from the third time a text is sent, through Drizzle as the API sends it', async () => {
    const connection = await connect({ databaseUrl, maxConnections: 1 });
    try {
      const probe = (n: number) => connection.db.execute(sql`select ${n}::int + 1 as naravard_probe_drizzle`);
      const prepared = async () => (await connection.db.execute(sql.raw(PREPARED))) as unknown as { statement: string }[];
      await probe(1);
      await probe(2);
      expect(await prepared()).toEqual([]);
      expect(await probe(3)).toEqual([{ naravard_probe_drizzle: 4 }]);
      expect((await prepared()).map((row) => row.statement)).toEqual(['select $1::int + 1 as naravard_probe_drizzle']);
      // Once prepared, it keeps answering with the values of each call.
      expect(await probe(41)).toEqual([{ naravard_probe_drizzle: 42 }]);
    } finally {
      await connection.close();
    }
  });

  it('but never more than the limit of distinct texts, so clients cannot fill the connection', async () => {
    const client = preparesRepeatedStatements(postgres(databaseUrl!, { max: 1, onnotice: () => {} }), { threshold: 1, limit: 2 });
    clients.push(client);
    for (const name of ['a', 'b', 'c', 'd']) {
      expect(await client.unsafe(`select $1::text as naravard_probe_${name}`, [name])).toEqual([{ [`naravard_probe_${name}`]: name }]);
    }
    const prepared = await client.unsafe(PREPARED);
    expect(prepared.map((row) => row.statement).sort()).toEqual(['select $1::text as naravard_probe_a', 'select $1::text as naravard_probe_b']);
  });

  it('with or without parameters, but never text that may hold several statements', async () => {
    const client = preparesRepeatedStatements(postgres(databaseUrl!, { max: 1, onnotice: () => {} }), { threshold: 1, limit: 10 });
    clients.push(client);
    expect(await client.unsafe('select 1 as naravard_probe_single')).toEqual([{ naravard_probe_single: 1 }]);
    const results = (await client.unsafe('select 1 as naravard_probe_several; select 2 as naravard_probe_several')) as unknown as { naravard_probe_several: number }[][];
    expect(results.map((rows) => rows[0]!.naravard_probe_several)).toEqual([1, 2]);
    const prepared = await client.unsafe(PREPARED);
    expect(prepared.map((row) => row.statement)).toEqual(['select 1 as naravard_probe_single']);
  });
});
