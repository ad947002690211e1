import { tables } from '@naravard/db';
import { and, eq, gte, ilike, isNull, or, type SQL } from 'drizzle-orm';
import { builder } from '../builder.ts';
import { paginateTable } from '../pagination.ts';
import { entityNode } from './nodes.ts';
import { rules } from '../writes.ts';
import { updateField } from '../mutation-fields.ts';
import { ruledPatch } from '../ruled-inputs.ts';
import { Region, type RegionRow } from './refs.ts';

builder.node(Region, {
  ...entityNode<RegionRow>(tables.regions),
  description: 'One of the 21 Swedish regions (region), responsible for health care in its county (län).',
  fields: (t) => ({
    code: t.exposeString('code', { description: 'SCB county code (länskod), two digits: "07" is Kronoberg.' }),
    name: t.exposeString('name', { description: 'The regional authority: "Region Kronoberg".' }),
    countyName: t.exposeString('countyName', { description: 'The county (län): "Kronobergs län".' }),
    isoCode: t.exposeString('isoCode', { description: 'ISO 3166-2 code: "SE-G".' }),
  }),
});

const RegionFilter = builder.inputType('RegionFilter', {
  description: 'Narrows the list of regions.',
  fields: (t) => ({
    text: t.string({ description: 'Part of the region or county name, any case ("kron").' }),
    updatedSince: t.field({ type: 'DateTime', description: 'Only regions changed at or after this instant.' }),
  }),
});

const RegionOrder = builder.enumType('RegionOrder', {
  description: 'Orders of the region list.',
  values: {
    CODE: { description: 'By county code, ascending (the official order).' },
    NAME: { description: 'By name, ascending.' },
    UPDATED_AT: { description: 'By last change, oldest first: the order for incremental refresh.' },
  },
});

builder.queryFields((t) => ({
  regions: t.connection({
    type: Region,
    description: 'The 21 regions.',
    args: {
      filter: t.arg({ type: RegionFilter, description: 'Which regions.' }),
      orderBy: t.arg({ type: RegionOrder, defaultValue: 'CODE', description: 'In which order.' }),
    },
    resolve: (_root, args, context) => {
      const { filter } = args;
      const conditions: (SQL | undefined)[] = [isNull(tables.regions.deletedAt)];
      if (filter?.text) {
        const pattern = `%${filter.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        conditions.push(or(ilike(tables.regions.name, pattern), ilike(tables.regions.countyName, pattern)));
      }
      if (filter?.updatedSince) conditions.push(gte(tables.regions.updatedAt, filter.updatedSince));
      const orderColumn = {
        CODE: tables.regions.code,
        NAME: tables.regions.name,
        UPDATED_AT: tables.regions.updatedAt,
      }[args.orderBy ?? 'CODE'];
      return paginateTable<RegionRow>({
        db: context.db,
        table: tables.regions,
        where: and(...conditions),
        order: [{ column: orderColumn, direction: 'asc' }],
        args,
      });
    },
  }),
  region: t.field({
    type: Region,
    nullable: true,
    description: 'A region by its SCB county code ("07"), or null if there is none.',
    args: { code: t.arg.string({ required: true, description: 'Two-digit SCB county code.' }) },
    resolve: async (_root, { code }, context) => {
      const [row] = await context.db
        .select()
        .from(tables.regions)
        .where(and(eq(tables.regions.code, code), isNull(tables.regions.deletedAt)));
      return row ?? null;
    },
  }),
}));

// ─── Writes ──────────────────────────────────────────────────────────────────
//
// Regions are reference data (the 21 regions, keyed by SCB county code): they are neither
// created nor deleted through the API, and their codes never change. An admin may correct a
// name.

const RegionPatch = ruledPatch('RegionPatch', {
  description: 'Names of a region to correct; fields left out stay as they are. Codes are fixed.',
  fields: {
    name: { type: 'String', description: 'The regional authority: "Region Kronoberg" (at most 200 characters).', rule: rules.text(200) },
    countyName: { type: 'String', description: 'The county (län): "Kronobergs län" (at most 200 characters).', rule: rules.text(200) },
  },
});

builder.mutationFields((t) => ({
  updateRegion: updateField(t, {
    ref: Region,
    description:
      "Corrects a region's name or county name. Regions are reference data, so this needs the `admin` scope. `version` must be the one you read.",
    scope: 'admin',
    idDescription: 'The region.',
    patch: RegionPatch,
    patchDescription: 'The names to change.',
  }),
}));
