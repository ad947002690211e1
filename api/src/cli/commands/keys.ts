import type { Command } from 'commander';
import { UsageError, withDatabase } from '../support.ts';

/** `naravard keys create|list|revoke`: API keys, managed on the database directly. */
export function registerKeyCommands(program: Command) {
  const keys = program.command('keys').description('manage API keys (create, list, revoke)');

  keys
    .command('create')
    .description('create a key; prints it once')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .requiredOption('--scope <scope...>', 'write, admin (or both)')
    .action(async (options: { name: string; scope: string[] }) => {
      const { createApiKey, tables } = await import('@naravard/db/connection');
      const { eq } = await import('drizzle-orm');
      const name = options.name.trim();
      if (!name) throw new UsageError('keys create needs --name');
      const unknown = options.scope.filter((scope) => scope !== 'write' && scope !== 'admin');
      if (unknown.length > 0) throw new UsageError(`keys create needs --scope write or --scope admin (not: ${unknown.join(', ')})`);
      await withDatabase(async ({ db }) => {
        const [existing] = await db.select({ id: tables.apiKeys.id }).from(tables.apiKeys).where(eq(tables.apiKeys.name, name));
        if (existing) throw new UsageError(`a key named "${name}" already exists`);
        const { key, record } = await createApiKey(db, { name, scopes: options.scope as ('write' | 'admin')[] });
        console.log(`Created API key "${record.name}" (${record.scopes.join(', ')}). It is shown only now; store it safely:\n${key}`);
      });
    });

  keys
    .command('list')
    .description('list keys (never their secrets)')
    .action(async () => {
      const { publicApiKey, tables } = await import('@naravard/db/connection');
      const { desc } = await import('drizzle-orm');
      await withDatabase(async ({ db }) => {
        const rows = await db.select().from(tables.apiKeys).orderBy(desc(tables.apiKeys.createdAt));
        for (const key of rows.map(publicApiKey)) {
          const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
          console.log(`${key.name}\t${key.prefix}…\t${key.scopes.join(',')}\t${state}\tlast used ${key.lastUsedAt?.toISOString() ?? 'never'}`);
        }
      });
    });

  keys
    .command('revoke')
    .description('revoke a key')
    .requiredOption('--name <name>', 'the key to revoke')
    .action(async (options: { name: string }) => {
      const { revokeApiKey, tables } = await import('@naravard/db/connection');
      const { eq } = await import('drizzle-orm');
      const name = options.name.trim();
      await withDatabase(async ({ db }) => {
        const [key] = await db.select().from(tables.apiKeys).where(eq(tables.apiKeys.name, name));
        if (!key || !(await revokeApiKey(db, key.id))) throw new UsageError(`no active key is named "${name}"`);
        console.log(`Revoked API key "${name}".`);
      });
    });
}
