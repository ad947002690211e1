import { sql } from 'drizzle-orm';
import { boolean, check, date, index, numeric, pgEnum, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bookkeeping, id, nonNegative, swedishSearchVector, tsvector } from './columns.ts';
import { organisations } from './organisations.ts';
import { periodIsValid } from './periods.ts';
import { regions } from './regions.ts';

export const grantStatus = pgEnum('grant_status', ['requested', 'awarded', 'paid']);

/** Money in SEK: exact decimals, öre kept. */
const sek = (name: string) => numeric(name, { precision: 18, scale: 2 });

/** A grant programme: the state grant for nära vård, Patientmiljarden, the mental-health grant. */
export const grantProgrammes = pgTable(
  'grant_programmes',
  {
    id: id(),
    name: text('name').notNull(),
    /** The legal basis (förordning), e.g. "SFS 2024:1253". */
    legalBasis: text('legal_basis'),
    grantorId: uuid('grantor_id').references(() => organisations.id),
    description: text('description'),
    /** Swedish full-text vector of the name, legal basis and description, for `search`. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('name', 'legal_basis', 'description')),
    ...bookkeeping(),
  },
  (table) => [
    index('grant_programmes_updated_at_idx').on(table.updatedAt),
    index('grant_programmes_search_idx').using('gin', table.searchVector),
  ],
);

/** An amount granted to a recipient (a region or an organisation) for a period. */
export const grants = pgTable(
  'grants',
  {
    id: id(),
    programmeId: uuid('programme_id')
      .notNull()
      .references(() => grantProgrammes.id),
    recipientRegionId: uuid('recipient_region_id').references(() => regions.id),
    recipientOrganisationId: uuid('recipient_organisation_id').references(() => organisations.id),
    /** The year, quarter or month the grant is for. */
    period: text('period').notNull(),
    amountSek: sek('amount_sek'),
    /** True when the records give the amount as approximate ("about 46 MSEK"). */
    amountIsApproximate: boolean('amount_is_approximate').notNull().default(false),
    status: grantStatus('status').notNull(),
    /** Last day to requisition the money (rekvirera). */
    requisitionDueOn: date('requisition_due_on'),
    description: text('description'),
    /** Swedish full-text vector of the description, for `search`. */
    searchVector: tsvector('search_vector').generatedAlwaysAs(swedishSearchVector('description')),
    ...bookkeeping(),
  },
  (table) => [
    index('grants_programme_idx').on(table.programmeId),
    index('grants_search_idx').using('gin', table.searchVector),
    index('grants_recipient_region_idx').on(table.recipientRegionId, table.period),
    index('grants_recipient_organisation_idx').on(table.recipientOrganisationId),
    index('grants_updated_at_idx').on(table.updatedAt),
    check('grants_period_format', periodIsValid('period')),
    check('grants_amount_non_negative', nonNegative('amount_sek')),
    check(
      'grants_has_recipient',
      sql`${table.recipientRegionId} IS NOT NULL OR ${table.recipientOrganisationId} IS NOT NULL`,
    ),
  ],
);

/**
 * Money passed on from a grant: a fixed amount ("30 MSEK to the health centres"), a rate
 * ("148 SEK per listed patient", "4–44 SEK per listed patient"), or a ceiling
 * ("at most 180,000 SEK per health centre and year"), alone or capping a rate.
 */
export const allocations = pgTable(
  'allocations',
  {
    id: id(),
    grantId: uuid('grant_id').references(() => grants.id),
    programmeId: uuid('programme_id').references(() => grantProgrammes.id),
    fromOrganisationId: uuid('from_organisation_id').references(() => organisations.id),
    recipientOrganisationId: uuid('recipient_organisation_id').references(() => organisations.id),
    /** Who receives it when that is a group, not one organisation ("health centres"). */
    recipientDescription: text('recipient_description'),
    regionId: uuid('region_id').references(() => regions.id),
    period: text('period'),
    amountSek: sek('amount_sek'),
    rateSek: sek('rate_sek'),
    /** Upper end when the rate is a range. */
    rateMaxSek: sek('rate_max_sek'),
    /** What the rate is per ("listed patient"). */
    rateUnit: text('rate_unit'),
    capSek: sek('cap_sek'),
    /** What the cap is per ("health centre and year"). */
    capUnit: text('cap_unit'),
    paidOn: date('paid_on'),
    description: text('description'),
    ...bookkeeping(),
  },
  (table) => [
    index('allocations_grant_idx').on(table.grantId),
    index('allocations_programme_idx').on(table.programmeId),
    index('allocations_region_idx').on(table.regionId),
    index('allocations_updated_at_idx').on(table.updatedAt),
    check('allocations_period_format', periodIsValid('period')),
    check('allocations_amount_non_negative', nonNegative('amount_sek')),
    check('allocations_rate_non_negative', nonNegative('rate_sek')),
    check('allocations_rate_max_non_negative', nonNegative('rate_max_sek')),
    check('allocations_cap_non_negative', nonNegative('cap_sek')),
    check(
      'allocations_has_amount_rate_or_cap',
      sql`${table.amountSek} IS NOT NULL OR ${table.rateSek} IS NOT NULL OR ${table.capSek} IS NOT NULL`,
    ),
    check('allocations_cap_has_unit', sql`${table.capSek} IS NULL OR ${table.capUnit} IS NOT NULL`),
    check('allocations_rate_has_unit', sql`${table.rateSek} IS NULL OR ${table.rateUnit} IS NOT NULL`),
    check(
      'allocations_rate_range_ordered',
      sql`${table.rateMaxSek} IS NULL OR (${table.rateSek} IS NOT NULL AND ${table.rateSek} <= ${table.rateMaxSek})`,
    ),
    check('allocations_has_source', sql`${table.grantId} IS NOT NULL OR ${table.programmeId} IS NOT NULL`),
  ],
);
