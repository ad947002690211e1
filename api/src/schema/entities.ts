import { ENTITIES, type EntityName, type EntityTable, type EntityType, isEntityName } from '@naravard/db';
import { brandWithType, type ObjectRef } from '@pothos/core';
import { type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from 'graphql';
import type { Context } from '../context.ts';
import { loadNode, rowLoader } from '../loaders.ts';
import { selectionOfType } from '../selection.ts';
import * as refs from './refs.ts';

// biome-ignore lint: the registry holds refs of every row type
type AnyRef = ObjectRef<any, any>;

/**
 * Each entity's GraphQL type (the entities themselves, their tables and their names in the
 * database, are db's: `ENTITIES`). Every entity has one: the check is the `satisfies`.
 */
const REFS = {
  Region: refs.Region,
  Organisation: refs.Organisation,
  Person: refs.Person,
  Membership: refs.Membership,
  Meeting: refs.Meeting,
  Participant: refs.Participant,
  AgendaItem: refs.AgendaItem,
  Decision: refs.Decision,
  Assignment: refs.Assignment,
  AssignmentReport: refs.AssignmentReport,
  Audit: refs.Audit,
  Recommendation: refs.Recommendation,
  AuditResponse: refs.AuditResponse,
  RecommendationResponse: refs.RecommendationResponse,
  GrantProgramme: refs.GrantProgramme,
  Grant: refs.Grant,
  Allocation: refs.Allocation,
  Indicator: refs.Indicator,
  IndicatorTarget: refs.IndicatorTarget,
  Observation: refs.Observation,
  Document: refs.Document,
  Topic: refs.Topic,
  Citation: refs.Citation,
} as const satisfies Record<EntityName, AnyRef>;

const BY_ENTITY_TYPE = new Map<EntityType, { table: EntityTable; ref: AnyRef }>(
  (Object.keys(ENTITIES) as EntityName[]).map((name) => [ENTITIES[name].type, { table: ENTITIES[name].table, ref: REFS[name] }]),
);

/**
 * Loads the record an (entity type, id) pair names, batched per table, and brands it with its
 * GraphQL type so it can be returned where an interface or union is expected.
 */
export async function loadEntity(context: Context, type: EntityType, id: string, info?: GraphQLResolveInfo): Promise<object | null> {
  const entity = BY_ENTITY_TYPE.get(type);
  if (!entity) return null;
  // With the resolving field's `info`, only the columns and lists its query selects from this type are read.
  const row = info ? await loadNode<{ id: string }>(context, entity.table, id, info, entity.ref.name) : await rowLoader<{ id: string }>(context, entity.table).load(id);
  if (row) brandWithType(row, entity.ref as never);
  return row;
}

/**
 * The record an (entity type, id) pair names, as much of it as a query that selects only its
 * identity from it (`id`, `__typename`) needs: its ID, branded with its GraphQL type, read from no
 * table. Null when the query selects more of it. Only for a caller that has just found the record
 * live in a statement of its own (a search hit): nothing here checks that it exists.
 */
export function identityOf(type: EntityType, id: string, info: GraphQLResolveInfo): object | null {
  const entity = BY_ENTITY_TYPE.get(type);
  if (!entity) return null;
  const selection = selectionOfType(info, entity.ref.name);
  if (!selection) return null;
  for (const field of selection.fields) if (field !== 'id' && field !== '__typename') return null;
  const record = { id };
  brandWithType(record, entity.ref as never);
  return record;
}

const implementersBySchema = new WeakMap<GraphQLSchema, Map<string, EntityName[]>>();

/**
 * The entity types whose GraphQL type implements an interface in the built schema ("Cited": the
 * records that carry citations, "Tagged": those that can be tagged), worked out once per schema.
 */
export function entitiesImplementing(schema: GraphQLSchema, interfaceName: string): EntityName[] {
  let byInterface = implementersBySchema.get(schema);
  if (!byInterface) {
    byInterface = new Map();
    implementersBySchema.set(schema, byInterface);
  }
  let names = byInterface.get(interfaceName);
  if (!names) {
    names = Object.keys(ENTITIES).filter(isEntityName).filter((name) => {
      const type = schema.getType(name);
      return isObjectType(type) && type.getInterfaces().some((face) => face.name === interfaceName);
    });
    byInterface.set(interfaceName, names);
  }
  return names;
}
