import { databaseErrorOf, ENTITIES, type EntityName, entityNamed, foldWhitespace, PERIOD, recordChange, tables, type Transaction } from '@naravard/db';
import { decodeGlobalID } from '@pothos/plugin-relay';
import { and, eq, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import organisationsnummerModule from 'organisationsnummer';
import { z } from 'zod';
import { actorOf } from './auth.ts';
import type { Context } from './context.ts';
import { ConflictError, type FieldIssue, NotFoundError, ValidationError } from './errors.ts';
import { UUID } from './loaders.ts';

// The package is CommonJS (`module.exports = Organisationsnummer`) but its types declare an ES default export.
const Organisationsnummer = organisationsnummerModule as unknown as typeof organisationsnummerModule.default;

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
export async function write<T>(context: Context, work: (writer: Writer) => Promise<T>): Promise<T> {
  try {
    return await context.writer.transaction((tx) => work(new Writer(tx, actorOf(context.principal))));
  } catch (error) {
    throw translateDatabaseError(error);
  }
}

/**
 * A rule the database enforces (a unique key, a CHECK) that the input broke, as a typed
 * validation error naming the rule. Anything else is passed on unchanged.
 */
function translateDatabaseError(error: unknown): unknown {
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
    private readonly actor: { name: string; apiKeyId: string | null },
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

/** Validates input with a zod schema; every problem becomes a FieldIssue with its full path. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, path: (string | number)[] = ['input']): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: FieldIssue[] = result.error.issues.map((issue) => ({
    path: [...path, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))],
    message: issue.message,
  }));
  throw new ValidationError(issues);
}

/** Input rules shared by every write. */
export const rules = {
  /** Text with a length limit; blank is refused. */
  text: (max: number) => z.string().trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`),
  /** SEK: exact, not negative, at most two decimals (öre). */
  sek: z
    .string()
    .regex(/^[0-9]{1,16}(\.[0-9]{1,2})?$/, 'must be an amount in SEK, not negative, with at most two decimals (e.g. "148" or "51900000.00")'),
  /** An exact decimal: digits, an optional sign and fraction, at most 20 significant digits. */
  decimal: z.string().regex(/^-?[0-9]{1,15}(\.[0-9]{1,8})?$/, 'must be a decimal number with at most 15 digits before and 8 after the point'),
  regionCode: z.string().regex(/^[0-9]{2}$/, 'must be a two-digit SCB county code such as "07"'),
  /** A Swedish organisation number (organisationsnummer), checksum verified; stored as "NNNNNN-NNNN". */
  organisationNumber: z
    .string()
    .refine((value) => Organisationsnummer.valid(value), 'must be a valid Swedish organisation number (e.g. "202100-5489"); the check digit does not match')
    .transform((value) => Organisationsnummer.parse(value).format(true)),
  /** A reporting period: "2018", "2018-Q3" or "2018-05". */
  period: z
    .string()
    .regex(PERIOD, 'must be a period: YYYY, YYYY-Qn or YYYY-MM')
    .refine((period) => !period.startsWith('0000'), 'must be a period from year 0001 on'),
  date: z.iso.date('must be a date, YYYY-MM-DD'),
  /** A global ID of the given type, decoded to the record's UUID. */
  globalId: (...typeNames: EntityName[]) =>
    z.string().transform((value, context) => {
      const decoded = decodeRecordId(value, typeNames, typeNames.join(' or '));
      if ('id' in decoded) return decoded.id;
      context.addIssue({ code: 'custom', message: decoded.problem });
      return z.NEVER;
    }),
  /** A list that may be left out or null: an empty list then. */
  list: <S extends z.ZodType>(schema: z.ZodArray<S>) => schema.nullish().transform((value) => value ?? []),
  /** A quoted passage supporting a record: document ID, verbatim quote and its line range. */
  citations: () =>
    z
      .array(
        z
          .object({
            document: rules.globalId('Document'),
            quote: z.string().trim().min(1, 'must not be blank').max(5000, 'must be at most 5000 characters'),
            lineStart: z.number().int().min(1, 'lines count from 1'),
            lineEnd: z.number().int().min(1, 'lines count from 1'),
          })
          .refine((citation) => citation.lineStart <= citation.lineEnd, { message: 'lineEnd must not be before lineStart', path: ['lineEnd'] }),
      )
      .max(50, 'at most 50 citations per record'),
  topics: z.array(z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a topic slug such as "central-contact-entry"')).max(30),
  /** The version the client last read, for optimistic concurrency. */
  version: z.number().int().min(1),
};

/**
 * The type and UUID of the record a global ID names, when it is of one of `typeNames` (described to
 * the client as `what`: "Organisation or Person", "record that can be tagged (…)"); else what is wrong.
 */
function decodeRecordId<Name extends string>(value: string, typeNames: readonly Name[], what: string): { typeName: Name; id: string } | { problem: string } {
  let decoded: { typename: string; id: string };
  try {
    decoded = decodeGlobalID(value);
  } catch {
    return { problem: `"${value}" is not an ID this API gave out` };
  }
  const typeName = typeNames.find((name) => name === decoded.typename);
  if (!typeName || !UUID.test(decoded.id)) {
    return { problem: `must be the ID of a ${what}, not of a ${decoded.typename}` };
  }
  return { typeName, id: decoded.id };
}

/**
 * The type and UUID of the record a global ID argument names, for arguments that take records of
 * several types (any record that carries citations, any that can be tagged); a ValidationError at `path` otherwise.
 */
export function recordIdOf<Name extends string>(value: string, typeNames: readonly Name[], what: string, path: (string | number)[]): { typeName: Name; id: string } {
  const decoded = decodeRecordId(value, typeNames, what);
  if ('problem' in decoded) throw new ValidationError([{ path, message: decoded.problem }]);
  return decoded;
}

/** Drops keys whose value is undefined, so "left out" and "set to null" stay different in a patch. */
export function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
