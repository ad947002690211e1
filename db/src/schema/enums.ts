import { pgEnum } from 'drizzle-orm/pg-core';

/** Every kind of record a citation, a topic link or a change-log entry can point at. */
export const entityType = pgEnum('entity_type', [
  'region',
  'organisation',
  'person',
  'membership',
  'meeting',
  'meeting_participant',
  'agenda_item',
  'decision',
  'assignment',
  'assignment_report',
  'audit',
  'recommendation',
  'audit_response',
  'recommendation_response',
  'grant_programme',
  'grant',
  'allocation',
  'indicator',
  'indicator_target',
  'observation',
  'document',
  'topic',
  'api_key',
  'citation',
  'topic_link',
]);

export type EntityType = (typeof entityType.enumValues)[number];

/**
 * How much of a date the source gives: the day, only the month ("december 2022") or only the
 * year. A date known to a month or a year is stored as the first day of that month or year.
 */
export const datePrecision = pgEnum('date_precision', ['day', 'month', 'year']);
