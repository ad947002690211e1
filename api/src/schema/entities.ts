import { type EntityType, tables } from '@naravard/db';
import { brandWithType, type ObjectRef } from '@pothos/core';
import { type GraphQLResolveInfo, type GraphQLSchema, isObjectType } from 'graphql';
import type { Context } from '../context.ts';
import { type EntityTable, loadNode, rowLoader } from '../loaders.ts';
import * as refs from './refs.ts';

// biome-ignore lint: the registry holds refs of every row type
type AnyRef = ObjectRef<any, any>;

interface Entity {
  type: EntityType;
  table: EntityTable;
  ref: AnyRef;
}

/**
 * Every entity type: its name in citations, topic links and the change log, its table and its
 * GraphQL type. One place, so polymorphic links (a citation's subject, a search hit, a change)
 * resolve the same way everywhere.
 */
export const ENTITIES = {
  Region: { type: 'region', table: tables.regions, ref: refs.Region },
  Organisation: { type: 'organisation', table: tables.organisations, ref: refs.Organisation },
  Person: { type: 'person', table: tables.people, ref: refs.Person },
  Membership: { type: 'membership', table: tables.memberships, ref: refs.Membership },
  Meeting: { type: 'meeting', table: tables.meetings, ref: refs.Meeting },
  Participant: { type: 'meeting_participant', table: tables.meetingParticipants, ref: refs.Participant },
  AgendaItem: { type: 'agenda_item', table: tables.agendaItems, ref: refs.AgendaItem },
  Decision: { type: 'decision', table: tables.decisions, ref: refs.Decision },
  Assignment: { type: 'assignment', table: tables.assignments, ref: refs.Assignment },
  AssignmentReport: { type: 'assignment_report', table: tables.assignmentReports, ref: refs.AssignmentReport },
  Audit: { type: 'audit', table: tables.audits, ref: refs.Audit },
  Recommendation: { type: 'recommendation', table: tables.recommendations, ref: refs.Recommendation },
  AuditResponse: { type: 'audit_response', table: tables.auditResponses, ref: refs.AuditResponse },
  RecommendationResponse: { type: 'recommendation_response', table: tables.recommendationResponses, ref: refs.RecommendationResponse },
  GrantProgramme: { type: 'grant_programme', table: tables.grantProgrammes, ref: refs.GrantProgramme },
  Grant: { type: 'grant', table: tables.grants, ref: refs.Grant },
  Allocation: { type: 'allocation', table: tables.allocations, ref: refs.Allocation },
  Indicator: { type: 'indicator', table: tables.indicators, ref: refs.Indicator },
  IndicatorTarget: { type: 'indicator_target', table: tables.indicatorTargets, ref: refs.IndicatorTarget },
  Observation: { type: 'observation', table: tables.observations, ref: refs.Observation },
  Document: { type: 'document', table: tables.documents, ref: refs.Document },
  Topic: { type: 'topic', table: tables.topics, ref: refs.Topic },
  Citation: { type: 'citation', table: tables.citations, ref: refs.Citation },
} as const satisfies Record<string, Entity>;

/** An entity's name, its GraphQL type's: a literal, so a misspelt one fails the typecheck. */
export type EntityName = keyof typeof ENTITIES;

/** Whether a name that comes from outside the code (a global ID, a schema type) is an entity's. */
export function isEntityName(name: string): name is EntityName {
  return Object.hasOwn(ENTITIES, name);
}

/** The entity a name from outside the code names; an error for a name that is none. */
export function entityNamed(name: string): EntityName {
  if (!isEntityName(name)) throw new Error(`${name} is not an entity type`);
  return name;
}

const BY_ENTITY_TYPE = new Map<EntityType, Entity>(Object.values(ENTITIES).map((entity) => [entity.type, entity]));

/** The entity type of a GraphQL type name ("AgendaItem" → "agenda_item"). */
export function entityTypeOf(typeName: string): EntityType {
  return ENTITIES[entityNamed(typeName)].type;
}

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
