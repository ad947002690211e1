import { tables } from '@naravard/db';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import { builder } from '../../builder.ts';
import { databaseEnum } from '../../enums.ts';
import { allOf, takesNames, lifecycleConditions, lifecycleFilterFields, referenceIs, regionIs, textMatches } from '../../filters.ts';
import { loadChildren, loadReference } from '../../loaders.ts';
import { entityNode } from '../nodes.ts';
import { filteredList, type OrderKey } from '../../pagination.ts';
import { Membership, type MembershipRow, Organisation, type OrganisationRow, Region, type RegionRow } from '../refs.ts';

/* Organisations as nodes, their lists and root fields, and the organisations of a region. */

export const OrganisationKind = databaseEnum('OrganisationKind', 'What kind of body an organisation is.', {
  regional_council: 'The regional council (regionfullmäktige) or the region as a whole.',
  board: 'A board (nämnd, styrelse), e.g. the health and medical care board (hälso- och sjukvårdsnämnden).',
  committee: 'A committee (beredning, utskott, råd) preparing matters for a board.',
  steering_group: 'A steering group or management group (styrgrupp, ledningsgrupp).',
  administration: 'An administration (förvaltning) or a large unit of one.',
  operational_area: 'An operational area or clinic (verksamhetsområde, område, klinik).',
  health_centre: 'A health centre (vårdcentral) or a group of them, public or private.',
  municipality: 'A municipality (kommun); all 290 are present, with their SCB code.',
  national_body: 'A national body (Socialstyrelsen, SKR, the government).',
  working_group: 'A working group (arbetsgrupp, processgrupp, referensgrupp).',
  auditor: 'Auditors (revisorer) of a region.',
  other: 'Any other body: a unit, a team, a registry.',
});

export const Ownership = databaseEnum('Ownership', 'Who runs an organisation: health centres under vårdval are public or private.', {
  public: 'Run by the region (offentligt driven).',
  private: 'Run privately (privat driven).',
});

builder.node(Organisation, {
  ...entityNode<OrganisationRow>(tables.organisations),
  description:
    'A body in the records: board (nämnd), committee (beredning), steering group (styrgrupp), administration (förvaltning), health centre (vårdcentral), municipality (kommun), national body.',
  fields: (t) => ({
    kind: t.expose('kind', { type: OrganisationKind, description: 'What kind of body it is.' }),
    name: t.exposeString('name', { description: 'The name as the records give it, corrected ("Hälso- och sjukvårdsnämnden").' }),
    aliases: t.exposeStringList('aliases', {
      description: 'Short forms and damaged (OCR) spellings met in the documents ("HSN", "hilso- och sjukvardsnimnden").',
    }),
    region: t.field({
      type: Region,
      nullable: true,
      description: 'The region the body belongs to; null for national bodies.',
      resolve: (organisation, _args, context, info) => loadReference<RegionRow>(context, tables.regions, organisation.regionId, info),
    }),
    parent: t.field({
      type: Organisation,
      nullable: true,
      description: 'The body this one sits under: a committee’s board, a health centre’s operator.',
      resolve: (organisation, _args, context, info) =>
        loadReference<OrganisationRow>(context, tables.organisations, organisation.parentId, info),
    }),
    children: t.field({
      type: [Organisation],
      description: 'The bodies directly under this one, by name.',
      resolve: (organisation, _args, context) =>
        loadChildren<OrganisationRow>(
          context,
          {
            table: tables.organisations,
            foreignKey: tables.organisations.parentId,
            orderBy: [asc(tables.organisations.name), asc(tables.organisations.id)],
          },
          organisation.id,
        ),
    }),
    ownership: t.expose('ownership', {
      type: Ownership,
      nullable: true,
      description: 'Public or private, where the records say (health centres); null otherwise.',
    }),
    organisationNumber: t.exposeString('organisationNumber', {
      nullable: true,
      description: 'Swedish organisation number (organisationsnummer), "NNNNNN-NNNN".',
    }),
    municipalityCode: t.exposeString('municipalityCode', {
      nullable: true,
      description: 'SCB municipality code (kommunkod), four digits ("0780" is Växjö); only for municipalities.',
    }),
    description: t.exposeString('description', { nullable: true, description: 'What the body is and does, from the records.' }),
    memberships: t.field({
      type: [Membership],
      description: 'The people named as members or office-holders of this body, with their titles.',
      resolve: (organisation, _args, context) =>
        loadChildren<MembershipRow>(
          context,
          {
            table: tables.memberships,
            foreignKey: tables.memberships.organisationId,
            orderBy: [asc(tables.memberships.personId), asc(tables.memberships.id)],
          },
          organisation.id,
        ),
    }),
  }),
});

// ---------------------------------------------------------------------------------------------
// Organisation lists

const OrganisationFilter = builder.inputType('OrganisationFilter', {
  description: 'Narrows a list of organisations. Conditions combine with AND.',
  fields: (t) => ({
    region: t.string({ description: 'The region: SCB county code ("07") or name ("Örebro", "Region Örebro län"), case and accents ignored.' }),
    kind: t.field({ type: [OrganisationKind], description: 'Any of these kinds.' }),
    ownership: t.field({ type: Ownership, description: 'Only public or only private bodies.' }),
    parent: t.id({ ...takesNames, description: 'Directly under this body: its Organisation ID or name (within `region` when given).' }),
    text: t.string({ description: 'Words in the name or any alias, matched as `search` matches them: whole words in any inflection, accents and case ignored, every word required ("quoted phrase", `or`, -word) ("halso- och sjukvardsnamnden").' }),
    ...lifecycleFilterFields(t),
  }),
});

const OrganisationOrder = builder.enumType('OrganisationOrder', {
  description: 'Orders of an organisation list; ties are broken by ID so paging is stable.',
  values: {
    NAME: { description: 'By name, ascending (the default).' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

type OrganisationFilterShape = typeof OrganisationFilter.$inferInput;

function organisationConditions(filter: OrganisationFilterShape | null | undefined) {
  const o = tables.organisations;
  return allOf([
    ...lifecycleConditions(o, filter),
    regionIs(o.regionId, filter?.region),
    filter?.kind?.length ? inArray(o.kind, filter.kind) : undefined,
    filter?.ownership ? eq(o.ownership, filter.ownership) : undefined,
    referenceIs(o.parentId, filter?.parent, 'Organisation', 'parent'),
    textMatches([o.name, sql`array_to_string(${o.aliases}, ' ')`], filter?.text),
  ]);
}

function organisationOrder(order: string | null | undefined): OrderKey[] {
  const o = tables.organisations;
  if (order === 'UPDATED_AT') return [{ column: o.updatedAt, direction: 'asc' }];
  return [{ column: o.name, direction: 'asc' }];
}

const organisationList = filteredList<OrganisationRow, OrganisationFilterShape>({ table: tables.organisations, where: organisationConditions, order: organisationOrder });

const organisationListArgs = builder.args((t) => ({
  filter: t.field({ type: OrganisationFilter, description: 'Which organisations.' }),
  orderBy: t.field({ type: OrganisationOrder, defaultValue: 'NAME', description: 'In which order.' }),
}));

builder.queryFields((t) => ({
  organisations: t.connection({
    type: Organisation,
    description:
      'Organisations across regions: boards, committees, steering groups, administrations, health centres, the 290 municipalities and national bodies.',
    args: organisationListArgs,
    resolve: (_root, args, context, info) => organisationList.page(context, args, info),
  }),
}));

builder.objectField(Region, 'organisations', (t) =>
  t.connection({
    type: Organisation,
    description: "The region's organisations, its municipalities included.",
    args: organisationListArgs,
    resolve: (region, args, context, info) => organisationList.pageOf(context, tables.organisations.regionId, region.id, args, info),
  }),
);
