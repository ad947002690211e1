import { parseArgs } from 'node:util';
import { type ApiKeyScope, connect, createApiKey, migrate, publicApiKey, revokeApiKey, tables } from '@naravard/db';
import { desc, eq } from 'drizzle-orm';

const USAGE = `Usage:
  pnpm naravard keys create --name <name> --scope <write|admin> [--scope …]   create a key; prints it once
  pnpm naravard keys list                                                      list keys (never their secrets)
  pnpm naravard keys revoke --name <name>                                      revoke a key

Uses DATABASE_URL, or the embedded database in NARAVARD_DATA_DIR (default .naravard/data).`;

class UsageError extends Error {}

async function main(argv: string[]) {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [group, command] = positionals;
  if (values.help || group !== 'keys' || !command) throw new UsageError(values.help ? '' : 'Which command?');

  const connection = await connect();
  try {
    await migrate(connection);
    const { db } = connection;
    if (command === 'create') {
      const name = values.name?.trim();
      if (!name) throw new UsageError('keys create needs --name');
      const scopes = values.scope ?? [];
      const unknown = scopes.filter((scope) => scope !== 'write' && scope !== 'admin');
      if (scopes.length === 0 || unknown.length > 0) {
        throw new UsageError(`keys create needs --scope write or --scope admin${unknown.length ? ` (not: ${unknown.join(', ')})` : ''}`);
      }
      const [existing] = await db.select({ id: tables.apiKeys.id }).from(tables.apiKeys).where(eq(tables.apiKeys.name, name));
      if (existing) throw new UsageError(`a key named "${name}" already exists`);
      const { key, record } = await createApiKey(db, { name, scopes: scopes as ApiKeyScope[] });
      console.log(`Created API key "${record.name}" (${record.scopes.join(', ')}). It is shown only now; store it safely:\n${key}`);
    } else if (command === 'list') {
      const keys = await db.select().from(tables.apiKeys).orderBy(desc(tables.apiKeys.createdAt));
      for (const key of keys.map(publicApiKey)) {
        const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
        console.log(`${key.name}\t${key.prefix}…\t${key.scopes.join(',')}\t${state}\tlast used ${key.lastUsedAt?.toISOString() ?? 'never'}`);
      }
    } else if (command === 'revoke') {
      const name = values.name?.trim();
      if (!name) throw new UsageError('keys revoke needs --name');
      const [key] = await db.select().from(tables.apiKeys).where(eq(tables.apiKeys.name, name));
      if (!key || !(await revokeApiKey(db, key.id))) throw new UsageError(`no active key is named "${name}"`);
      console.log(`Revoked API key "${name}".`);
    } else {
      throw new UsageError(`Unknown command "keys ${command}".`);
    }
  } finally {
    await connection.close();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    if ((error as Error).message) console.error((error as Error).message);
    console.error(USAGE);
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
});
