import { isDeepStrictEqual } from 'node:util';
import { Column, Name, Param, Placeholder, SQL, StringChunk, Table } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';

/**
 * Renders an SQL template to its text and parameters, as PostgreSQL's Drizzle dialect does, in
 * one pass that appends to one string and one array.
 *
 * Drizzle's renderer builds a `{ sql, params }` object per chunk, copies its configuration at
 * every nested template and tests each chunk against a chain of classes (`is()`); for the few
 * chunks of a list page's filter and order, that was most of the CPU Drizzle took per request
 * (8% of a simple page's). The chunks the platform's statements are made of are rendered here:
 * strings, names, nested templates, tables, columns, parameters (encoded by their column, as
 * Drizzle does), placeholders and lists. Anything else (views, subquery objects, aliased
 * expressions, enums, inlined parameters) goes to Drizzle's own renderer, whole.
 */

/** A statement's text and its parameters, some of which may be `sql.placeholder`s filled when it runs. */
export interface RenderedStatement {
  sql: string;
  params: unknown[];
}

const dialect = new PgDialect();
const casing = (dialect as unknown as { casing: { getColumnCasing(column: Column): string } }).casing;
// Drizzle's table symbols (table.ts), registered globally under these names.
const SCHEMA = Symbol.for('drizzle:Schema');
const TABLE_NAME = Symbol.for('drizzle:Name');
const IS_ALIAS = Symbol.for('drizzle:IsAlias');
/** Whether a template's parameters are to be written into its text (Drizzle keeps this private). */
const inlinesParams = (statement: SQL) => (statement as unknown as { shouldInlineParams: boolean }).shouldInlineParams;

/** The renderer met a chunk it leaves to Drizzle. */
const UNSUPPORTED = Symbol('unsupported');

/**
 * With NARAVARD_CHECK_RENDERING=1 (the test suite sets it) every statement is rendered by Drizzle
 * too, and a difference throws: each statement the tests send proves the two renderers agree.
 */
const checking = process.env.NARAVARD_CHECK_RENDERING === '1';

export function renderStatement(statement: SQL): RenderedStatement {
  const out: RenderedStatement = { sql: '', params: [] };
  const fast = inlinesParams(statement) || append(statement.queryChunks, out) === UNSUPPORTED ? null : out;
  if (fast && checking) {
    const drizzle = dialect.sqlToQuery(statement);
    if (drizzle.sql !== fast.sql || !isDeepStrictEqual(drizzle.params, fast.params)) {
      throw new Error(`renderStatement differs from Drizzle:\n${fast.sql}\n${drizzle.sql}`);
    }
  }
  return fast ?? dialect.sqlToQuery(statement);
}

const escapeName = (name: string) => `"${name.replace(/"/g, '""')}"`;

function append(chunks: readonly unknown[], out: RenderedStatement): typeof UNSUPPORTED | undefined {
  for (const chunk of chunks) {
    if (append1(chunk, out) === UNSUPPORTED) return UNSUPPORTED;
  }
  return undefined;
}

function append1(chunk: unknown, out: RenderedStatement): typeof UNSUPPORTED | undefined {
  if (chunk === undefined) return undefined;
  if (chunk === null || typeof chunk !== 'object') {
    out.params.push(chunk);
    out.sql += `$${out.params.length}`;
    return undefined;
  }
  if (chunk instanceof StringChunk) {
    out.sql += (chunk.value as string[]).join('');
    return undefined;
  }
  if (chunk instanceof SQL) {
    return inlinesParams(chunk) ? UNSUPPORTED : append(chunk.queryChunks, out);
  }
  if (chunk instanceof Param) {
    if (chunk.value instanceof Placeholder) {
      out.params.push(chunk);
      out.sql += `$${out.params.length}`;
      return undefined;
    }
    const value = chunk.value === null ? null : chunk.encoder.mapToDriverValue(chunk.value);
    if (value instanceof SQL) return UNSUPPORTED;
    out.params.push(value);
    out.sql += `$${out.params.length}`;
    return undefined;
  }
  if (chunk instanceof Column) {
    const table = chunk.table as unknown as Record<symbol, unknown>;
    const schema = table[SCHEMA] as string | undefined;
    const column = escapeName(casing.getColumnCasing(chunk));
    out.sql +=
      table[IS_ALIAS] || schema === undefined
        ? `${escapeName(table[TABLE_NAME] as string)}.${column}`
        : `${escapeName(schema)}.${escapeName(table[TABLE_NAME] as string)}.${column}`;
    return undefined;
  }
  if (chunk instanceof Table) {
    const table = chunk as unknown as Record<symbol, unknown>;
    const schema = table[SCHEMA] as string | undefined;
    out.sql +=
      schema === undefined || table[IS_ALIAS]
        ? escapeName(table[TABLE_NAME] as string)
        : `${escapeName(schema)}.${escapeName(table[TABLE_NAME] as string)}`;
    return undefined;
  }
  if (chunk instanceof Name) {
    out.sql += escapeName(chunk.value);
    return undefined;
  }
  if (chunk instanceof Placeholder) {
    out.params.push(chunk);
    out.sql += `$${out.params.length}`;
    return undefined;
  }
  if (Array.isArray(chunk)) {
    out.sql += '(';
    for (let index = 0; index < chunk.length; index++) {
      if (index > 0) out.sql += ', ';
      if (append1(chunk[index], out) === UNSUPPORTED) return UNSUPPORTED;
    }
    out.sql += ')';
    return undefined;
  }
  return UNSUPPORTED;
}
