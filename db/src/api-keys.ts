import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database, Transaction } from './connect.ts';
import { recordChange } from './changes.ts';
import { apiKeys } from './schema/api-keys.ts';

export type ApiKeyScope = (typeof apiKeys.scopes.enumValues)[number];
export type ApiKeyRow = typeof apiKeys.$inferSelect;

const LAST_USED_RESOLUTION_MS = 60_000;

const KEY_PATTERN = /^nv_([A-Za-z0-9_-]{8})_([A-Za-z0-9_-]{32})$/;

/** SHA-256 of a key: keys are 192 random bits, so a fast hash is as safe as a slow one and lookups stay O(1). */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Whether a string has the shape of a key this platform issues ("nv_<8>_<32>"). */
export const looksLikeApiKey = (key: string) => KEY_PATTERN.test(key);

/**
 * Creates a key and returns it once, in clear; only its hash is stored. `actor` is who created it
 * (recorded in the change log).
 */
export async function createApiKey(
  db: Database | Transaction,
  input: { name: string; scopes: ApiKeyScope[] },
  actor: { name: string; apiKeyId: string | null } = { name: 'system', apiKeyId: null },
): Promise<{ key: string; record: ApiKeyRow }> {
  const prefix = randomBytes(6).toString('base64url');
  const key = `nv_${prefix}_${randomBytes(24).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const [record] = await tx
      .insert(apiKeys)
      .values({ name: input.name, prefix: `nv_${prefix}`, secretHash: hashApiKey(key), scopes: [...new Set(input.scopes)] })
      .returning();
    await recordChange(tx, {
      actor: actor.name,
      apiKeyId: actor.apiKeyId,
      operation: 'create',
      entityType: 'api_key',
      entityId: record!.id,
      before: null,
      after: publicApiKey(record!),
    });
    return { key, record: record! };
  });
}

/** A key's record without its hash, for listings and the change log. */
export function publicApiKey(record: ApiKeyRow) {
  const { secretHash: _secretHash, ...visible } = record;
  return visible;
}

/**
 * The live key a secret belongs to, or null (unknown, malformed or revoked). Notes its use, at
 * most once a minute, unless `noteUse` is false (a lookup on a read replica, which takes no writes).
 */
export async function findApiKey(db: Database, key: string, { noteUse = true }: { noteUse?: boolean } = {}): Promise<ApiKeyRow | null> {
  if (!looksLikeApiKey(key)) return null;
  const [record] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, hashApiKey(key)), isNull(apiKeys.revokedAt), isNull(apiKeys.deletedAt)));
  if (!record) return null;
  // Writing the time on every request would make each authenticated request a write; once a minute is enough.
  if (noteUse && (!record.lastUsedAt || Date.now() - record.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS)) {
    await db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.id, record.id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
  }
  return record;
}

/** Revokes a key; a revoked key is refused from then on. Returns null if there is no live key by that ID. */
export async function revokeApiKey(
  db: Database | Transaction,
  id: string,
  actor: { name: string; apiKeyId: string | null } = { name: 'system', apiKeyId: null },
): Promise<ApiKeyRow | null> {
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(apiKeys).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).for('update');
    if (!before) return null;
    const [after] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, version: sql`${apiKeys.version} + 1` })
      .where(eq(apiKeys.id, id))
      .returning();
    await recordChange(tx, {
      actor: actor.name,
      apiKeyId: actor.apiKeyId,
      operation: 'update',
      entityType: 'api_key',
      entityId: id,
      before: publicApiKey(before),
      after: publicApiKey(after!),
    });
    return after!;
  });
}
