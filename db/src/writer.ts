import { and, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database, Transaction } from './connect.ts';
import { recordChange } from './changes.ts';
import { ENTITIES, type EntityName } from './entities.ts';
import { observationMerge } from './observation-imports.ts';
import * as tables from './schema/index.ts';
import { foldWhitespace } from './seed/read.ts';
import { databaseErrorOf, selectRows } from './sql.ts';
import { ConflictError, NotFoundError, ValidationError } from './write-errors.ts';

/*
 * Every change to the data goes through a Writer, inside one transaction: it checks what the write
 * names (live records, the client's version, quotes in their documents), applies it, and records it
 * in the change log with before and after. Callable without GraphQL: the API's mutations, the
 * importers and the tests all write through it.
 */

/** Who a change is recorded for: an API key's name and ID, or a name such as "system" without a key. */
export interface Actor {
  name: string;
  apiKeyId: string | null;
}

export interface CitationInputShape {
  document: string;
  quote: string;
  lineStart: number;
  lineEnd: number;
}

type Row = Record<string, unknown> & { id: string; version: number; deletedAt: Date | null };

/**
 * Runs one write as one transaction. Every change made through the `Writer` is checked, applied and
 * recorded in the change log inside it; any error rolls everything back, so bad input changes nothing.
 */
export async function writeAs<T>(db: Database, actor: Actor, work: (writer: Writer) => Promise<T>): Promise<T> {
  try {
    return await db.transaction((tx) => work(new Writer(tx, actor)));
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/**
 * A rule the database enforces (a unique key, a CHECK) that the input broke, as a typed
 * validation error naming the rule. Anything else is passed on unchanged.
 */
export function translateDatabaseError(error: unknown): unknown {
  const database = databaseErrorOf(error);
  if (!database) return error;
  if (database.code === '23505') {
    return new ValidationError([{ path: ['input'], message: `a record with the same natural key already exists (${database.constraint})` }]);
  }
  if (database.code === '23514') {
    return new ValidationError([{ path: ['input'], message: `the values break the rule ${database.constraint}` }]);
  }
  if (database.code === '23503') {
    return new ValidationError([{ path: ['input'], message: `a referenced record does not exist (${database.constraint})` }]);
  }
  return error;
}

export class Writer {
  constructor(
    readonly tx: Transaction,
    readonly actor: Actor,
  ) {}

  private table(entity: EntityName) {
    return ENTITIES[entity].table as PgTable;
  }

  /** Inserts a record and logs its creation. */
  async create<T extends Row>(entity: EntityName, values: Record<string, unknown>): Promise<T> {
    const [row] = (await this.tx.insert(this.table(entity)).values(values as never).returning()) as T[];
    await this.log('create', entity, row!.id, null, row);
    return row!;
  }

  /** The live record, locked for this transaction, or a NotFoundError. */
  async current<T extends Row>(entity: EntityName, id: string, path: (string | number)[] = ['id']): Promise<T> {
    const table = ENTITIES[entity].table;
    const [row] = (await this.tx
      .select()
      .from(table as PgTable)
      .where(and(eq(table.id, id), isNull(table.deletedAt)))
      .for('update')) as T[];
    if (!row) throw new NotFoundError(entity, id, path);
    return row;
  }

  /**
   * The live record at the version the client read, locked for this transaction: a stale version
   * is a ConflictError (optimistic concurrency), a missing record a NotFoundError.
   */
  async currentAt<T extends Row>(entity: EntityName, id: string, expectedVersion: number): Promise<T> {
    const row = await this.current<T>(entity, id);
    if (row.version !== expectedVersion) throw new ConflictError(entity, id, expectedVersion, row.version);
    return row;
  }

  /**
   * A region's UUID from its SCB county code, for an input field that names a region: null clears
   * the reference, undefined (left out) leaves it; a code no live region has is a NotFoundError at `path`.
   */
  async regionId(code: string | null | undefined, path: (string | number)[]): Promise<string | null | undefined> {
    if (!code) return code === null ? null : undefined;
    const regions = tables.regions;
    const [region] = await this.tx
      .select({ id: regions.id })
      .from(regions)
      .where(and(eq(regions.code, code), isNull(regions.deletedAt)));
    if (!region) throw new NotFoundError('Region', code, path);
    return region.id;
  }

  /**
   * Updates a live record if the client's version is current (optimistic concurrency): a stale
   * version is a ConflictError, never a silent overwrite. Logs before and after.
   */
  async update<T extends Row>(entity: EntityName, id: string, expectedVersion: number, values: Record<string, unknown>): Promise<T> {
    const before = await this.currentAt<T>(entity, id, expectedVersion);
    const table = ENTITIES[entity].table;
    const [after] = (await this.tx
      .update(table as PgTable)
      .set({ ...values, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as never)
      .where(eq(table.id, id))
      .returning()) as T[];
    await this.log('update', entity, id, before, after);
    return after!;
  }

  /** Deletes a record softly: it leaves the lists, shows in `updatedSince` with `deletedAt`, and can be restored. */
  async delete<T extends Row>(entity: EntityName, id: string, expectedVersion: number | null): Promise<T> {
    const before = expectedVersion === null ? await this.current<T>(entity, id) : await this.currentAt<T>(entity, id, expectedVersion);
    const table = ENTITIES[entity].table;
    const [after] = (await this.tx
      .update(table as PgTable)
      .set({ deletedAt: sql`now()`, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as never)
      .where(eq(table.id, id))
      .returning()) as T[];
    await this.log('delete', entity, id, before, after);
    return after!;
  }

  /** Brings a deleted record back. */
  async restore<T extends Row>(entity: EntityName, id: string): Promise<T> {
    const table = ENTITIES[entity].table;
    const [before] = (await this.tx
      .select()
      .from(table as PgTable)
      .where(and(eq(table.id, id), isNotNull(table.deletedAt)))
      .for('update')) as T[];
    if (!before) throw new NotFoundError(`deleted ${entity}`, id, ['id']);
    const [after] = (await this.tx
      .update(table as PgTable)
      .set({ deletedAt: null, version: sql`${table.version} + 1`, updatedAt: sql`now()` } as never)
      .where(eq(table.id, id))
      .returning()) as T[];
    await this.log('restore', entity, id, before, after);
    return after!;
  }

  /** Checks that every referenced record exists and is live, naming the input field of the first that is not. */
  async requireLive(references: { entity: EntityName; id: string | null | undefined; path: (string | number)[] }[]) {
    for (const { entity, id, path } of references) {
      if (!id) continue;
      const table = ENTITIES[entity].table;
      const [row] = await this.tx
        .select({ id: table.id })
        .from(table as PgTable)
        .where(and(eq(table.id, id), isNull(table.deletedAt)) as SQL);
      if (!row) throw new NotFoundError(entity, id, path);
    }
  }

  /**
   * Attaches quoted passages to a record. Each quote must stand in its document's text
   * (whitespace folded) and on the lines it names, so no record can cite what its source does not say.
   */
  async cite(entity: EntityName, entityId: string, citations: CitationInputShape[], path: (string | number)[]) {
    for (const [index, citation] of citations.entries()) {
      const at = [...path, index];
      const [document] = await this.tx
        .select({ text: tables.documents.text })
        .from(tables.documents)
        .where(and(eq(tables.documents.id, citation.document), isNull(tables.documents.deletedAt)));
      if (!document) throw new NotFoundError('Document', citation.document, [...at, 'document']);
      const quote = foldWhitespace(citation.quote);
      const lines = document.text.split('\n');
      if (!foldWhitespace(document.text).includes(quote)) {
        throw new ValidationError([{ path: [...at, 'quote'], message: 'the quote does not appear in the document' }]);
      }
      if (citation.lineEnd > lines.length || !foldWhitespace(lines.slice(citation.lineStart - 1, citation.lineEnd).join('\n')).includes(quote)) {
        throw new ValidationError([{ path: [...at, 'lineStart'], message: `the quote is not on lines ${citation.lineStart}-${citation.lineEnd}` }]);
      }
      await this.create('Citation', {
        documentId: citation.document,
        entityType: ENTITIES[entity].type,
        entityId,
        quote: citation.quote,
        lineStart: citation.lineStart,
        lineEnd: citation.lineEnd,
      });
    }
  }

  /** Tags a record with topics given by slug; an unknown slug is a NotFoundError at its path. */
  async tag(entity: EntityName, entityId: string, slugs: string[], path: (string | number)[]) {
    for (const [index, slug] of [...new Set(slugs)].entries()) {
      const [topic] = await this.tx
        .select({ id: tables.topics.id })
        .from(tables.topics)
        .where(and(eq(tables.topics.slug, slug), isNull(tables.topics.deletedAt)));
      if (!topic) throw new NotFoundError('Topic', slug, [...path, index]);
      const [link] = await this.tx
        .insert(tables.topicLinks)
        .values({ topicId: topic.id, entityType: ENTITIES[entity].type, entityId })
        .onConflictDoNothing()
        .returning();
      if (link) await this.log('create', 'TopicLink', link.id, null, link);
    }
  }

  /**
   * Inserts or updates observations of one indicator set-based, with a change-log row (before and
   * after) for each row inserted or changed, in one statement (`observationMerge`, the path imports
   * take too) instead of a `log` per row. The rows go as one JSON parameter, so the statement's text
   * is the same for every batch and PostgreSQL parses it once per connection; rows as VALUES with five
   * parameters each took about 40% longer to merge. A row whose value is already stored is left as it is.
   */
  async mergeObservations(indicatorId: string, rows: readonly ObservationMergeRow[]): Promise<{ inserted: number; updated: number }> {
    // `dimensions` is already JSON text; the rest are quoted here.
    const json = `[${rows
      .map((row) => `{"r":${JSON.stringify(row.regionId)},"o":${JSON.stringify(row.organisationId)},"p":${JSON.stringify(row.period)},"v":${JSON.stringify(row.value)},"d":${row.dimensions}}`)
      .join(',')}]`;
    const [counts] = await selectRows<{ inserted: number; updated: number }>(
      this.tx,
      sql`
        with input as (
          select ${indicatorId}::uuid as indicator_id, v.r as region_id, v.o as organisation_id, v.p as period, v.v as value, v.d as dimensions
          from jsonb_to_recordset(${json}::jsonb) as v (r uuid, o uuid, p text, v numeric, d jsonb)
        ),
        ${observationMerge('input', this.actor.name, this.actor.apiKeyId)}
        select (count(*) filter (where inserted))::int as inserted, (count(*) filter (where not inserted))::int as updated
        from written`,
    );
    return { inserted: Number(counts?.inserted ?? 0), updated: Number(counts?.updated ?? 0) };
  }

  async log(
    operation: 'create' | 'update' | 'delete' | 'restore',
    entity: EntityName | 'TopicLink',
    id: string,
    before: unknown,
    after: unknown,
  ) {
    await recordChange(this.tx, {
      actor: this.actor.name,
      apiKeyId: this.actor.apiKeyId,
      operation,
      entityType: entity === 'TopicLink' ? 'topic_link' : ENTITIES[entity].type,
      entityId: id,
      before,
      after,
    });
  }
}

/** An observation to merge: its subject as IDs (one of region and organisation), period, exact value and dimensions as JSON text (names sorted). */
export interface ObservationMergeRow {
  regionId: string | null;
  organisationId: string | null;
  period: string;
  value: string;
  dimensions: string;
}
