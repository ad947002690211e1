import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Database, Transaction } from '../connect.ts';
import { readReferenceData } from '../reference.ts';
import * as t from '../schema/index.ts';
import type { EntityType } from '../schema/enums.ts';
import type { SeedCitation, SeedFile } from './format.ts';
import { idFor, municipalityKey, regionKey, topicKey } from './keys.ts';
import { readSeedSet, type SeedDocument, type SeedSet } from './read.ts';
import { upsertById } from './upsert.ts';

const idOrNull = (key: string | null) => (key === null ? null : idFor(key));
/** A seed date ("2023-09-07", "2022-12" or "2022") as its first day and its precision. */
export function datePrecisionOf(value: string | null): { date: string | null; precision: 'day' | 'month' | 'year' } {
  if (value === null) return { date: null, precision: 'day' };
  if (value.length === 4) return { date: `${value}-01-01`, precision: 'year' };
  if (value.length === 7) return { date: `${value}-01`, precision: 'month' };
  return { date: value, precision: 'day' };
}

const regionIdOrNull = (code: string | null) => (code === null ? null : idFor(regionKey(code)));

export interface LoadSummary {
  /** Rows inserted and updated, by table. Zero everywhere when the data set was already loaded. */
  tables: Record<string, { inserted: number; updated: number }>;
}

/** Loads the 21 regions and 290 municipalities; running it again changes nothing. */
export async function loadReferenceData(tx: Database | Transaction, summary: LoadSummary = { tables: {} }) {
  const { counties, municipalities } = readReferenceData();
  summary.tables.regions = await upsertById(
    tx,
    t.regions,
    counties.map((county) => ({
      id: idFor(regionKey(county.code)),
      code: county.code,
      name: county.regionName,
      countyName: county.countyName,
      isoCode: county.isoCode,
    })),
  );
  summary.tables.municipalities = await upsertById(
    tx,
    t.organisations,
    municipalities.map((municipality) => ({
      id: idFor(municipalityKey(municipality.code)),
      kind: 'municipality' as const,
      name: municipality.name,
      aliases: [],
      regionId: idFor(regionKey(municipality.countyCode)),
      parentId: null,
      ownership: 'public' as const,
      organisationNumber: null,
      municipalityCode: municipality.code,
      description: null,
    })),
  );
  return summary;
}

interface PendingCitation {
  documentKey: string;
  entityType: EntityType;
  entityKey: string;
  citation: SeedCitation;
  index: number;
}

/** Collects records from all seed files into rows, merging organisations and people named in several files. */
class SeedRows {
  organisations = new Map<string, typeof t.organisations.$inferInsert & { parentKey: string | null }>();
  people = new Map<string, typeof t.people.$inferInsert>();
  memberships: (typeof t.memberships.$inferInsert)[] = [];
  documents: (typeof t.documents.$inferInsert)[] = [];
  meetings: (typeof t.meetings.$inferInsert)[] = [];
  participants: (typeof t.meetingParticipants.$inferInsert)[] = [];
  agendaItems: (typeof t.agendaItems.$inferInsert)[] = [];
  decisions: (typeof t.decisions.$inferInsert)[] = [];
  assignments: (typeof t.assignments.$inferInsert)[] = [];
  assignmentReports: (typeof t.assignmentReports.$inferInsert)[] = [];
  audits: (typeof t.audits.$inferInsert)[] = [];
  recommendations: (typeof t.recommendations.$inferInsert)[] = [];
  auditResponses: (typeof t.auditResponses.$inferInsert)[] = [];
  recommendationResponses: (typeof t.recommendationResponses.$inferInsert)[] = [];
  grantProgrammes: (typeof t.grantProgrammes.$inferInsert)[] = [];
  grants: (typeof t.grants.$inferInsert)[] = [];
  allocations: (typeof t.allocations.$inferInsert)[] = [];
  indicators: (typeof t.indicators.$inferInsert)[] = [];
  indicatorTargets: (typeof t.indicatorTargets.$inferInsert)[] = [];
  observations: (typeof t.observations.$inferInsert)[] = [];
  citations: PendingCitation[] = [];
  topicLinks: (typeof t.topicLinks.$inferInsert)[] = [];

  /** The document whose file is being collected: citations without a document cite it. */
  documentKey = '';

  cite(entityType: EntityType, entityKey: string, citations: SeedCitation[]) {
    citations.forEach((citation, index) =>
      this.citations.push({ documentKey: citation.document ?? this.documentKey, entityType, entityKey, citation, index }),
    );
  }

  tag(entityType: EntityType, entityKey: string, slugs: string[]) {
    for (const slug of new Set(slugs)) {
      this.topicLinks.push({
        id: idFor(`${entityKey}#topic:${slug}`),
        topicId: idFor(topicKey(slug)),
        entityType,
        entityId: idFor(entityKey),
      });
    }
  }
}

function collect(rows: SeedRows, document: SeedDocument) {
  const seed: SeedFile = document.seed;
  const d = seed.document;
  rows.documents.push({
    id: idFor(d.key),
    title: d.title,
    kind: d.kind,
    regionId: regionIdOrNull(d.region),
    issuedById: idOrNull(d.issuedBy),
    issuedOn: d.issuedOn,
    registryNumber: d.registryNumber,
    origin: d.origin,
    textSha256: document.sha256,
    text: document.text,
  });
  rows.tag('document', d.key, d.topics);

  for (const o of seed.organisations) {
    const earlier = rows.organisations.get(o.key);
    if (earlier) {
      earlier.aliases = [...new Set([...(earlier.aliases ?? []), ...o.aliases])];
    } else {
      rows.organisations.set(o.key, {
        id: idFor(o.key),
        kind: o.kind,
        name: o.name,
        aliases: o.aliases,
        regionId: regionIdOrNull(o.region),
        parentId: idOrNull(o.parent),
        parentKey: o.parent,
        ownership: o.ownership,
        organisationNumber: o.organisationNumber,
        municipalityCode: null,
        description: o.description,
      });
    }
    rows.cite('organisation', o.key, o.cite);
  }
  for (const p of seed.people) {
    const earlier = rows.people.get(p.key);
    if (earlier) earlier.aliases = [...new Set([...(earlier.aliases ?? []), ...p.aliases])];
    else rows.people.set(p.key, { id: idFor(p.key), name: p.name, aliases: p.aliases });
    rows.cite('person', p.key, p.cite);
  }
  for (const m of seed.memberships) {
    rows.memberships.push({
      id: idFor(m.key),
      personId: idFor(m.person),
      organisationId: idFor(m.organisation),
      title: m.title,
      startedOn: m.startedOn,
      endedOn: m.endedOn,
    });
    rows.cite('membership', m.key, m.cite);
  }
  for (const m of seed.meetings) {
    rows.meetings.push({
      id: idFor(m.key),
      title: m.title,
      kind: m.kind,
      organisationId: idOrNull(m.organisation),
      regionId: regionIdOrNull(m.region),
      heldOn: m.heldOn,
      startsAt: m.startsAt,
      endsAt: m.endsAt,
      place: m.place,
    });
    rows.cite('meeting', m.key, m.cite);
    rows.tag('meeting', m.key, m.topics);
    for (const p of m.participants) {
      rows.participants.push({
        id: idFor(p.key),
        meetingId: idFor(m.key),
        personId: idOrNull(p.person),
        organisationId: idOrNull(p.organisation),
        role: p.role,
        title: p.title,
      });
      rows.cite('meeting_participant', p.key, p.cite);
    }
    for (const item of m.agendaItems) {
      rows.agendaItems.push({
        id: idFor(item.key),
        meetingId: idFor(m.key),
        ordinal: item.ordinal,
        title: item.title,
        summary: item.summary,
      });
      rows.cite('agenda_item', item.key, item.cite);
      rows.tag('agenda_item', item.key, item.topics);
      for (const decision of item.decisions) {
        rows.decisions.push({
          id: idFor(decision.key),
          kind: decision.kind,
          title: decision.title,
          text: decision.text,
          decidedOn: datePrecisionOf(decision.decidedOn ?? m.heldOn).date,
          decidedOnPrecision: datePrecisionOf(decision.decidedOn ?? m.heldOn).precision,
          decidedById: idOrNull(decision.decidedBy ?? m.organisation),
          meetingId: idFor(m.key),
          agendaItemId: idFor(item.key),
          regionId: regionIdOrNull(decision.region ?? m.region),
        });
        rows.cite('decision', decision.key, decision.cite);
        rows.tag('decision', decision.key, decision.topics);
      }
    }
  }
  for (const decision of seed.decisions) {
    rows.decisions.push({
      id: idFor(decision.key),
      kind: decision.kind,
      title: decision.title,
      text: decision.text,
      decidedOn: datePrecisionOf(decision.decidedOn).date,
      decidedOnPrecision: datePrecisionOf(decision.decidedOn).precision,
      decidedById: idOrNull(decision.decidedBy),
      meetingId: idOrNull(decision.meeting),
      agendaItemId: null,
      regionId: regionIdOrNull(decision.region),
    });
    rows.cite('decision', decision.key, decision.cite);
    rows.tag('decision', decision.key, decision.topics);
  }
  for (const a of seed.assignments) {
    rows.assignments.push({
      id: idFor(a.key),
      reference: a.reference,
      title: a.title,
      description: a.description,
      issuedById: idOrNull(a.issuedBy),
      assigneeOrganisationId: idOrNull(a.assigneeOrganisation),
      assigneePersonId: idOrNull(a.assigneePerson),
      originDecisionId: idOrNull(a.originDecision),
      // Filled from the origin decision's meeting once every file is collected (see `load`).
      meetingId: idOrNull(a.meeting),
      relatedDecisionId: idOrNull(a.relatedDecision),
      origin: a.origin,
      regionId: regionIdOrNull(a.region),
      issuedOn: a.issuedOn,
      dueOn: a.dueOn,
      status: a.status,
    });
    rows.cite('assignment', a.key, a.cite);
    rows.tag('assignment', a.key, a.topics);
    for (const r of a.reports) {
      rows.assignmentReports.push({
        id: idFor(r.key),
        assignmentId: idFor(a.key),
        reportedOn: r.reportedOn,
        source: r.source,
        status: r.status,
        forecast: r.forecast,
        text: r.text,
      });
      rows.cite('assignment_report', r.key, r.cite);
    }
  }
  for (const a of seed.audits) {
    rows.audits.push({
      id: idFor(a.key),
      title: a.title,
      auditorId: idOrNull(a.auditor),
      auditedId: idOrNull(a.audited),
      regionId: regionIdOrNull(a.region),
      reportedOn: a.reportedOn,
      summary: a.summary,
    });
    rows.cite('audit', a.key, a.cite);
    rows.tag('audit', a.key, a.topics);
    for (const r of a.recommendations) {
      rows.recommendations.push({ id: idFor(r.key), auditId: idFor(a.key), ordinal: r.ordinal, text: r.text });
      rows.cite('recommendation', r.key, r.cite);
      rows.tag('recommendation', r.key, r.topics);
    }
    for (const response of a.responses) {
      rows.auditResponses.push({
        id: idFor(response.key),
        auditId: idFor(a.key),
        respondentId: idOrNull(response.respondent),
        respondedOn: response.respondedOn,
        documentId: idFor(d.key),
        caseOfficerId: idOrNull(response.caseOfficer),
        signatoryId: idOrNull(response.signatory),
        summary: response.summary,
      });
      rows.cite('audit_response', response.key, response.cite);
      for (const part of response.parts) {
        rows.recommendationResponses.push({
          id: idFor(part.key),
          auditResponseId: idFor(response.key),
          recommendationId: idFor(part.recommendation),
          actionsTaken: part.actionsTaken,
          plannedActions: part.plannedActions,
          timeline: part.timeline,
          otherComments: part.otherComments,
        });
        rows.cite('recommendation_response', part.key, part.cite);
      }
    }
  }
  for (const g of seed.grantProgrammes) {
    rows.grantProgrammes.push({
      id: idFor(g.key),
      name: g.name,
      legalBasis: g.legalBasis,
      grantorId: idOrNull(g.grantor),
      description: g.description,
    });
    rows.cite('grant_programme', g.key, g.cite);
    rows.tag('grant_programme', g.key, g.topics);
  }
  for (const g of seed.grants) {
    rows.grants.push({
      id: idFor(g.key),
      programmeId: idFor(g.programme),
      recipientRegionId: regionIdOrNull(g.recipientRegion),
      recipientOrganisationId: idOrNull(g.recipientOrganisation),
      period: g.period,
      amountSek: g.amountSek,
      amountIsApproximate: g.amountIsApproximate,
      status: g.status,
      requisitionDueOn: g.requisitionDueOn,
      description: g.description,
    });
    rows.cite('grant', g.key, g.cite);
  }
  for (const a of seed.allocations) {
    rows.allocations.push({
      id: idFor(a.key),
      grantId: idOrNull(a.grant),
      programmeId: idOrNull(a.programme),
      fromOrganisationId: idOrNull(a.fromOrganisation),
      recipientOrganisationId: idOrNull(a.recipientOrganisation),
      recipientDescription: a.recipientDescription,
      regionId: regionIdOrNull(a.region),
      period: a.period,
      amountSek: a.amountSek,
      rateSek: a.rateSek,
      rateMaxSek: a.rateMaxSek,
      rateUnit: a.rateUnit,
      capSek: a.capSek,
      capUnit: a.capUnit,
      paidOn: a.paidOn,
      description: a.description,
    });
    rows.cite('allocation', a.key, a.cite);
  }
  for (const i of seed.indicators) {
    rows.indicators.push({
      id: idFor(i.key),
      code: i.code,
      name: i.name,
      description: i.description,
      unit: i.unit,
      direction: i.direction,
      sourceSystem: i.sourceSystem,
      koladaKpiId: i.koladaKpiId,
    });
    rows.cite('indicator', i.key, i.cite);
    rows.tag('indicator', i.key, i.topics);
    for (const target of i.targets) {
      rows.indicatorTargets.push({
        id: idFor(target.key),
        indicatorId: idFor(i.key),
        comparator: target.comparator,
        value: target.value,
        regionId: regionIdOrNull(target.region),
        validFrom: target.validFrom,
        validTo: target.validTo,
        basis: target.basis,
        description: target.description,
      });
      rows.cite('indicator_target', target.key, target.cite);
    }
  }
  for (const o of seed.observations) {
    rows.observations.push({
      id: idFor(o.key),
      indicatorId: idFor(o.indicator),
      regionId: regionIdOrNull(o.region),
      organisationId: idOrNull(o.organisation),
      period: o.period,
      value: o.value,
      dimensions: o.dimensions,
    });
    rows.cite('observation', o.key, o.cite);
  }
}

/** Organisations ordered so that a parent is inserted before its children. */
function parentsFirst(organisations: Map<string, typeof t.organisations.$inferInsert & { parentKey: string | null }>) {
  const ordered: (typeof t.organisations.$inferInsert)[] = [];
  const placed = new Set<string>();
  const place = (key: string, trail: Set<string>) => {
    if (placed.has(key)) return;
    const organisation = organisations.get(key);
    if (!organisation) return; // a municipality or an organisation already in the database
    if (trail.has(key)) throw new Error(`organisation ${key} is its own ancestor`);
    trail.add(key);
    if (organisation.parentKey) place(organisation.parentKey, trail);
    const { parentKey: _parentKey, ...row } = organisation;
    ordered.push(row);
    placed.add(key);
  };
  for (const key of organisations.keys()) place(key, new Set());
  return ordered;
}

/** Checksum of the shipped data: seed files, their documents and the reference data. */
export function seedChecksum(set: SeedSet): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(readReferenceData()));
  hash.update(JSON.stringify(set.topics));
  for (const document of set.documents) hash.update(JSON.stringify(document.seed)).update(document.sha256);
  return hash.digest('hex');
}

/**
 * Loads the reference data and the curated seed data set in one transaction. Every record's ID
 * comes from its seed key, so loading again updates in place and changes nothing when the data
 * set is the same.
 */
export async function loadSeedData(db: Database, set: SeedSet = readSeedSet()): Promise<LoadSummary> {
  const summary: LoadSummary = { tables: {} };
  const rows = new SeedRows();
  for (const document of set.documents) {
    rows.documentKey = document.key;
    collect(rows, document);
  }
  const documentIds = new Map(set.documents.map((document) => [document.key, idFor(document.key)]));
  // An assignment that comes from a decision taken at a meeting was given at that meeting.
  const decisionMeetings = new Map(rows.decisions.map((decision) => [decision.id, decision.meetingId ?? null]));
  for (const assignment of rows.assignments) {
    assignment.meetingId ??= decisionMeetings.get(assignment.originDecisionId ?? '') ?? null;
  }

  await db.transaction(async (tx) => {
    await loadReferenceData(tx, summary);
    const load = async <T extends Parameters<typeof upsertById>[1]>(name: string, table: T, values: T['$inferInsert'][]) => {
      summary.tables[name] = await upsertById(tx, table, values);
    };
    await load(
      'topics',
      t.topics,
      set.topics.map((topic) => ({ id: idFor(topicKey(topic.slug)), ...topic })),
    );
    await load('organisations', t.organisations, parentsFirst(rows.organisations));
    await load('people', t.people, [...rows.people.values()]);
    await load('memberships', t.memberships, rows.memberships);
    await load('documents', t.documents, rows.documents);
    await load('meetings', t.meetings, rows.meetings);
    await load('meeting_participants', t.meetingParticipants, rows.participants);
    await load('agenda_items', t.agendaItems, rows.agendaItems);
    await load('decisions', t.decisions, rows.decisions);
    await load('assignments', t.assignments, rows.assignments);
    await load('assignment_reports', t.assignmentReports, rows.assignmentReports);
    await load('audits', t.audits, rows.audits);
    await load('recommendations', t.recommendations, rows.recommendations);
    await load('audit_responses', t.auditResponses, rows.auditResponses);
    await load('recommendation_responses', t.recommendationResponses, rows.recommendationResponses);
    await load('grant_programmes', t.grantProgrammes, rows.grantProgrammes);
    await load('grants', t.grants, rows.grants);
    await load('allocations', t.allocations, rows.allocations);
    await load('indicators', t.indicators, rows.indicators);
    await load('indicator_targets', t.indicatorTargets, rows.indicatorTargets);
    await load('observations', t.observations, rows.observations);
    await load(
      'citations',
      t.citations,
      rows.citations.map(({ documentKey, entityType, entityKey, citation, index }) => ({
        id: idFor(`${entityKey}#cite:${documentKey}:${index}`),
        documentId: documentIds.get(documentKey) ?? idFor(documentKey),
        entityType,
        entityId: idFor(entityKey),
        quote: citation.quote,
        lineStart: citation.lines[0],
        lineEnd: citation.lines[1],
      })),
    );
    await load('topic_links', t.topicLinks, rows.topicLinks);
    await tx
      .insert(t.seedRuns)
      .values({ checksum: seedChecksum(set) })
      .onConflictDoNothing();
  });
  return summary;
}

/** True when this exact version of the seed data set has been loaded before. */
export async function isSeedLoaded(db: Database, set: SeedSet = readSeedSet()): Promise<boolean> {
  const found = await db
    .select({ id: t.seedRuns.id })
    .from(t.seedRuns)
    .where(eq(t.seedRuns.checksum, seedChecksum(set)))
    .limit(1);
  return found.length > 0;
}
