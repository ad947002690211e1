import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';

export const apiKeyScope = pgEnum('api_key_scope', ['write', 'admin']);

/** API keys for writes. Only a hash of the secret is kept; the key itself is shown once. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    name: text('name').notNull(),
    /** The key's first characters, shown in listings so people can tell keys apart. */
    prefix: text('prefix').notNull(),
    /** SHA-256 of the whole key, hex. Keys are long random strings, so a fast hash is enough. */
    secretHash: text('secret_hash').notNull(),
    scopes: apiKeyScope('scopes')
      .array()
      .notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    ...bookkeeping(),
  },
  (table) => [
    uniqueIndex('api_keys_name_key').on(table.name),
    uniqueIndex('api_keys_secret_hash_key').on(table.secretHash),
    index('api_keys_prefix_idx').on(table.prefix),
    check('api_keys_has_scope', sql`cardinality(${table.scopes}) > 0`),
    check('api_keys_secret_hash_format', sql`${table.secretHash} ~ '^[0-9a-f]{64}$'`),
  ],
);
