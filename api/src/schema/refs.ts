import type { tables } from '@naravard/db';
import { builder } from '../builder.ts';

/**
 * Every GraphQL object type of the domain, declared once here and implemented in its domain
 * module, so that modules can refer to each other's types without importing each other.
 */
type Row<T extends { $inferSelect: unknown }> = T['$inferSelect'];

export type RegionRow = Row<typeof tables.regions>;
export type OrganisationRow = Row<typeof tables.organisations>;
export type PersonRow = Row<typeof tables.people>;
export type MembershipRow = Row<typeof tables.memberships>;
export type MeetingRow = Row<typeof tables.meetings>;
export type ParticipantRow = Row<typeof tables.meetingParticipants>;
export type AgendaItemRow = Row<typeof tables.agendaItems>;
export type DecisionRow = Row<typeof tables.decisions>;
export type AssignmentRow = Row<typeof tables.assignments>;
export type AssignmentReportRow = Row<typeof tables.assignmentReports>;
export type AuditRow = Row<typeof tables.audits>;
export type RecommendationRow = Row<typeof tables.recommendations>;
export type AuditResponseRow = Row<typeof tables.auditResponses>;
export type RecommendationResponseRow = Row<typeof tables.recommendationResponses>;
export type GrantProgrammeRow = Row<typeof tables.grantProgrammes>;
export type GrantRow = Row<typeof tables.grants>;
export type AllocationRow = Row<typeof tables.allocations>;
export type IndicatorRow = Row<typeof tables.indicators>;
export type IndicatorTargetRow = Row<typeof tables.indicatorTargets>;
export type ObservationRow = Row<typeof tables.observations>;
export type DocumentRow = Row<typeof tables.documents>;
export type CitationRow = Row<typeof tables.citations>;
export type TopicRow = Row<typeof tables.topics>;

export const Region = builder.objectRef<RegionRow>('Region');
export const Organisation = builder.objectRef<OrganisationRow>('Organisation');
export const Person = builder.objectRef<PersonRow>('Person');
export const Membership = builder.objectRef<MembershipRow>('Membership');
export const Meeting = builder.objectRef<MeetingRow>('Meeting');
export const Participant = builder.objectRef<ParticipantRow>('Participant');
export const AgendaItem = builder.objectRef<AgendaItemRow>('AgendaItem');
export const Decision = builder.objectRef<DecisionRow>('Decision');
export const Assignment = builder.objectRef<AssignmentRow>('Assignment');
export const AssignmentReport = builder.objectRef<AssignmentReportRow>('AssignmentReport');
export const Audit = builder.objectRef<AuditRow>('Audit');
export const Recommendation = builder.objectRef<RecommendationRow>('Recommendation');
export const AuditResponse = builder.objectRef<AuditResponseRow>('AuditResponse');
export const RecommendationResponse = builder.objectRef<RecommendationResponseRow>('RecommendationResponse');
export const GrantProgramme = builder.objectRef<GrantProgrammeRow>('GrantProgramme');
export const Grant = builder.objectRef<GrantRow>('Grant');
export const Allocation = builder.objectRef<AllocationRow>('Allocation');
export const Indicator = builder.objectRef<IndicatorRow>('Indicator');
export const IndicatorTarget = builder.objectRef<IndicatorTargetRow>('IndicatorTarget');
export const Observation = builder.objectRef<ObservationRow>('Observation');
export const Document = builder.objectRef<DocumentRow>('Document');
export const Citation = builder.objectRef<CitationRow>('Citation');
export const Topic = builder.objectRef<TopicRow>('Topic');
export { Searchable } from './searchable.ts';
export { headingOf } from './searchable.ts';
