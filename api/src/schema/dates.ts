import { tables } from '@naravard/db';
import { databaseEnum } from '../enums.ts';

/** How much of a date the records give. */
export const DatePrecision = databaseEnum('DatePrecision', 'How much of a date the records give: the day, or only its month or year.', {
  day: 'The day is known ("2023-09-07").',
  month: 'Only the month is known ("december 2022"); the date is the first day of that month.',
  year: 'Only the year is known ("2022"); the date is the first day of that year.',
});

export type DatePrecisionValue = (typeof tables.datePrecision.enumValues)[number];

/** Why a date cannot carry a precision: a month or a year is stored as its first day. */
export function precisionProblem(date: string | null | undefined, precision: DatePrecisionValue): string | null {
  if (!date || precision === 'day') return null;
  if (precision === 'month' && !date.endsWith('-01')) return `a date known to the month is given as its first day ("${date.slice(0, 8)}01"), not ${date}`;
  if (precision === 'year' && !date.endsWith('-01-01')) return `a date known to the year is given as its first day ("${date.slice(0, 5)}01-01"), not ${date}`;
  return null;
}
