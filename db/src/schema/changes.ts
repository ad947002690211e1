import { bigserial, index, jsonb, pgEnum, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys.ts';
import { entityType } from './enums.ts';

export const changeOperation = pgEnum('change_operation', ['create', 'update', 'delete', 'restore']);

/** Every write, with who made it and the record before and after. Append-only. */
export const changeLog = pgTable(
  'change_log',
  {
    /** Monotonic, so `changes(since:)` can page through it in order. */
    id: bigserial('id', { mode: 'bigint' }).primaryKey(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The API key's name, or "system" for seeding and migrations. */
    actor: text('actor').notNull(),
    apiKeyId: uuid('api_key_id').references(() => apiKeys.id),
    operation: changeOperation('operation').notNull(),
    entityType: entityType('entity_type').notNull(),
    entityId: uuid('entity_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (table) => [
    index('change_log_entity_idx').on(table.entityType, table.entityId),
    index('change_log_occurred_at_idx').on(table.occurredAt),
  ],
);
