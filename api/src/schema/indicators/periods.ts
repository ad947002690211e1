import { tables } from '@naravard/db';
import { type SQL, sql } from 'drizzle-orm';
import { databaseEnum } from '../../enums.ts';
import { BadInputError } from '../../errors.ts';

/* Enums of indicators and targets, reporting periods and their grains: the period maths the lists, series and aggregates share. */

export const IndicatorDirection = databaseEnum('IndicatorDirection', 'Which way an indicator should move.', {
  higher_is_better: 'A higher value is better (e.g. a continuity index).',
  lower_is_better: 'A lower value is better (e.g. days of waiting, inhabitants per doctor).',
  neutral: 'Neither direction is better in itself (e.g. a volume such as SIP meetings held).',
});

export const TargetComparator = databaseEnum('TargetComparator', 'How a value is compared with a target value.', {
  at_most: 'The value should be at most the target (≤), e.g. "at most 1,100 inhabitants per doctor".',
  at_least: 'The value should be at least the target (≥).',
  equal: 'The value should equal the target.',
});

export const PeriodGrain = databaseEnum('PeriodGrain', 'The length of a reporting period.', {
  year: 'A calendar year ("2018").',
  quarter: 'A calendar quarter ("2018-Q2": April to June).',
  month: 'A calendar month ("2018-05").',
});

export type Grain = 'year' | 'quarter' | 'month';

/** Finer grains have lower ranks. */
export const GRAIN_RANK: Record<Grain, number> = { month: 1, quarter: 2, year: 3 };

/** Finest first. */
export const byGrain = (a: Grain, b: Grain) => GRAIN_RANK[a] - GRAIN_RANK[b];

// ---------------------------------------------------------------------------------------------
// Periods

const PERIOD_PARTS = /^([0-9]{4})(?:-Q([1-4])|-([0-9]{2}))?$/;

const isoDate = (year: number, month: number) => `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-01`;

/** The first day of a period ("2018-Q2" → "2018-04-01") and the first day after it ("2018-07-01"). */
function periodBounds(period: string): { start: string; end: string } {
  const match = PERIOD_PARTS.exec(period);
  if (!match) throw new BadInputError(`Period must be YYYY, YYYY-Qn or YYYY-MM, got "${period}"`);
  const year = Number(match[1]);
  const [firstMonth, months] = match[2] ? [(Number(match[2]) - 1) * 3 + 1, 3] : match[3] ? [Number(match[3]), 1] : [1, 12];
  const after = firstMonth - 1 + months; // months from January to the month after the period
  return { start: isoDate(year, firstMonth), end: isoDate(year + Math.floor(after / 12), (after % 12) + 1) };
}

/** The period a first day and a grain name: ("2018-04-01", quarter) → "2018-Q2". */
export function periodOf(start: string, grain: Grain): string {
  const year = start.slice(0, 4);
  const month = Number(start.slice(5, 7));
  if (grain === 'year') return year;
  if (grain === 'quarter') return `${year}-Q${Math.floor((month - 1) / 3) + 1}`;
  return `${year}-${start.slice(5, 7)}`;
}

/** Observations whose period starts within [start of `from`, end of `to`]: a year includes its months. */
export function periodConditions(from: string | null | undefined, to: string | null | undefined): SQL[] {
  const o = tables.observations;
  const conditions: SQL[] = [];
  const start = from ? periodBounds(from).start : undefined;
  const end = to ? periodBounds(to).end : undefined;
  if (start && end && start >= end) {
    throw new BadInputError(`"periodFrom" (${from}) must not come after "periodTo" (${to})`, 'periodFrom');
  }
  if (start) conditions.push(sql`${o.periodStart} >= ${start}::date`);
  if (end) conditions.push(sql`${o.periodStart} < ${end}::date`);
  return conditions;
}
