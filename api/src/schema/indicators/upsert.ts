import { OBSERVATION_CSV_COLUMNS, type ObservationUpsertOutcome, type ObservationUpsertRow } from '@naravard/db';
import { z } from 'zod';
import { builder } from '../../builder.ts';
import { type FieldIssue, ValidationError } from '../../errors.ts';
import { ruledInput } from '../../ruled-inputs.ts';
import { rules } from '../../writes.ts';
import { Indicator } from '../refs.ts';
import { DimensionInput } from './observation-list.ts';

/* The bulk upsert of observations: row rules, validation, statements and its result type. */

/** Most rows one upsertObservations call takes. */
export const MAX_UPSERT_ROWS = 10_000;
/** Most issues one refused batch lists; the rest are counted. */
const MAX_LISTED_ISSUES = 100;

const DIMENSION_NAME = /^[a-z][a-z_]*$/;
const DIMENSION_VALUE = /^[a-z][a-z0-9_]*$/;

export const ObservationRowInput = ruledInput('ObservationRowInput', {
  description: [
    'One value of an indicator to store: a subject (a region or an organisation, exactly one), a period,',
    'dimensions and the value. Indicator, subject, period and dimensions identify the observation, so',
    'sending the same row again changes nothing.',
  ].join(' '),
  fields: {
    region: {
      type: 'String',
      description: 'The region the value is for, by SCB county code ("13" is Halland). Give this or `organisation`.',
      rule: rules.regionCode.nullish(),
    },
    organisation: {
      type: 'ID',
      description: 'The organisation the value is for (an Organisation ID), e.g. a health centre. Give this or `region`.',
      rule: rules.globalId('Organisation').nullish(),
    },
    period: {
      type: 'String',
      description: [
        'The period: "2018", "2018-Q3" or "2018-05". A String, not the Period scalar, so that a bad period is',
        'answered with a ValidationError naming its row (["rows", "3", "period"]) like every other row problem.',
      ].join(' '),
      rule: z.string().max(16, { message: 'must be a period: YYYY, YYYY-Qn or YYYY-MM', abort: true }).pipe(rules.period),
    },
    value: {
      type: 'String',
      description: [
        'The value, an exact decimal as a string ("52", "-0.5", "1100.25"), at most 15 digits before the point',
        'and 8 after; negative values are allowed. A String, not the Decimal scalar, so a bad value is reported',
        'with its row. A value numerically equal to the stored one ("52.0" for "52") is unchanged.',
      ].join(' '),
      rule: z
        .string()
        .max(40, { message: 'must be a decimal number with at most 15 digits before and 8 after the point', abort: true })
        .pipe(rules.decimal),
    },
    dimensions: {
      type: [DimensionInput],
      description: [
        'The breakdown the value belongs to, e.g. [{ name: "ownership", value: "public" }, { name: "setting",',
        'value: "home_care" }]; leave out for an overall total. Names: lower-case letters and underscores; values:',
        'lower-case letters, digits and underscores, starting with a letter; no name twice; order does not matter.',
      ].join(' '),
      rule: rules.list(
        z
          .array(
            z.object({
              name: z
                .string()
                .max(64, { message: 'must be at most 64 characters', abort: true })
                .regex(DIMENSION_NAME, 'must be lower-case letters and underscores, e.g. "setting"')
                .refine((name) => !(OBSERVATION_CSV_COLUMNS as readonly string[]).includes(name), {
                  message: `must not be a column of the CSV shape (${OBSERVATION_CSV_COLUMNS.join(', ')})`,
                }),
              value: z
                .string()
                .max(100, { message: 'must be at most 100 characters', abort: true })
                .regex(DIMENSION_VALUE, 'must be lower-case letters, digits and underscores, starting with a letter, e.g. "home_care"'),
            }),
          )
          .max(10, 'at most 10 dimensions per observation'),
      ),
    },
  },
  check: (row, context) => {
    if (!row.region === !row.organisation) {
      context.addIssue({
        code: 'custom',
        message: 'an observation is of exactly one subject: give either region or organisation',
        path: [row.region ? 'organisation' : 'region'],
      });
    }
    const seen = new Set<string>();
    row.dimensions.forEach((dimension, index) => {
      if (seen.has(dimension.name)) {
        context.addIssue({ code: 'custom', message: `dimension "${dimension.name}" is given twice`, path: ['dimensions', index, 'name'] });
      }
      seen.add(dimension.name);
    });
  },
});

/**
 * Every row checked before anything is read or written. A bad row refuses the whole batch with
 * issues at ["rows", index, field] (at most MAX_LISTED_ISSUES listed, the rest counted); so does a
 * row that repeats another row's identity (subject, period and dimensions).
 */
export function validateRows(rows: readonly unknown[]): ObservationUpsertRow[] {
  if (rows.length > MAX_UPSERT_ROWS) {
    throw new ValidationError([{ path: ['rows'], message: `at most ${MAX_UPSERT_ROWS} rows per call, got ${rows.length}: split the batch` }]);
  }
  const issues: FieldIssue[] = [];
  let unlisted = 0;
  const report = (issue: FieldIssue) => {
    if (issues.length < MAX_LISTED_ISSUES) issues.push(issue);
    else unlisted += 1;
  };
  const valid: ObservationUpsertRow[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((input, index) => {
    const result = ObservationRowInput.rules.safeParse(input);
    if (!result.success) {
      for (const issue of result.error.issues) {
        report({ path: ['rows', index, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))], message: issue.message });
      }
      return;
    }
    const row = result.data;
    const dimensions = Object.fromEntries(
      [...row.dimensions].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map(({ name, value }) => [name, value]),
    );
    const upsertRow: ObservationUpsertRow = {
      regionCode: row.region ?? null,
      organisationId: row.organisation ? row.organisation.toLowerCase() : null,
      period: row.period,
      value: row.value,
      dimensions: JSON.stringify(dimensions),
    };
    const key = JSON.stringify([upsertRow.regionCode, upsertRow.organisationId, upsertRow.period, upsertRow.dimensions]);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      report({
        path: ['rows', index],
        message: `rows ${first} and ${index} are the same observation (same subject, period and dimensions); give each once`,
      });
    } else {
      firstRowOf.set(key, index);
    }
    valid.push(upsertRow);
  });
  if (unlisted > 0) issues.push({ path: ['rows'], message: `and ${unlisted} more problems, not listed` });
  if (issues.length > 0) throw new ValidationError(issues);
  return valid;
}

export const UpsertObservationsResult = builder.objectRef<ObservationUpsertOutcome>('UpsertObservationsResult').implement({
  description: 'What a bulk upsert of observations did: how many rows were new, changed, and already stored as given.',
  fields: (t) => ({
    inserted: t.exposeInt('inserted', { description: 'Rows stored as new observations.' }),
    updated: t.exposeInt('updated', {
      description: 'Rows whose observation existed with another value, or deleted: now changed (version + 1) and live.',
    }),
    unchanged: t.exposeInt('unchanged', { description: 'Rows already stored with the same value: nothing was written for them.' }),
    indicator: t.field({ type: Indicator, description: 'The indicator the values are for.', resolve: (outcome) => outcome.indicator }),
  }),
});
