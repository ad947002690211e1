import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import { renderStatement } from '../src/render.ts';
import { meetings, observations, organisations } from '../src/schema/index.ts';

/*
 * The platform's own renderer of SQL templates must give the text and parameters Drizzle's
 * PostgreSQL dialect gives. The expected texts are written out here; the test suite also runs
 * with NARAVARD_CHECK_RENDERING=1, which compares the two renderers on every statement sent.
 */
describe('renderStatement', () => {
  it('renders columns, nested conditions, lists and parameters in order', () => {
    const statement = sql`select ${meetings.id} from ${meetings} where ${and(
      isNull(meetings.deletedAt),
      eq(meetings.regionId, '6f1c0a52-3e55-4c47-9a3b-2a5d0f0e6b11'),
      or(inArray(meetings.kind, ['sitting', 'steering_group']), sql`${meetings.heldOn} < ${'2024-01-01'}`),
    )} order by ${meetings.heldOn} desc limit ${sql.raw('21')}`;
    expect(renderStatement(statement)).toEqual({
      sql:
        'select "meetings"."id" from "meetings" where ("meetings"."deleted_at" is null and "meetings"."region_id" = $1 and ' +
        '("meetings"."kind" in ($2, $3) or "meetings"."held_on" < $4)) order by "meetings"."held_on" desc limit 21',
      params: ['6f1c0a52-3e55-4c47-9a3b-2a5d0f0e6b11', 'sitting', 'steering_group', '2024-01-01'],
    });
  });

  it('encodes a parameter by its column, as Drizzle does', () => {
    const statement = sql`select 1 where ${eq(observations.dimensions, { sex: 'F' })}`;
    expect(renderStatement(statement)).toEqual({
      sql: 'select 1 where "observations"."dimensions" = $1',
      params: ['{"sex":"F"}'],
    });
  });

  it('names an aliased table and its columns by the alias (in a template, as Drizzle does) and keeps placeholders for later', () => {
    const body = alias(organisations, 'body');
    const statement = sql`select ${body.name} from ${body} where ${body.id} = ${sql.placeholder('id')}`;
    const rendered = renderStatement(statement);
    expect(rendered.sql).toBe('select "body"."name" from "body" where "body"."id" = $1');
    expect(rendered.params).toHaveLength(1);
  });

  it('leaves statements with inlined parameters to Drizzle', () => {
    expect(renderStatement(sql`select ${"it's"}`.inlineParams())).toEqual({ sql: "select 'it''s'", params: [] });
  });
});
