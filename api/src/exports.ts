import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Connection, ReadSnapshot } from '@naravard/db';
import { stringify } from 'csv-stringify/sync';
import { type SQL, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { GraphQLError } from 'graphql';
import { createContext } from './context.ts';
import { matchesIfNoneMatch, PUBLIC_READ_CACHE_CONTROL } from './http-cache.ts';
import { resolveFilterNames } from './names.ts';
import { globalIdParts, parseDate, parseDateTime, parsePeriod } from './scalars.ts';

/*
 * Exports: every row of a list as CSV or NDJSON at /export/<name>.csv|.ndjson, streamed.
 *
 * This module is the mechanism only (parameters, snapshot, cursor or keyset paging, formats,
 * ETag/Last-Modified, back-pressure); what an export holds (its filter, columns and order) is
 * defined by its domain module, which calls `registerExport`. It never imports a domain module.
 * Names in parameters (`region=Örebro`, `topic=central kontaktingång`, `organisation=Regionstyrelsen`)
 * are resolved as the GraphQL filters resolve them (names.ts): an unknown name is a 400 naming the
 * parameter, with the closest names, never an empty export.
 *
 * Rows are read in batches: on PostgreSQL from a server-side cursor in one read-only snapshot, on
 * PGlite page by page along the export's key (PGlite is one connection, so a long transaction would
 * hold every other request). A batch is written out before the next is read, and the next waits
 * while the client's socket is full, so memory stays flat however many rows match.
 */

/** Rows read from the database at a time. */
const BATCH_ROWS = 2_000;
/** Rows turned into text and written at a time: some 60 kB of CSV, a piece of text V8 keeps in its young generation. */
const ROWS_PER_WRITE = 300;
/** Rows between two looks at the old generation while streaming (see `collectGarbage`). */
const ROWS_PER_COLLECTION = 50_000;
/** Growth of the old generation and of buffers during an export past which they are collected. */
const OLD_GROWTH_BEFORE_COLLECTION = 32 * 1024 * 1024;
/**
 * A full garbage collection, when the old generation has grown. Rows die young (a batch becomes
 * bytes before the export waits for the socket), so V8's cheap young-generation collections
 * normally keep an export of millions of rows flat, and a forced full collection every 50,000 rows
 * (as there once was) took a third of the export's CPU time. Should anything still reach the old
 * generation, V8 would let it grow far past what is live and give the memory back late: past 32 MB
 * of growth this collects it.
 */
const collectGarbage: () => void = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();
/** Bytes that only a full collection gives back: V8's old generation (old and large-object spaces) and memory held outside the heap by its objects (buffers). */
const oldGeneration = () =>
  getHeapSpaceStatistics().reduce(
    (sum, space) => (space.space_name === 'old_space' || space.space_name === 'large_object_space' ? sum + space.space_used_size : sum),
    process.memoryUsage().external,
  );
/** How long shared caches and clients may reuse an export before asking again (with its ETag). */
const CACHE_CONTROL = PUBLIC_READ_CACHE_CONTROL;
/** Part of every ETag: bump it when the bytes of an export change for the same data. */
const FORMAT_VERSION = '1';

export type ExportFormat = 'csv' | 'ndjson';

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

// ---------------------------------------------------------------------------------------------
// Definitions

/** A column of an export: its name in the CSV header and as NDJSON key, and where its value comes from. */
export interface ExportColumn {
  name: string;
  /** The value as SQL; read as text (`::text` is added), so dates, times and decimals stay exact and alike on both drivers. */
  value: SQL | PgColumn;
  /** How NDJSON writes it: a string (the default), a number written with the stored digits, or a boolean. */
  json?: 'string' | 'number' | 'boolean';
  /**
   * A key into a small table, written as another of that table's columns (an indicator's code for
   * its ID). The table is read once per export, so a row costs a map look-up, not a join that
   * would make PostgreSQL sort the whole result before sending the first row.
   */
  lookup?: { key: PgColumn; value: PgColumn };
  /** A change made after reading, e.g. a UUID into a global ID. */
  map?: (text: string) => string;
}

interface ParameterKinds {
  string: string;
  list: string[];
  date: string;
  period: string;
  dateTime: Date;
  boolean: boolean;
  id: { typename: string; id: string };
  enum: string;
  /** `name.<key>=<value>`: every key given, with its value. */
  prefixed: Record<string, string>;
}

export interface ExportParameter {
  kind: keyof ParameterKinds;
  description: string;
  /** For `id`: the types of record the ID may name. */
  types?: readonly string[];
  /** For `enum` and `list`: the values allowed. */
  values?: readonly string[];
  /** For `string` and the keys and values of `prefixed`: the form a value must have. */
  pattern?: RegExp;
  keyPattern?: RegExp;
  /** The GraphQL filter argument it becomes, when its name differs, so refusals of the filter name the parameter. */
  argument?: string;
}

export type ExportValues<P extends Record<string, ExportParameter>> = {
  [K in keyof P]?: ParameterKinds[P[K]['kind']];
};

export interface ExportDefinition<P extends Record<string, ExportParameter>, Filter> {
  /** The path: /export/<name>.csv */
  name: string;
  description: string;
  /** The main table; its `updated_at` dates the export (ETag, Last-Modified). */
  table: PgTable & { updatedAt: PgColumn };
  /** Other tables whose columns the export shows (through `lookup`): a change there changes the export too. */
  references?: (PgTable & { updatedAt: PgColumn })[];
  parameters: P;
  /** The GraphQL list filter the parameters mean. */
  filter(values: ExportValues<P>): Filter;
  /** The list's own conditions for that filter: the same function the GraphQL list uses. */
  where(filter: Filter): SQL | undefined;
  /** The order of rows, by columns of the main table that are never NULL, the last one unique: the keyset of paging. */
  keys: PgColumn[];
  /**
   * The order of rows on PostgreSQL, where one cursor reads them all and nothing is paged: the
   * columns of an index whose order follows the table's layout, unique together. An index over
   * random UUIDs makes every row a read of another page; `keys` when not given.
   */
  streamOrder?: PgColumn[];
  /** Names of columns that depend on the data (an observation's dimensions): one text column, given the list's conditions. */
  dynamicNames?(where: SQL | undefined): SQL;
  /** The columns, in order, given the dynamic names found (sorted). */
  columns(dynamicNames: string[]): ExportColumn[];
}

type AnyDefinition = ExportDefinition<Record<string, ExportParameter>, unknown>;

const registry = new Map<string, AnyDefinition>();

/** Makes an export available at /export/<name>.csv and .ndjson. Called by the domain module that owns the list. */
export function registerExport<P extends Record<string, ExportParameter>, Filter>(definition: ExportDefinition<P, Filter>) {
  if (registry.has(definition.name)) throw new Error(`Export "${definition.name}" is defined twice`);
  registry.set(definition.name, definition as unknown as AnyDefinition);
}

/** The exports defined, by name. */
export const exportNames = () => [...registry.keys()].sort();

// ---------------------------------------------------------------------------------------------
// Parameters

/** The parameters of every list's lifecycle (`filter.updatedSince`, `filter.includeDeleted`). */
export const lifecycleParameters = {
  updatedSince: { kind: 'dateTime', description: 'Only records changed at or after this time (ISO 8601), deleted ones included.' },
  includeDeleted: { kind: 'boolean', description: 'Include deleted records (with deleted_at).' },
} as const satisfies Record<string, ExportParameter>;

/** The list filter's lifecycle fields from the `lifecycleParameters` given. */
export function lifecycleFilter(values: { updatedSince?: Date | undefined; includeDeleted?: boolean | undefined }) {
  return { updatedSince: values.updatedSince ?? null, includeDeleted: values.includeDeleted ?? null };
}

/** A region parameter: an SCB county code or a name, as the lists' `filter.region` takes it. */
export const regionParameter = {
  kind: 'string',
  description: 'A region by SCB county code ("13") or name ("Halland", "Region Örebro län"), case and accents ignored.',
} as const satisfies ExportParameter;

/** A topic parameter: a slug or a name, as the lists' `filter.topic` takes it. */
export const topicParameter = {
  kind: 'string',
  description: 'Tagged with this topic: its slug ("central-contact-entry") or its name, English or Swedish ("central kontaktingång").',
} as const satisfies ExportParameter;

/** An organisation parameter: an Organisation ID or a name or alias (within `region` when given), as the lists' filters take it. */
export const organisationParameter = (what: string) =>
  ({
    kind: 'string',
    description: `${what}: an Organisation ID or the organisation's name ("Regionstyrelsen"), within \`region\` when given.`,
  }) as const satisfies ExportParameter;

/** The `created_at`, `updated_at` and `deleted_at` columns of a record, as ISO 8601 times. */
export const bookkeepingColumns = (table: { createdAt: PgColumn; updatedAt: PgColumn; deletedAt: PgColumn }): ExportColumn[] => [
  { name: 'created_at', value: isoTime(table.createdAt) },
  { name: 'updated_at', value: isoTime(table.updatedAt) },
  { name: 'deleted_at', value: isoTime(table.deletedAt) },
];

/** A column holding a record's global ID (as `Node.id`), from its UUID column. */
export const idColumn = (name: string, column: PgColumn, typename: string): ExportColumn => ({ name, value: column, map: globalIdOf(typename) });

/** A query parameter the export cannot take; answered with 400 naming it. */
export class ExportParameterError extends Error {
  constructor(
    message: string,
    readonly parameter: string,
  ) {
    super(message);
  }
}

const TRUE = new Set(['', 'true', '1', 'yes']);
const FALSE = new Set(['false', '0', 'no']);

function parseParameter(name: string, spec: ExportParameter, raw: string): unknown {
  const refuse = (why: string): never => {
    throw new ExportParameterError(`Parameter "${name}": ${why}`, name);
  };
  const scalar = <T>(parse: (value: unknown) => T): T => {
    try {
      return parse(raw);
    } catch (error) {
      return refuse(error instanceof GraphQLError ? error.message : String(error));
    }
  };
  switch (spec.kind) {
    case 'string':
      if (raw === '') refuse('is empty');
      if (spec.pattern && !spec.pattern.test(raw)) refuse(`"${raw}" is not of the form ${spec.pattern.source}`);
      return raw;
    case 'list': {
      const items = raw.split(',').map((item) => item.trim());
      if (items.some((item) => item === '')) refuse('has an empty item');
      if (spec.pattern && items.some((item) => !spec.pattern!.test(item))) {
        refuse(`"${items.find((item) => !spec.pattern!.test(item))}" is not of the form ${spec.pattern.source}`);
      }
      if (spec.values) {
        // Enum values are taken as the database spells them ("not_started") or as GraphQL does ("NOT_STARTED").
        const values = items.map((item) => item.toLowerCase());
        const unknown = values.find((value) => !spec.values!.includes(value));
        if (unknown !== undefined) refuse(`"${unknown}" is not one of ${spec.values.join(', ')}`);
        return values;
      }
      return items;
    }
    case 'date':
      return scalar(parseDate);
    case 'period':
      return scalar(parsePeriod);
    case 'dateTime':
      return scalar(parseDateTime);
    case 'boolean':
      if (TRUE.has(raw)) return true;
      if (FALSE.has(raw)) return false;
      return refuse(`"${raw}" is not true or false`);
    case 'enum':
      if (!spec.values!.includes(raw)) refuse(`"${raw}" is not one of ${spec.values!.join(', ')}`);
      return raw;
    case 'id': {
      const parts = globalIdParts(raw);
      if (!parts) return refuse(`"${raw}" is not an ID this API gave out`);
      if (!spec.types!.includes(parts.typename)) return refuse(`must be the ID of a ${spec.types!.join(' or ')}, got the ID of a ${parts.typename}`);
      return parts;
    }
    case 'prefixed':
      throw new Error('prefixed parameters are read by readParameters');
  }
}

/** Reads and checks the query parameters of an export; anything unknown, repeated or malformed is refused by name. */
function readParameters(definition: AnyDefinition, search: URLSearchParams): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const [name, raw] of search) {
    if (seen.has(name)) {
      const spec = definition.parameters[name];
      if (spec?.kind !== 'list') throw new ExportParameterError(`Parameter "${name}" is given more than once`, name);
    }
    seen.add(name);
    const dot = name.indexOf('.');
    const prefix = dot > 0 ? name.slice(0, dot) : null;
    const prefixed = prefix ? definition.parameters[prefix] : undefined;
    if (prefixed?.kind === 'prefixed') {
      const key = name.slice(dot + 1);
      if (prefixed.keyPattern && !prefixed.keyPattern.test(key)) {
        throw new ExportParameterError(`Parameter "${name}": "${key}" is not of the form ${prefixed.keyPattern.source}`, name);
      }
      if (raw !== '' && raw !== '*' && prefixed.pattern && !prefixed.pattern.test(raw)) {
        throw new ExportParameterError(`Parameter "${name}": "${raw}" is not of the form ${prefixed.pattern.source}`, name);
      }
      const record = (values[prefix!] ??= {}) as Record<string, string>;
      record[key] = raw;
      continue;
    }
    const spec = definition.parameters[name];
    if (!spec || spec.kind === 'prefixed') {
      const known = Object.entries(definition.parameters).map(([key, value]) => (value.kind === 'prefixed' ? `${key}.<name>` : key));
      throw new ExportParameterError(`Unknown parameter "${name}"; this export takes ${known.join(', ')}`, name);
    }
    const value = parseParameter(name, spec, raw);
    values[name] = spec.kind === 'list' && Array.isArray(values[name]) ? [...(values[name] as string[]), ...(value as string[])] : value;
  }
  return values;
}

/** The parameter a refusal of the GraphQL filter is about (`periodFrom` → `from`). */
function parameterOfArgument(definition: AnyDefinition, argument: string): string {
  for (const [name, spec] of Object.entries(definition.parameters)) {
    if ((spec.argument ?? name) === argument) return spec.kind === 'prefixed' ? `${name}.<name>` : name;
  }
  return argument;
}

/**
 * The list's conditions for the parameters, with names resolved as the GraphQL filters resolve
 * them; refusals of the filter itself (BadInputError) become parameter errors.
 */
async function conditionsOf(connection: Connection, definition: AnyDefinition, search: URLSearchParams): Promise<SQL | undefined> {
  const values = readParameters(definition, search);
  try {
    const filter = definition.filter(values as ExportValues<Record<string, ExportParameter>>);
    return definition.where(await resolveFilterNames(createContext({ db: connection.db }), filter, ''));
  } catch (error) {
    if (error instanceof GraphQLError && error.extensions.code === 'BAD_USER_INPUT') {
      const argument = typeof error.extensions.argument === 'string' ? error.extensions.argument : '';
      // The filter's messages name GraphQL arguments: name the parameters instead.
      let message = error.message;
      for (const [name, spec] of Object.entries(definition.parameters)) {
        if (spec.argument) message = message.replaceAll(`"${spec.argument}"`, `"${spec.kind === 'prefixed' ? `${name}.<name>` : name}"`);
      }
      throw new ExportParameterError(message, parameterOfArgument(definition, argument));
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

const asText = (value: SQL | PgColumn) => sql`(${value})::text`;

/** A time as ISO 8601 in UTC with milliseconds, as the GraphQL API writes `DateTime`. */
export const isoTime = (column: PgColumn | SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A record's global ID (as `Node.id`) from its UUID. */
export const globalIdOf = (typename: string) => (uuid: string) => Buffer.from(`${typename}:${uuid}`).toString('base64');

/** The export's date: number of rows and the latest change of them and of the tables they refer to. */
async function stateOf(snapshot: ReadSnapshot, definition: AnyDefinition, where: SQL | undefined) {
  const t = definition.table;
  const microseconds = (expression: SQL) => sql`(extract(epoch from ${expression}) * 1000000)::bigint::text`;
  const references = (definition.references ?? []).map((table) => microseconds(sql`(select max(${table.updatedAt}) from ${table})`));
  const [row] = await snapshot.rows(sql`select count(*)::text, ${microseconds(sql`max(${t.updatedAt})`)}${sql.join(
    references.map((reference) => sql`, ${reference}`),
  )} from ${t}${where ? sql` where ${where}` : sql``}`);
  const [count, ...changed] = row as (string | null)[];
  const latest = changed.reduce<bigint>((max, value) => (value !== null && BigInt(value) > max ? BigInt(value) : max), 0n);
  return { count: count!, latestMicroseconds: latest, changed };
}

type Lookups = Map<ExportColumn, Map<string, string>>;

async function loadLookups(snapshot: ReadSnapshot, columns: ExportColumn[]): Promise<Lookups> {
  const lookups: Lookups = new Map();
  for (const column of columns) {
    if (!column.lookup) continue;
    const rows = await snapshot.rows(sql`select ${asText(column.lookup.key)}, ${asText(column.lookup.value)} from ${column.lookup.key.table}`);
    lookups.set(column, new Map(rows.map((row) => [row[0] as string, row[1] as string])));
  }
  return lookups;
}

/**
 * The batches of a cursor, each asked for as soon as the one before has come: PostgreSQL reads the
 * next batch while this process writes out the last, instead of the two taking turns. One batch
 * more is held (a few hundred kB). Ending early waits for the batch on its way, then closes the
 * cursor, so its connection is left ready for the snapshot's rollback.
 */
async function* readAhead<T>(batches: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = batches[Symbol.asyncIterator]();
  let next: Promise<IteratorResult<T>> | null = iterator.next();
  try {
    for (;;) {
      const result: IteratorResult<T> = await next;
      if (result.done) {
        next = null;
        return;
      }
      next = iterator.next();
      yield result.value;
    }
  } finally {
    if (next) {
      const pending = await next.catch(() => null);
      if (pending && !pending.done) await iterator.return?.();
    }
  }
}

/** Batches of rows (values as text; when paged, then the key columns), in the export's order. */
async function* rowsOf(
  snapshot: ReadSnapshot,
  definition: AnyDefinition,
  columns: ExportColumn[],
  where: SQL | undefined,
): AsyncGenerator<(string | null)[][]> {
  const values = columns.map((column) => asText(column.value));
  if (snapshot.cursor) {
    // One statement: no key columns to page by.
    const statement = sql`select ${sql.join(values, sql`, `)} from ${definition.table}${where ? sql` where ${where}` : sql``} order by ${sql.join(
      definition.streamOrder ?? definition.keys,
      sql`, `,
    )}`;
    yield* readAhead(snapshot.cursor(statement, BATCH_ROWS) as AsyncIterable<(string | null)[][]>);
    return;
  }
  const selected = sql.join([...values, ...definition.keys.map(asText)], sql`, `);
  const order = sql.join(definition.keys, sql`, `);
  const statement = (after: SQL | undefined, limit: SQL) =>
    sql`select ${selected} from ${definition.table}${where || after ? sql` where ${sql.join([where, after].filter(Boolean) as SQL[], sql` and `)}` : sql``} order by ${order}${limit}`;
  let after: SQL | undefined;
  for (;;) {
    const rows = (await snapshot.rows(statement(after, sql` limit ${sql.raw(String(BATCH_ROWS))}`))) as (string | null)[][];
    if (rows.length === 0) return;
    // Read the key before yielding: the consumer empties the batch.
    const last = rows[rows.length - 1]!.slice(columns.length);
    after = sql`(${order}) > (${sql.join(
      definition.keys.map((key, index) => sql`${last[index]}::${sql.raw(key.getSQLType())}`),
      sql`, `,
    )})`;
    // Counted before yielding too: the consumer empties the batch.
    const lastPage = rows.length < BATCH_ROWS;
    yield rows;
    if (lastPage) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Resolves when the socket takes more, rejects when the client has gone. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      response.off('drain', done);
      response.off('close', gone);
      resolve();
    };
    const gone = () => {
      response.off('drain', done);
      response.off('close', gone);
      reject(new ClientGone());
    };
    response.on('drain', done);
    response.on('close', gone);
  });
}

class ClientGone extends Error {}

async function send(response: ServerResponse, chunk: string | Buffer) {
  if (response.destroyed) throw new ClientGone();
  if (!response.write(chunk)) await drained(response);
}

/** What makes csv-stringify quote a cell with its default options: the separator, a quote, a line break. */
const NEEDS_QUOTES = /[",\r\n]/;
/** One cell as csv-stringify quotes it. */
const quoted = (value: string) => stringify([[value]]).slice(0, -1);

/** Rows into text: CSV with csv-stringify's quoting (RFC 4180), NDJSON one object per line. */
function formatterOf(format: ExportFormat, columns: ExportColumn[]) {
  if (format === 'csv') {
    // Most cells need no quotes (codes, IDs, dates, numbers) and are written as they are, which
    // RFC 4180 and csv-stringify do too; a cell that does goes through csv-stringify. Running every
    // row through the library costs more than the rest of the export together.
    const cell = (value: string | null) => (value === null ? '' : NEEDS_QUOTES.test(value) ? quoted(value) : value);
    return {
      header: stringify([columns.map((column) => column.name)]),
      rows: (rows: (string | null)[][]) => {
        let text = '';
        for (const row of rows) {
          let line = cell(row[0]!);
          for (let index = 1; index < columns.length; index += 1) line += `,${cell(row[index]!)}`;
          text += `${line}\n`;
        }
        return text;
      },
    };
  }
  const keys = columns.map((column) => JSON.stringify(column.name));
  const writers = columns.map((column) => {
    if (column.json === 'number') return (value: string) => value; // the stored digits: a valid JSON number
    if (column.json === 'boolean') return (value: string) => (value === 'true' ? 'true' : 'false');
    return (value: string) => JSON.stringify(value);
  });
  return {
    header: '',
    rows: (rows: (string | null)[][]) => {
      let text = '';
      for (const row of rows) {
        let line = '{';
        for (let index = 0; index < keys.length; index += 1) {
          const value = row[index];
          line += `${index > 0 ? ',' : ''}${keys[index]}:${value === null || value === undefined ? 'null' : writers[index]!(value)}`;
        }
        text += `${line}}\n`;
      }
      return text;
    },
  };
}

/** Lookups and maps applied to a batch in place: the batch keeps only the columns. */
function finish(rows: (string | null)[][], columns: ExportColumn[], lookups: Lookups) {
  const changes = columns
    .map((column, index) => ({ index, lookup: lookups.get(column), map: column.map }))
    .filter((change) => change.lookup || change.map);
  for (const row of rows) {
    row.length = columns.length;
    for (const { index, lookup, map } of changes) {
      const value = row[index];
      if (value === null || value === undefined) continue;
      row[index] = lookup ? (lookup.get(value) ?? null) : map!(value);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// HTTP

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  response.end(JSON.stringify(body));
}

/** The query with its parameters in a fixed order, so the same request has the same ETag however it is spelled. */
function canonicalQuery(search: URLSearchParams): string {
  return [...search].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, value]) => `${name}=${value}`).join('&');
}

const httpDate = (microseconds: bigint) => new Date(Number(microseconds / 1000n)).toUTCString();

function notModified(request: IncomingMessage, etag: string, latestMicroseconds: bigint): boolean {
  if (request.headers['if-none-match'] !== undefined) return matchesIfNoneMatch(request, etag);
  const ifModifiedSince = request.headers['if-modified-since'];
  if (ifModifiedSince && latestMicroseconds > 0n) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds: compare at that resolution.
    return !Number.isNaN(since) && Math.floor(Number(latestMicroseconds / 1000n) / 1000) * 1000 <= since;
  }
  return false;
}

/** The list of exports and their parameters, at /export. */
function describeExports() {
  return {
    exports: [...registry.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((definition) => ({
        name: definition.name,
        description: definition.description,
        urls: (['csv', 'ndjson'] as const).map((format) => `/export/${definition.name}.${format}`),
        parameters: Object.entries(definition.parameters).map(([name, spec]) => ({
          name: spec.kind === 'prefixed' ? `${name}.<name>` : name,
          description: spec.description,
        })),
      })),
  };
}

/**
 * Answers GET and HEAD /export, /export/<name>.csv and /export/<name>.ndjson. Cross-origin headers
 * are the server's (they are set before this is called).
 */
export async function handleExport(connection: Connection, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return sendJson(response, 405, { error: `Exports are read with GET or HEAD, not ${request.method}.` }, { allow: 'GET, HEAD' });
  }
  if (url.pathname === '/export' || url.pathname === '/export/') {
    return sendJson(response, 200, describeExports(), { 'cache-control': CACHE_CONTROL });
  }
  const match = /^\/export\/([a-z_]+)\.(csv|ndjson)$/.exec(url.pathname);
  const definition = match ? registry.get(match[1]!) : undefined;
  if (!match || !definition) {
    return sendJson(response, 404, {
      error: `No export at ${url.pathname}. Exports: ${exportNames().map((name) => `/export/${name}.csv`).join(', ')} (or .ndjson); /export lists them.`,
    });
  }
  const format = match[2] as ExportFormat;

  let where: SQL | undefined;
  try {
    where = await conditionsOf(connection, definition, url.searchParams);
  } catch (error) {
    if (error instanceof ExportParameterError) return sendJson(response, 400, { error: error.message, parameter: error.parameter });
    throw error;
  }

  const snapshot = await connection.readSnapshot();
  try {
    const state = await stateOf(snapshot, definition, where);
    const etag = `"${createHash('sha256')
      .update([FORMAT_VERSION, definition.name, format, canonicalQuery(url.searchParams), state.count, ...state.changed].join('\n'))
      .digest('base64url')
      .slice(0, 32)}"`;
    const headers: Record<string, string> = { etag, 'cache-control': CACHE_CONTROL };
    if (state.latestMicroseconds > 0n) headers['last-modified'] = httpDate(state.latestMicroseconds);
    if (notModified(request, etag, state.latestMicroseconds)) {
      response.writeHead(304, headers);
      response.end();
      return;
    }
    const names = definition.dynamicNames
      ? (await snapshot.rows(definition.dynamicNames(where))).map((row) => String(row[0])).sort()
      : [];
    const columns = definition.columns(names);
    const lookups = await loadLookups(snapshot, columns);
    response.writeHead(200, {
      ...headers,
      'content-type': CONTENT_TYPES[format],
      'content-disposition': `inline; filename="${definition.name}.${format}"`,
      'x-total-count': state.count,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    const formatter = formatterOf(format, columns);
    try {
      if (formatter.header) await send(response, formatter.header);
      let uncollected = 0;
      let oldBefore = oldGeneration();
      for await (const batch of rowsOf(snapshot, definition, columns, where)) {
        finish(batch, columns, lookups);
        // The whole batch is turned into bytes before anything waits for the socket, so its rows
        // (a dozen strings each) die young, collected cheaply, instead of living on through the
        // waits into the old generation; the bytes live outside the heap. In slices, so each
        // piece of text stays small enough for V8's young generation, not its large-object space.
        const chunks: Buffer[] = [];
        for (let start = 0; start < batch.length; start += ROWS_PER_WRITE) {
          chunks.push(Buffer.from(formatter.rows(batch.slice(start, start + ROWS_PER_WRITE)), 'utf8'));
        }
        const rows = batch.length;
        batch.length = 0;
        for (const chunk of chunks) await send(response, chunk);
        uncollected += rows;
        if (uncollected >= ROWS_PER_COLLECTION) {
          if (oldGeneration() > oldBefore + OLD_GROWTH_BEFORE_COLLECTION) {
            collectGarbage();
            oldBefore = oldGeneration();
          }
          uncollected = 0;
        }
      }
      response.end();
    } catch (error) {
      // Headers are gone: end without the closing chunk, so the client sees a broken transfer, not a short file.
      response.destroy();
      if (!(error instanceof ClientGone)) throw error;
    }
  } finally {
    await snapshot.close();
  }
}

