import { sql } from 'drizzle-orm';

/**
 * A period is a year ("2018"), a quarter ("2018-Q3") or a month ("2018-05"). These SQL
 * expressions keep the rule in one place for CHECK constraints and generated columns.
 */
export const PERIOD_PATTERN = '^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$';

/** The same rule for application code: every layer (seed files, GraphQL scalar, write rules) checks periods with it. */
export const PERIOD = new RegExp(PERIOD_PATTERN);

export const periodIsValid = (column: string) => sql.raw(`${column} ~ '${PERIOD_PATTERN}'`);

/** The period's grain: year, quarter or month. */
export const periodGrainOf = (column: string) =>
  sql.raw(
    `(CASE WHEN ${column} !~ '${PERIOD_PATTERN}' THEN NULL WHEN length(${column}) = 4 THEN 'year' WHEN substr(${column}, 6, 1) = 'Q' THEN 'quarter' ELSE 'month' END)`,
  );

/**
 * The first day of the period, so periods of any grain sort and group by date. Invalid periods
 * give NULL here so that the CHECK constraint, not a date error, reports them.
 */
export const periodStartOf = (column: string) =>
  sql.raw(
    `(CASE WHEN ${column} !~ '${PERIOD_PATTERN}' THEN NULL` +
      ` WHEN length(${column}) = 4 THEN make_date(substr(${column}, 1, 4)::int, 1, 1)` +
      ` WHEN substr(${column}, 6, 1) = 'Q' THEN make_date(substr(${column}, 1, 4)::int, (substr(${column}, 7, 1)::int - 1) * 3 + 1, 1)` +
      ` ELSE make_date(substr(${column}, 1, 4)::int, substr(${column}, 6, 2)::int, 1) END)`,
  );
