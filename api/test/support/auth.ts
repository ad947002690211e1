import { createApiKey, revokeApiKey } from '@naravard/db';
import type { TestServer } from './server.ts';

export type Callers = Awaited<ReturnType<typeof callers>>;

/** Authorization headers for each kind of caller a write can come from. */
export async function callers(server: TestServer) {
  const { db } = server.database;
  const write = await createApiKey(db, { name: `writer-${Math.random()}`, scopes: ['write'] });
  const admin = await createApiKey(db, { name: `admin-${Math.random()}`, scopes: ['admin'] });
  const revoked = await createApiKey(db, { name: `revoked-${Math.random()}`, scopes: ['admin'] });
  await revokeApiKey(db, revoked.record.id);
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  return {
    anonymous: {} as Record<string, string>,
    write: bearer(write.key),
    admin: bearer(admin.key),
    revoked: bearer(revoked.key),
    malformed: { authorization: `Token ${write.key}` },
    writeKeyName: write.record.name,
    adminKeyName: admin.record.name,
  };
}

/** A checksum over every table, to prove that a refused write changed nothing. */
export async function databaseChecksum(server: TestServer): Promise<string> {
  const { selectRows } = await import('@naravard/db');
  const { sql } = await import('drizzle-orm');
  const tables = await selectRows<{ table_name: string }>(
    server.database.db,
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_name <> 'api_keys' order by table_name`,
  );
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await selectRows<{ checksum: string | null; count: number }>(
      server.database.db,
      sql.raw(`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as checksum, count(*)::int as count from ${table_name} t`),
    );
    parts.push(`${table_name}:${row!.count}:${row!.checksum}`);
  }
  return parts.join('\n');
}
