import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import * as tables from './schema/index.ts';
import type { EntityType } from './schema/enums.ts';

/** A table of records with the bookkeeping every entity has: an ID, a version, an update time and a tombstone. */
export type EntityTable = PgTable & { id: PgColumn; deletedAt: PgColumn; version: PgColumn; updatedAt: PgColumn };

/**
 * Every entity: its name (the one the API gives its type), its name in citations, topic links and
 * the change log, and its table. One place, so polymorphic links (a citation's subject, a search
 * hit, a change) resolve the same way everywhere. The names are literals: a misspelt one fails the
 * typecheck.
 */
export const ENTITIES = {
  Region: { type: 'region', table: tables.regions },
  Organisation: { type: 'organisation', table: tables.organisations },
  Person: { type: 'person', table: tables.people },
  Membership: { type: 'membership', table: tables.memberships },
  Meeting: { type: 'meeting', table: tables.meetings },
  Participant: { type: 'meeting_participant', table: tables.meetingParticipants },
  AgendaItem: { type: 'agenda_item', table: tables.agendaItems },
  Decision: { type: 'decision', table: tables.decisions },
  Assignment: { type: 'assignment', table: tables.assignments },
  AssignmentReport: { type: 'assignment_report', table: tables.assignmentReports },
  Audit: { type: 'audit', table: tables.audits },
  Recommendation: { type: 'recommendation', table: tables.recommendations },
  AuditResponse: { type: 'audit_response', table: tables.auditResponses },
  RecommendationResponse: { type: 'recommendation_response', table: tables.recommendationResponses },
  GrantProgramme: { type: 'grant_programme', table: tables.grantProgrammes },
  Grant: { type: 'grant', table: tables.grants },
  Allocation: { type: 'allocation', table: tables.allocations },
  Indicator: { type: 'indicator', table: tables.indicators },
  IndicatorTarget: { type: 'indicator_target', table: tables.indicatorTargets },
  Observation: { type: 'observation', table: tables.observations },
  Document: { type: 'document', table: tables.documents },
  Topic: { type: 'topic', table: tables.topics },
  Citation: { type: 'citation', table: tables.citations },
} as const satisfies Record<string, { type: EntityType; table: EntityTable }>;

/** An entity's name: a literal, so a misspelt one fails the typecheck. */
export type EntityName = keyof typeof ENTITIES;

/** Whether a name that comes from outside the code (a global ID, a type name in a request) is an entity's. */
export function isEntityName(name: string): name is EntityName {
  return Object.hasOwn(ENTITIES, name);
}

/** The entity a name from outside the code names; an error for a name that is none. */
export function entityNamed(name: string): EntityName {
  if (!isEntityName(name)) throw new Error(`${name} is not an entity type`);
  return name;
}

/** The entity type of an entity name ("AgendaItem" → "agenda_item"). */
export function entityTypeOf(name: string): EntityType {
  return ENTITIES[entityNamed(name)].type;
}
