import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  index,
  pgEnum,
  pgTable,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { bookkeeping, id } from './columns.ts';
import { regions } from './regions.ts';

export const organisationKind = pgEnum('organisation_kind', [
  'regional_council',
  'board',
  'committee',
  'steering_group',
  'administration',
  'operational_area',
  'health_centre',
  'municipality',
  'national_body',
  'working_group',
  'auditor',
  'other',
]);

export const ownership = pgEnum('ownership', ['public', 'private']);

/**
 * Every body that appears in the records: boards (nämnd), committees (beredning), steering
 * groups, administrations, health centres (vårdcentral), municipalities (kommun), national
 * bodies. A committee's parent is its board.
 */
export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    kind: organisationKind('kind').notNull(),
    name: text('name').notNull(),
    /** Short forms and OCR spellings met in the documents ("HSN", "hilso- och sjukvardsnimnden"), so search finds them. */
    aliases: text('aliases')
      .array()
      .notNull()
      .default(sql`ARRAY[]::text[]`),
    /** Null for national bodies (Socialstyrelsen, SKR). */
    regionId: uuid('region_id').references(() => regions.id),
    parentId: uuid('parent_id').references((): AnyPgColumn => organisations.id),
    /** Public or private: health centres under vårdval are either. */
    ownership: ownership('ownership'),
    /** Swedish organisation number (organisationsnummer), "NNNNNN-NNNN". */
    organisationNumber: text('organisation_number'),
    /** SCB municipality code (kommunkod), for organisations of kind municipality. */
    municipalityCode: text('municipality_code'),
    /** Kolada's id of an organisational unit ("V45E078000001"), for units imported from Kolada. */
    koladaOuId: text('kolada_ou_id'),
    description: text('description'),
    ...bookkeeping(),
  },
  (table) => [
    index('organisations_region_idx').on(table.regionId),
    index('organisations_parent_idx').on(table.parentId),
    index('organisations_kind_idx').on(table.kind),
    index('organisations_updated_at_idx').on(table.updatedAt),
    index('organisations_name_trgm_idx').using('gin', sql`naravard_unaccent(lower(${table.name})) gin_trgm_ops`),
    uniqueIndex('organisations_municipality_code_key').on(table.municipalityCode),
    uniqueIndex('organisations_organisation_number_key').on(table.organisationNumber),
    uniqueIndex('organisations_kolada_ou_id_key').on(table.koladaOuId),
    check('organisations_municipality_code_format', sql`${table.municipalityCode} ~ '^[0-9]{4}$'`),
    check(
      'organisations_municipality_has_code',
      sql`(${table.kind} = 'municipality') = (${table.municipalityCode} IS NOT NULL)`,
    ),
    check('organisations_organisation_number_format', sql`${table.organisationNumber} ~ '^[0-9]{6}-[0-9]{4}$'`),
    check('organisations_not_own_parent', sql`${table.parentId} IS NULL OR ${table.parentId} <> ${table.id}`),
  ],
);
